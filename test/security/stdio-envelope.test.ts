// Unit tests of the stdio runtime's pure parts: the envelope check, the id read from the
// start of an oversized message, and the stderr rate limit.
import { describe, expect, it } from 'vitest';
import { checkLine, leadingId } from '../../templates/runtime/jsonrpc-envelope.js';
import { rateLimitedNotes } from '../../templates/runtime/stderr-notes.js';
import { readMaxMessageBytes } from '../../templates/runtime/stdio.js';

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

describe('rateLimitedNotes', () => {
  it('writes perInterval notes, counts the rest, and flushes the count', () => {
    const written: string[] = [];
    const notes = rateLimitedNotes({ perInterval: 3, intervalMs: 60_000, write: (line) => written.push(line) });
    for (let i = 0; i < 10; i += 1) notes.note(`note ${i}\nwith a newline`);
    notes.flush();
    expect(written).toEqual(['note 0 with a newline\n', 'note 1 with a newline\n', 'note 2 with a newline\n', 'suppressed 7 similar notes in the last 60 s\n']);
  });

  it('cuts a long note', () => {
    const written: string[] = [];
    rateLimitedNotes({ maxNoteChars: 5, write: (line) => written.push(line) }).note('abcdefgh');
    expect(written).toEqual(['abcde…\n']);
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
