// Request bodies as a real upstream receives them: through validation, buildRequest and fetch.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callOperation } from '../../templates/runtime/protocol/call.js';
import type { BodyDef, BodyMediaDef, ToolDef } from '../../templates/runtime/types.js';
import { api, body, operation, tool } from './support/fixtures.js';
import { parseMultipart } from './support/multipart.js';
import { startUpstream, type Received, type Upstream } from './support/upstream.js';

let upstream: Upstream;
beforeAll(async () => {
  upstream = await startUpstream();
});
afterAll(async () => {
  await upstream.close();
});
beforeEach(() => {
  upstream.received.length = 0;
  upstream.started.length = 0;
});

const b64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64');
// Every byte value, including NUL, CR, LF and sequences that look like a boundary.
const ALL_BYTES = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
const TRICKY = Buffer.from('\r\n------formdata-undici-0\r\n--\r\n', 'latin1');

const upload = (def: BodyDef): ToolDef =>
  tool('upload', operation({ method: 'POST', path: '/upload', body: def }), {
    type: 'object',
    properties: { body: {}, contentType: { type: 'string' } },
  });

async function send(def: BodyDef, args: Record<string, unknown>): Promise<Received> {
  const result = await callOperation(api(), upload(def), args, { env: { TEST_API_BASE_URL: upstream.baseUrl }, maxBytes: 10_000 });
  expect(result.isError, JSON.stringify(result.content)).not.toBe(true);
  expect(upstream.received).toHaveLength(1);
  const [got] = upstream.received;
  if (got === undefined) throw new Error('nothing received');
  expect(got.method).toBe('POST');
  expect(got.url).toBe('/upload');
  return got;
}

const MULTIPART: BodyMediaDef = { mediaType: 'multipart/form-data', kind: 'multipart' };

interface ExpectedPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer | string;
}

describe('multipart/form-data', () => {
  it.each<[string, BodyMediaDef, Record<string, unknown>, ExpectedPart[]]>([
    [
      'fields of every JSON type',
      MULTIPART,
      { title: 'Größe "x"', count: 3, draft: false, meta: { tags: ['a'] } },
      [
        { name: 'title', data: 'Größe "x"' },
        { name: 'count', data: '3' },
        { name: 'draft', data: 'false' },
        { name: 'meta', contentType: 'application/json', data: '{"tags":["a"]}' },
      ],
    ],
    [
      'a file with every byte value',
      { ...MULTIPART, files: ['file'] },
      { file: { data: b64(ALL_BYTES), filename: 'all.bin', mediaType: 'application/x-test' } },
      [{ name: 'file', filename: 'all.bin', contentType: 'application/x-test', data: Buffer.from(ALL_BYTES) }],
    ],
    [
      'a file whose bytes look like a boundary',
      { ...MULTIPART, files: ['file'] },
      { file: { data: b64(TRICKY) } },
      [{ name: 'file', filename: 'file', contentType: 'application/octet-stream', data: TRICKY }],
    ],
    [
      'several files under one name, next to fields',
      { ...MULTIPART, files: ['photos'], encoding: { photos: { contentType: 'image/png' }, note: { contentType: 'text/markdown' } } },
      {
        album: 'trip',
        photos: [{ data: b64('png-1'), filename: 'a.png' }, { data: b64('jpg-2'), filename: 'b.jpg', mediaType: 'image/jpeg' }],
        note: '# Title',
        tags: ['x', 'y'],
      },
      [
        { name: 'album', data: 'trip' },
        { name: 'photos', filename: 'a.png', contentType: 'image/png', data: 'png-1' },
        { name: 'photos', filename: 'b.jpg', contentType: 'image/jpeg', data: 'jpg-2' },
        { name: 'note', contentType: 'text/markdown', data: '# Title' },
        { name: 'tags', data: 'x' },
        { name: 'tags', data: 'y' },
      ],
    ],
    [
      'an array declared as one JSON part',
      { ...MULTIPART, encoding: { ids: { contentType: 'application/json' } } },
      { ids: [1, 2] },
      [{ name: 'ids', contentType: 'application/json', data: '[1,2]' }],
    ],
    [
      'names and filenames that need escaping',
      { ...MULTIPART, files: ['f"1'] },
      { 'f"1': { data: b64('x'), filename: 'evil".txt\r\nX-Injected: 1' } },
      [{ name: 'f%221', filename: 'evil%22.txt%0D%0AX-Injected: 1', contentType: 'application/octet-stream', data: 'x' }],
    ],
  ])('%s', async (_name, media, value, expected) => {
    const got = await send(body(media), { body: value });
    expect(got.headers['content-type']).toMatch(/^multipart\/form-data; boundary=\S+$/);
    const parts = parseMultipart(got.headers['content-type'], got.raw);
    expect(
      parts.map((part) => ({
        name: part.name,
        filename: part.filename,
        contentType: part.contentType,
        data: part.data,
        injected: part.headers['x-injected'],
      })),
    ).toEqual(
      expected.map((part) => ({
        name: part.name,
        filename: part.filename,
        contentType: part.contentType,
        data: Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data, 'utf8'),
        injected: undefined,
      })),
    );
  });
});

describe('application/x-www-form-urlencoded', () => {
  const FORM: BodyMediaDef = { mediaType: 'application/x-www-form-urlencoded', kind: 'form' };

  it.each<[string, BodyMediaDef, Record<string, unknown>, string]>([
    ['scalars', FORM, { name: 'Jane Doe', age: 30, admin: false }, 'name=Jane%20Doe&age=30&admin=false'],
    ['delimiters and non-ASCII', FORM, { q: 'a&b=c+d#e', city: 'Zürich' }, 'q=a%26b%3Dc%2Bd%23e&city=Z%C3%BCrich'],
    ['arrays repeat by default', FORM, { ids: [1, 2, 3] }, 'ids=1&ids=2&ids=3'],
    ['arrays with explode false', { ...FORM, encoding: { ids: { explode: false } } }, { ids: [1, 2, 3] }, 'ids=1,2,3'],
    ['deepObject', { ...FORM, encoding: { filter: { style: 'deepObject' } } }, { filter: { state: 'open', n: 2 } }, 'filter[state]=open&filter[n]=2'],
    ['JSON-encoded property', { ...FORM, encoding: { meta: { contentType: 'application/json' } } }, { meta: { a: 1 } }, 'meta=%7B%22a%22%3A1%7D'],
    ['allowReserved', { ...FORM, encoding: { redirect: { allowReserved: true } } }, { redirect: 'https://x.test/a?b' }, 'redirect=https://x.test/a?b'],
    ['empty object', FORM, {}, ''],
  ])('%s', async (_name, media, value, raw) => {
    const got = await send(body(media), { body: value });
    expect(got.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(got.body).toBe(raw);
    // What a server's form parser makes of it.
    expect(new URLSearchParams(got.body).toString()).toBe(new URLSearchParams(raw).toString());
  });
});

describe('other kinds', () => {
  it.each<[string, BodyDef, Record<string, unknown>, string, Buffer]>([
    ['JSON', body({ mediaType: 'application/json', kind: 'json' }), { body: { a: [1] } }, 'application/json', Buffer.from('{"a":[1]}')],
    ['text', body({ mediaType: 'text/csv', kind: 'text' }), { body: 'a,b\r\n1,2' }, 'text/csv', Buffer.from('a,b\r\n1,2')],
    ['binary', body({ mediaType: 'application/pdf', kind: 'binary' }), { body: b64(ALL_BYTES) }, 'application/pdf', Buffer.from(ALL_BYTES)],
    [
      'binary with a caller-named type for a wildcard',
      body({ mediaType: 'image/*', kind: 'binary' }),
      { body: { data: b64(ALL_BYTES), mediaType: 'image/webp' } },
      'image/webp',
      Buffer.from(ALL_BYTES),
    ],
    [
      'the media type argument picks the second type',
      body(
        [
          { mediaType: 'application/json', kind: 'json' },
          { mediaType: 'application/x-www-form-urlencoded', kind: 'form' },
        ],
        { mediaTypeArg: 'contentType' },
      ),
      { body: { a: 'b c' }, contentType: 'application/x-www-form-urlencoded' },
      'application/x-www-form-urlencoded',
      Buffer.from('a=b%20c'),
    ],
  ])('%s', async (_name, def, args, contentType, raw) => {
    const got = await send(def, args);
    expect(got.headers['content-type']).toBe(contentType);
    expect(got.headers['content-length']).toBe(String(raw.length));
    expect(got.raw).toEqual(raw);
  });
});

describe('the upstream is not called', () => {
  it.each<[string, BodyDef, Record<string, unknown>, string]>([
    ['missing required body', body({ mediaType: 'application/json', kind: 'json' }), {}, 'Invalid arguments: missing required request body "body"'],
    [
      'wrong media type argument',
      body({ mediaType: 'application/json', kind: 'json' }, { mediaTypeArg: 'contentType' }),
      { body: {}, contentType: 'text/plain' },
      'Invalid arguments: "contentType" must be one of: "application/json"',
    ],
    ['bad base64 in a file', body({ ...MULTIPART, files: ['f'] }), { body: { f: { data: '***' } } }, 'Invalid arguments: "body.f.data" is not valid base64'],
    [
      'a form body that is not an object',
      body({ mediaType: 'application/x-www-form-urlencoded', kind: 'form' }),
      { body: ['a'] },
      'Invalid arguments: request body "body" must be an object to be sent as application/x-www-form-urlencoded',
    ],
  ])('%s', async (_name, def, args, text) => {
    const result = await callOperation(api(), upload(def), args, { env: { TEST_API_BASE_URL: upstream.baseUrl }, maxBytes: 10_000 });
    expect(result).toEqual({ content: [{ type: 'text', text }], isError: true });
    expect(upstream.started).toHaveLength(0);
  });
});
