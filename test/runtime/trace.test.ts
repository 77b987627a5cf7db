// W3C traceparent parsing and the header sent upstream.
import { describe, expect, it } from 'vitest';
import { traceFromHeader, upstreamTraceparent } from '../../templates/runtime/observe/trace.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

describe('traceFromHeader', () => {
  it.each([
    ['a valid header', `00-${TRACE}-${PARENT}-01`, true],
    ['upper case', `00-${TRACE.toUpperCase()}-${PARENT}-01`, true],
    ['absent', undefined, false],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${PARENT}-01`, false],
    ['an all-zero parent id', `00-${TRACE}-${'0'.repeat(16)}-01`, false],
    ['an unknown version', `ff-${TRACE}-${PARENT}-01`, false],
    ['a short trace id', `00-${TRACE.slice(1)}-${PARENT}-01`, false],
  ])('%s', (_name, header, continues) => {
    const context = traceFromHeader(header);
    expect(context.propagate).toBe(continues);
    expect(context.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(context.spanId).toMatch(/^[0-9a-f]{16}$/);
    if (continues) expect(context.traceId).toBe(TRACE);
    else expect(context.traceId).not.toBe(TRACE);
  });
});

describe('upstreamTraceparent', () => {
  it('continues a propagating trace with the given span id and the caller flags', () => {
    expect(upstreamTraceparent(traceFromHeader(`00-${TRACE}-${PARENT}-00`), 'aaaaaaaaaaaaaaaa')).toBe(`00-${TRACE}-aaaaaaaaaaaaaaaa-00`);
  });

  it('is undefined for a trace started here', () => {
    expect(upstreamTraceparent(traceFromHeader(undefined), 'aaaaaaaaaaaaaaaa')).toBeUndefined();
  });
});
