import { describe, expect, it } from 'vitest';
import { readBounded, toToolResult } from '../../templates/runtime/upstream/response.js';
import type { ResponseDef } from '../../templates/runtime/types.js';
import { operation } from './support/fixtures.js';

const op = (response: ResponseDef = { structured: false }) => operation({ response });
const plain = op();
const structured = op({ structured: true });
const wrapped = op({ structured: true, wrapKey: 'items' });
const opts = { maxBytes: 1_000, url: 'https://api.example.test/v1/items' };

const json = (body: string, init: ResponseInit = {}, type = 'application/json'): Response =>
  new Response(body, { status: 200, ...init, headers: { 'content-type': type, ...(init.headers as Record<string, string>) } });

describe('2xx JSON', () => {
  it.each([
    ['object, unstructured tool', plain, '{"a":1}', '{"a":1}', undefined],
    ['object, structured tool', structured, '{"a":1}', '{"a":1}', { a: 1 }],
    ['array, unstructured tool: the body as sent', plain, '[1,2]', '[1,2]', undefined],
    // The text is the same document as structuredContent, the upstream's bytes wrapped.
    ['array, structured with wrapKey', wrapped, '[1, 2]', '{"items":[1, 2]}', { items: [1, 2] }],
    ['null, structured with wrapKey', wrapped, 'null', '{"items":null}', { items: null }],
  ])('%s', async (_name, operationDef, body, text, structuredContent) => {
    const result = await toToolResult(operationDef, json(body), opts);
    expect(result).toEqual({
      content: [{ type: 'text', text }],
      ...(structuredContent === undefined ? {} : { structuredContent }),
    });
    if (structuredContent !== undefined) expect(JSON.parse(text)).toEqual(structuredContent);
  });

  // The spec promised another root: the body goes out as sent, and output-check.ts makes the
  // structuredContent fit the outputSchema (see output-check.test.ts).
  it.each([
    ['object where the spec promised an array', wrapped, '{"a":1}', { items: { a: 1 } }],
    ['array where the spec promised an object', structured, '[1,2]', [1, 2]],
    ['number where the spec promised an object', structured, '42', 42],
  ])('%s: a success carrying the body as sent', async (_name, operationDef, body, value) => {
    const result = await toToolResult(operationDef, json(body), opts);
    expect(result).toEqual({ content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value });
  });

  it.each(['application/json; charset=utf-8', 'application/problem+json', 'application/vnd.api+json', 'Application/JSON'])(
    'recognises %s as JSON',
    async (type) => {
      const result = await toToolResult(structured, json('{"ok":true}', {}, type), opts);
      expect(result.structuredContent).toEqual({ ok: true });
    },
  );

  it('invalid JSON is an error the model can act on', async () => {
    const result = await toToolResult(structured, json('{"a":'), opts);
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(result.content).toEqual([
      {
        type: 'text',
        text: expect.stringMatching(/^HTTP 200 OK: the upstream declared application\/json but sent invalid JSON \(.+\)\. .*Body:\n\{"a":$/s),
      },
    ]);
  });

  it('exactly maxBytes is not truncated', async () => {
    const body = JSON.stringify({ d: 'x'.repeat(92) });
    expect(body.length).toBe(100);
    const result = await toToolResult(structured, json(body), { maxBytes: 100 });
    expect(result.structuredContent).toEqual({ d: 'x'.repeat(92) });
    expect(result.content).toEqual([{ type: 'text', text: body }]);
  });
});

describe('2xx other media types', () => {
  const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
  const base64 = Buffer.from(bytes).toString('base64');

  it.each([
    ['text/plain', new Response('hello', { headers: { 'content-type': 'text/plain' } }), [{ type: 'text', text: 'hello' }]],
    ['text/csv', new Response('a,b\n1,2', { headers: { 'content-type': 'text/csv' } }), [{ type: 'text', text: 'a,b\n1,2' }]],
    ['application/xml', new Response('<a/>', { headers: { 'content-type': 'application/xml' } }), [{ type: 'text', text: '<a/>' }]],
    [
      'charset iso-8859-1',
      new Response(new Uint8Array([0x63, 0x61, 0x66, 0xe9]), { headers: { 'content-type': 'text/plain; charset=ISO-8859-1' } }),
      [{ type: 'text', text: 'café' }],
    ],
    [
      'charset quoted utf-16le',
      new Response(new Uint8Array([0x68, 0x00, 0x69, 0x00]), { headers: { 'content-type': 'text/plain; charset="utf-16le"' } }),
      [{ type: 'text', text: 'hi' }],
    ],
    ['no content-type, UTF-8 text', new Response(new TextEncoder().encode('plain ☕')), [{ type: 'text', text: 'plain ☕' }]],
    ['image/png', new Response(bytes, { headers: { 'content-type': 'image/png' } }), [{ type: 'image', data: base64, mimeType: 'image/png' }]],
    ['audio/mpeg', new Response(bytes, { headers: { 'content-type': 'audio/mpeg' } }), [{ type: 'audio', data: base64, mimeType: 'audio/mpeg' }]],
    [
      'application/pdf',
      new Response(bytes, { headers: { 'content-type': 'application/pdf' } }),
      [{ type: 'resource', resource: { uri: opts.url, mimeType: 'application/pdf', blob: base64 } }],
    ],
    [
      'no content-type, binary',
      new Response(bytes),
      [{ type: 'resource', resource: { uri: opts.url, mimeType: 'application/octet-stream', blob: base64 } }],
    ],
  ])('%s', async (_name, res, content) => {
    expect(await toToolResult(plain, res, opts)).toEqual({ content });
  });

  it('text over maxBytes is truncated with a marker', async () => {
    const res = new Response('abcdefghij', { headers: { 'content-type': 'text/plain' } });
    expect(await toToolResult(plain, res, { maxBytes: 4 })).toEqual({
      content: [{ type: 'text', text: 'abcd\n…[truncated: upstream sent more than 4 bytes]' }],
    });
  });

  it('binary over maxBytes is refused, not cut', async () => {
    const res = new Response(new Uint8Array(64), { headers: { 'content-type': 'image/png' } });
    const result = await toToolResult(plain, res, { maxBytes: 10 });
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([{ type: 'text', text: expect.stringContaining('more than 10 bytes of image/png') }]);
  });

  it.each([
    ['204', new Response(null, { status: 204 }), 'HTTP 204 No Content: success, empty body'],
    ['200 with content-length 0', new Response('', { status: 200, headers: { 'content-length': '0' } }), 'HTTP 200 OK: success, empty body'],
    ['202 with no body', new Response(null, { status: 202, statusText: 'Accepted' }), 'HTTP 202 Accepted: success, empty body'],
    ['201 JSON type but empty', json('', { status: 201 }), 'HTTP 201 Created: success, empty body'],
  ])('empty body: %s', async (_name, res, text) => {
    expect(await toToolResult(structured, res, opts)).toEqual({ content: [{ type: 'text', text }] });
  });
});

describe('non-2xx', () => {
  it.each([
    ['404 JSON', json('{"error":"no such account"}', { status: 404 }), 'HTTP 404 Not Found\n{"error":"no such account"}'],
    ['500 text with statusText', new Response('boom', { status: 500, statusText: 'Kaput' }), 'HTTP 500 Kaput\nboom'],
    ['401 empty', new Response(null, { status: 401 }), 'HTTP 401 Unauthorized'],
    ['302 not followed', new Response(null, { status: 302 }), 'HTTP 302 Found'],
    [
      '403 binary body is described, not dumped',
      new Response(new Uint8Array([0, 1, 2]), { status: 403, headers: { 'content-type': 'application/octet-stream' } }),
      'HTTP 403 Forbidden\n[3 bytes of application/octet-stream]',
    ],
  ])('%s', async (_name, res, text) => {
    expect(await toToolResult(structured, res, opts)).toEqual({ content: [{ type: 'text', text }], isError: true });
  });

  it('long error bodies are cut at 2,000 characters and marked', async () => {
    const res = new Response('e'.repeat(10_000), { status: 400, headers: { 'content-type': 'text/plain' } });
    const result = await toToolResult(plain, res, { maxBytes: 100_000 });
    expect(result).toEqual({
      content: [{ type: 'text', text: `HTTP 400 Bad Request\n${'e'.repeat(2_000)}\n…[truncated]` }],
      isError: true,
    });
  });
});

describe('rate limits', () => {
  const limited = (status: number, headers: Record<string, string>) =>
    new Response('{"message":"slow down"}', { status, headers: { 'content-type': 'application/json', ...headers } });

  it.each([
    [
      '429 with Retry-After and X-RateLimit-*: Retry-After first, other headers left out',
      limited(429, { 'retry-after': '30', 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'set-cookie': 'sid=secret', 'x-request-id': 'r1' }),
      'HTTP 429 Too Many Requests\nretry-after: 30\nx-ratelimit-limit: 60\nx-ratelimit-remaining: 0\n{"message":"slow down"}',
    ],
    [
      '503 with IETF RateLimit and RateLimit-Policy',
      limited(503, { 'ratelimit': '"default";r=0;t=12', 'ratelimit-policy': '"default";q=100;w=60', 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' }),
      'HTTP 503 Service Unavailable\nretry-after: Wed, 21 Oct 2026 07:28:00 GMT\nratelimit: "default";r=0;t=12\nratelimit-policy: "default";q=100;w=60\n{"message":"slow down"}',
    ],
    [
      '403 with no calls remaining (GitHub primary rate limit)',
      limited(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000000' }),
      'HTTP 403 Forbidden\nx-ratelimit-remaining: 0\nx-ratelimit-reset: 1700000000\n{"message":"slow down"}',
    ],
    ['403 with calls remaining: no headers', limited(403, { 'x-ratelimit-remaining': '12' }), 'HTTP 403 Forbidden\n{"message":"slow down"}'],
    ['429 without rate-limit headers', limited(429, { 'x-other': '1' }), 'HTTP 429 Too Many Requests\n{"message":"slow down"}'],
  ])('%s', async (_name, res, text) => {
    expect(await toToolResult(structured, res, opts)).toEqual({ content: [{ type: 'text', text }], isError: true });
  });

  it('bounds the number of headers and the length of each value', async () => {
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`x-ratelimit-h${String(i).padStart(2, '0')}`, 'v'.repeat(1_000)]));
    const result = await toToolResult(plain, new Response(null, { status: 429, headers: { ...many, 'retry-after': '5' } }), opts);
    const lines = (result.content?.[0] as { text: string }).text.split('\n');
    expect(lines[0]).toBe('HTTP 429 Too Many Requests');
    expect(lines[1]).toBe('retry-after: 5');
    expect(lines).toHaveLength(1 + 8);
    for (const line of lines.slice(2)) expect(line).toMatch(/^x-ratelimit-h\d\d: v{200}…$/);
  });
});

describe('readBounded', () => {
  // A stream that would never end: the reader must stop on its own.
  const endless = (chunk: number): { res: Response; pulls: () => number; cancelled: () => boolean } => {
    let pulls = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        controller.enqueue(new Uint8Array(chunk).fill(65));
      },
      cancel() {
        cancelled = true;
      },
    });
    return { res: new Response(stream), pulls: () => pulls, cancelled: () => cancelled };
  };

  it.each([
    [10, 3, 10],
    [1_000, 100, 1_000],
    [5, 64, 5],
  ])('limit %i with %i-byte chunks keeps %i bytes and cancels the stream', async (limit, chunk, kept) => {
    const { res, pulls, cancelled } = endless(chunk);
    const { bytes, truncated } = await readBounded(res, limit);
    expect(bytes.byteLength).toBe(kept);
    expect(truncated).toBe(true);
    expect(cancelled()).toBe(true);
    expect(pulls()).toBeLessThanOrEqual(Math.ceil((limit + 1) / chunk) + 2);
  });

  it('an endless JSON body still yields a bounded tool result', async () => {
    const { res } = endless(1_024);
    const typed = new Response(res.body, { headers: { 'content-type': 'application/json' } });
    const result = await toToolResult(structured, typed, { maxBytes: 4_096 });
    expect(result.isError).toBeUndefined();
    expect(result.content).toEqual([
      { type: 'text', text: 'A'.repeat(4_096) },
      { type: 'text', text: expect.stringMatching(/^\[truncated: the upstream sent more than 32768 bytes .*could not be cut at whole items/) },
    ]);
    expect(result.structuredContent).toEqual({});
  });
});
