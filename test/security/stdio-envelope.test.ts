// Unit tests of the stdio runtime's pure parts: the envelope check, the id read from the
// start of an oversized message, and the stderr rate limit.
import { describe, expect, it } from 'vitest';
import { checkLine, leadingId } from '../../templates/runtime/transport/jsonrpc-envelope.js';
import { rateLimitedLines } from '../../templates/runtime/observe/log-limit.js';
import { readMaxMessageBytes } from '../../templates/runtime/transport/stdio.js';

describe('leadingId', () => {
  it.each([
    ['id first', '{"jsonrpc":"2.0","id":7,"method":"ping","params":{"p":"xxxx', 7],
    ['string id', '{"id":"a\\"b","method":"ping","params":{"p":"xxxx', 'a"b'],
    ['id after method', '{"jsonrpc":"2.0","method":"tools/call","id":-3,"params":{"a', -3],
    ['whitespace around the colon', '{ "id" : 12 , "params": {"x', 12],
    ['an "id" key inside params is not the request id', '{"jsonrpc":"2.0","params":{"id":5,"p":"xxx', undefined],
    ['an "id" inside a string is not a key', '{"method":"x \\"id\\":5","params":{"p":"xx', undefined],
    ['id cut off', '{"jsonrpc":"2.0","id":"abc', undefined],
    ['id not a request id', '{"id":1.5,"method":"x","params":{"p":"x', undefined],
    ['id null', '{"id":null,"method":"x","params":{"p":"x', undefined],
    ['id after the cut', '{"jsonrpc":"2.0","method":"ping","params":{"padding":"xxxxxxxx', undefined],
  ])('%s', (_name, head, id) => {
    expect(leadingId(head)).toBe(id);
  });
});

describe('checkLine', () => {
  const line = (text: string | number[]): Uint8Array => (typeof text === 'string' ? Buffer.from(text) : Uint8Array.from(text));
  it.each([
    ['a request', '{"jsonrpc":"2.0","id":1,"method":"ping"}', { kind: 'message' }],
    ['a notification', '{"jsonrpc":"2.0","method":"notifications/initialized"}', { kind: 'message' }],
    ['a response', '{"jsonrpc":"2.0","id":1,"result":{}}', { kind: 'message' }],
    ['invalid JSON', '{', { kind: 'answer', id: null, code: -32700 }],
    ['invalid UTF-8', [0x22, 0xc3, 0x22], { kind: 'answer', id: null, code: -32700 }],
    ['params a string', '{"jsonrpc":"2.0","id":"q","method":"ping","params":"x"}', { kind: 'answer', id: 'q', code: -32600 }],
    ['a notification with params a string', '{"jsonrpc":"2.0","method":"x","params":"x"}', { kind: 'drop' }],
    ['id a boolean', '{"jsonrpc":"2.0","id":true,"method":"ping"}', { kind: 'answer', id: null, code: -32600 }],
    ['an object with neither method nor id', '{"jsonrpc":"2.0"}', { kind: 'drop' }],
    ['an invalid response', '{"jsonrpc":"2.0","id":4,"result":5}', { kind: 'answer', id: 4, code: -32600 }],
  ])('%s', (_name, text, verdict) => {
    expect(checkLine(line(text))).toMatchObject(verdict);
  });
});

describe('rateLimitedLines, as stdio uses it', () => {
  it('writes the budget, counts the rest, flushes the count before exit, and escapes newlines', () => {
    const written: string[] = [];
    const log = rateLimitedLines((line) => written.push(line), { lines: 3, windowMs: 60_000 });
    for (let i = 0; i < 10; i += 1) log(`note ${i}\nwith a newline`);
    log.flush();
    expect(written).toEqual(['note 0\\u000awith a newline', 'note 1\\u000awith a newline', 'note 2\\u000awith a newline', '7 more similar line(s) suppressed in the last 60 s']);
  });
});

describe('readMaxMessageBytes', () => {
  it.each([
    [undefined, 10 * 1024 * 1024],
    ['', 10 * 1024 * 1024],
    ['1024', 1024],
    [' 65536 ', 65536],
    ['134217728', 134217728],
  ])('%j → %i', (raw, bytes) => {
    expect(readMaxMessageBytes({ MCPGEN_STDIO_MAX_MESSAGE_BYTES: raw })).toBe(bytes);
  });

  it.each(['1023', '134217729', 'ten', '1e4', '0x400', '-1'])('refuses %j, naming the variable', (raw) => {
    expect(() => readMaxMessageBytes({ MCPGEN_STDIO_MAX_MESSAGE_BYTES: raw })).toThrow(/^MCPGEN_STDIO_MAX_MESSAGE_BYTES must be a whole number of bytes between 1024 and 134217728/);
  });
});
