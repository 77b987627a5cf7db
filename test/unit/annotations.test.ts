import { describe, expect, it } from 'vitest';
import { annotationsFor } from '../../src/plan/annotations.js';
import type { HttpMethod } from '../../src/ir/types.js';

describe('annotationsFor', () => {
  it.each([
    ['GET', { readOnlyHint: true, destructiveHint: false, idempotentHint: true }],
    ['HEAD', { readOnlyHint: true, destructiveHint: false, idempotentHint: true }],
    ['OPTIONS', { readOnlyHint: true, destructiveHint: false, idempotentHint: true }],
    ['TRACE', { readOnlyHint: true, destructiveHint: false, idempotentHint: true }],
    ['PUT', { readOnlyHint: false, destructiveHint: true, idempotentHint: true }],
    ['DELETE', { readOnlyHint: false, destructiveHint: true, idempotentHint: true }],
    ['PATCH', { readOnlyHint: false, destructiveHint: true, idempotentHint: false }],
    ['POST', { readOnlyHint: false, destructiveHint: false, idempotentHint: false }],
  ] as [HttpMethod, object][])('%s', (method, want) => {
    expect(annotationsFor(method)).toEqual({ ...want, openWorldHint: true });
  });

  it.each([
    ['one hint overridden, the others kept', { method: 'POST', override: { idempotentHint: true }, want: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true } }],
    ['a search POST declared read-only', { method: 'POST', override: { readOnlyHint: true, destructiveHint: false }, want: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: true } }],
    ['openWorldHint turned off', { method: 'GET', override: { openWorldHint: false }, want: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } }],
    ['a DELETE declared non-destructive', { method: 'DELETE', override: { destructiveHint: false }, want: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true } }],
    ['an empty override', { method: 'PATCH', override: {}, want: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true } }],
  ] as [string, { method: HttpMethod; override: object; want: object }][])('override: %s', (_name, { method, override, want }) => {
    expect(annotationsFor(method, override)).toEqual(want);
  });

  it('does not share state between calls', () => {
    const first = annotationsFor('GET', { readOnlyHint: false });
    expect(first.readOnlyHint).toBe(false);
    expect(annotationsFor('GET').readOnlyHint).toBe(true);
  });
});
