import { describe, expect, it } from 'vitest';
import { serializeBody, type SerializedBody } from '../../templates/runtime/upstream/body.js';
import { RequestBuildError } from '../../templates/runtime/upstream/errors.js';
import type { BodyMediaDef, PropertyEncodingDef } from '../../templates/runtime/types.js';
import { body, jsonBody } from './support/fixtures.js';

const b64 = (bytes: number[] | string): string => Buffer.from(typeof bytes === 'string' ? bytes : Uint8Array.from(bytes)).toString('base64');
const ALL_BYTES = Array.from({ length: 256 }, (_, i) => i);

const FORM: BodyMediaDef = { mediaType: 'application/x-www-form-urlencoded', kind: 'form' };
const form = (encoding?: Record<string, PropertyEncodingDef>): BodyMediaDef => (encoding ? { ...FORM, encoding } : FORM);
const MULTIPART: BodyMediaDef = { mediaType: 'multipart/form-data', kind: 'multipart' };
const multipart = (extra: Partial<BodyMediaDef> = {}): BodyMediaDef => ({ ...MULTIPART, ...extra });

const serialize = (media: BodyMediaDef, value: unknown): SerializedBody | undefined => serializeBody(body(media), { body: value });
const bytesOf = (payload: unknown): number[] => [...(payload as Uint8Array)];

describe('absence and media type choice', () => {
  const offered = body(
    [
      { mediaType: 'application/json', kind: 'json' },
      { mediaType: 'application/x-www-form-urlencoded', kind: 'form' },
      { mediaType: 'text/plain', kind: 'text' },
    ],
    { mediaTypeArg: 'contentType' },
  );

  it.each([
    ['no choice: the first media type', {}, 'application/json', '{"a":"x y"}'],
    ['null choice: the first media type', { contentType: null }, 'application/json', '{"a":"x y"}'],
    ['chosen', { contentType: 'application/x-www-form-urlencoded' }, 'application/x-www-form-urlencoded', 'a=x%20y'],
    ['chosen, case and spaces ignored', { contentType: ' Application/X-WWW-Form-Urlencoded ' }, 'application/x-www-form-urlencoded', 'a=x%20y'],
    ['chosen explicitly as the default', { contentType: 'application/json' }, 'application/json', '{"a":"x y"}'],
  ])('%s', (_name, extra, contentType, payload) => {
    expect(serializeBody(offered, { body: { a: 'x y' }, ...extra })).toEqual({ contentType, payload });
  });

  it.each([
    ['an unknown media type', 'application/xml'],
    ['a wildcard', '*/*'],
    ['an empty string', ''],
    ['a non-string', 42],
  ])('choosing %s is an error naming the allowed values', (_name, contentType) => {
    const attempt = (): unknown => serializeBody(offered, { body: { a: 1 }, contentType });
    expect(attempt).toThrow(RequestBuildError);
    expect(attempt).toThrow('"contentType" must be one of: "application/json", "application/x-www-form-urlencoded", "text/plain"');
  });

  it.each([
    ['optional body absent: nothing to send', { required: false }, {}, undefined],
    ['optional body absent, media type chosen anyway', { required: false, mediaTypeArg: 'ct' }, { ct: 'application/json' }, undefined],
  ])('%s', (_name, overrides, args, expected) => {
    expect(serializeBody(jsonBody('application/json', overrides), args)).toBe(expected);
  });

  it.each([
    ['absent', {}],
    ['absent, media type chosen', { ct: 'application/json' }],
  ])('required body %s is an error', (_name, args) => {
    const def = jsonBody('application/json', { arg: 'payload', mediaTypeArg: 'ct' });
    expect(() => serializeBody(def, args)).toThrow(RequestBuildError);
    expect(() => serializeBody(def, args)).toThrow('missing required request body "payload"');
  });

  it('a body with no media types is an error, not a crash', () => {
    expect(() => serializeBody(body([]), { body: 1 })).toThrow('request body "body" declares no media type');
  });
});

describe('json', () => {
  it.each([
    ['object', 'application/json', { a: 1, b: ['x'] }, 'application/json'],
    ['merge patch with null member', 'application/merge-patch+json', { a: null }, 'application/merge-patch+json'],
    ['array', 'application/json', [1, 2], 'application/json'],
    ['string', 'application/json', 'a string', 'application/json'],
    ['null', 'application/json', null, 'application/json'],
    ['media type parameters kept', 'application/json; charset=utf-8', { a: 'ü' }, 'application/json; charset=utf-8'],
    ['wildcard declared: application/json sent', 'application/*', { a: 1 }, 'application/json'],
  ])('%s', (_name, mediaType, value, contentType) => {
    expect(serializeBody(jsonBody(mediaType), { body: value })).toEqual({ contentType, payload: JSON.stringify(value) });
  });
});

describe('application/x-www-form-urlencoded', () => {
  it.each([
    ['scalars', form(), { name: 'Jane Doe', age: 30, ok: true }, 'name=Jane%20Doe&age=30&ok=true'],
    ['delimiters in values are encoded', form(), { a: 'x&y=z+w', 'k y': '#' }, 'a=x%26y%3Dz%2Bw&k%20y=%23'],
    ['non-ASCII', form(), { city: 'Zürich' }, 'city=Z%C3%BCrich'],
    ['empty string kept', form(), { a: '' }, 'a='],
    ['null, undefined and empty arrays omitted', form(), { a: null, b: undefined, c: [], d: 'x' }, 'd=x'],
    ['empty object', form(), {}, ''],
    ['array: form, exploded by default', form(), { tags: ['a', 'b'] }, 'tags=a&tags=b'],
    ['array: explode false', form({ tags: { explode: false } }), { tags: ['a', 'b'] }, 'tags=a,b'],
    ['array: spaceDelimited', form({ tags: { style: 'spaceDelimited' } }), { tags: ['a', 'b'] }, 'tags=a%20b'],
    ['array: pipeDelimited', form({ tags: { style: 'pipeDelimited', explode: false } }), { tags: ['a', 'b'] }, 'tags=a|b'],
    ['array: pipeDelimited exploded', form({ tags: { style: 'pipeDelimited', explode: true } }), { tags: ['a', 'b'] }, 'tags=a&tags=b'],
    ['object: form exploded by default', form(), { addr: { city: 'X', zip: '1' } }, 'city=X&zip=1'],
    ['object: form, explode false', form({ addr: { explode: false } }), { addr: { city: 'X', zip: '1' } }, 'addr=city,X,zip,1'],
    ['object: deepObject', form({ addr: { style: 'deepObject' } }), { addr: { city: 'X', geo: { lat: 1 } } }, 'addr[city]=X&addr[geo][lat]=1'],
    ['allowReserved keeps reserved characters but the pair delimiters', form({ q: { allowReserved: true } }), { q: 'a/b?c=d&e' }, 'q=a/b?c%3Dd%26e'],
    ['reserved characters encoded by default', form(), { q: 'a/b?c=d' }, 'q=a%2Fb%3Fc%3Dd'],
    ['contentType application/json: one JSON value', form({ meta: { contentType: 'application/json' } }), { meta: { a: [1, 'x'] } }, `meta=${encodeURIComponent('{"a":[1,"x"]}')}`],
    ['contentType +json: one JSON value', form({ meta: { contentType: 'application/vnd.x+json' } }), { meta: [1] }, 'meta=%5B1%5D'],
    ['contentType JSON, null kept as JSON', form({ meta: { contentType: 'application/json' } }), { meta: null }, 'meta=null'],
    ['explicit style beats contentType', form({ o: { style: 'form', contentType: 'application/json' } }), { o: { a: 1 } }, 'a=1'],
    ['encoding of other properties left alone', form({ other: { explode: false } }), { tags: ['a', 'b'] }, 'tags=a&tags=b'],
  ])('%s', (_name, media, value, payload) => {
    expect(serialize(media, value)).toEqual({ contentType: 'application/x-www-form-urlencoded', payload });
  });

  it('the content type is the plain form type even when the declared one has parameters', () => {
    const media: BodyMediaDef = { mediaType: 'application/x-www-form-urlencoded; charset=utf-8', kind: 'form' };
    expect(serialize(media, { a: 1 })?.contentType).toBe('application/x-www-form-urlencoded');
  });

  it.each([
    ['an array', [1, 2]],
    ['a string', 'a=1'],
    ['a number', 1],
    ['null', null],
  ])('a body that is %s is an error', (_name, value) => {
    expect(() => serialize(FORM, value)).toThrow(RequestBuildError);
    expect(() => serialize(FORM, value)).toThrow('request body "body" must be an object to be sent as application/x-www-form-urlencoded');
  });
});

type Entry = readonly [name: string, value: string | { filename: string; type: string; bytes: number[] }];

async function entries(result: SerializedBody | undefined): Promise<Entry[]> {
  const data = result?.payload;
  if (!(data instanceof FormData)) throw new Error('expected FormData');
  const out: Entry[] = [];
  for (const [name, value] of data.entries()) {
    out.push(typeof value === 'string' ? [name, value] : [name, { filename: value.name, type: value.type, bytes: [...new Uint8Array(await value.arrayBuffer())] }]);
  }
  return out;
}

const text = (s: string): number[] => [...Buffer.from(s, 'utf8')];

describe('multipart/form-data', () => {
  it.each<[string, BodyMediaDef, Record<string, unknown>, Entry[]]>([
    ['strings, numbers and booleans are plain fields', MULTIPART, { name: 'x y', n: 1.5, ok: false }, [['name', 'x y'], ['n', '1.5'], ['ok', 'false']]],
    ['null and undefined are omitted', MULTIPART, { a: null, b: undefined, c: '' }, [['c', '']]],
    [
      'an object is a JSON part without a filename',
      MULTIPART,
      { meta: { a: [1] } },
      [['meta', { filename: '', type: 'application/json', bytes: text('{"a":[1]}') }]],
    ],
    ['an array of strings repeats the field', MULTIPART, { tags: ['a', 'b'] }, [['tags', 'a'], ['tags', 'b']]],
    [
      'an array of objects repeats JSON parts',
      MULTIPART,
      { items: [{ a: 1 }, null, { b: 2 }] },
      [
        ['items', { filename: '', type: 'application/json', bytes: text('{"a":1}') }],
        ['items', { filename: '', type: 'application/json', bytes: text('{"b":2}') }],
      ],
    ],
    [
      'an array declared JSON is one part',
      multipart({ encoding: { tags: { contentType: 'application/json' } } }),
      { tags: ['a', 'b'] },
      [['tags', { filename: '', type: 'application/json', bytes: text('["a","b"]') }]],
    ],
    [
      'a string declared JSON is JSON-encoded',
      multipart({ encoding: { s: { contentType: 'application/json' } } }),
      { s: 'x' },
      [['s', { filename: '', type: 'application/json', bytes: text('"x"') }]],
    ],
    [
      'a string with a declared content type',
      multipart({ encoding: { csv: { contentType: 'text/csv' } } }),
      { csv: 'a,b\n1,2' },
      [['csv', { filename: '', type: 'text/csv', bytes: text('a,b\n1,2') }]],
    ],
    ['text/plain declared: a plain field', multipart({ encoding: { s: { contentType: 'text/plain' } } }), { s: 'x' }, [['s', 'x']]],
    ['a content type list is not a type: plain field', multipart({ encoding: { s: { contentType: 'text/csv, text/plain' } } }), { s: 'x' }, [['s', 'x']]],
    [
      'an object with a declared +json type',
      multipart({ encoding: { m: { contentType: 'application/vnd.api+json' } } }),
      { m: { a: 1 } },
      [['m', { filename: '', type: 'application/vnd.api+json', bytes: text('{"a":1}') }]],
    ],
    [
      'a file with defaults: named after the property, octet-stream',
      multipart({ files: ['file'] }),
      { file: { data: b64(ALL_BYTES) } },
      [['file', { filename: 'file', type: 'application/octet-stream', bytes: ALL_BYTES }]],
    ],
    [
      'a file with filename and media type',
      multipart({ files: ['file'] }),
      { file: { data: b64('%PDF'), filename: 'report é.pdf', mediaType: 'application/pdf' } },
      [['file', { filename: 'report é.pdf', type: 'application/pdf', bytes: text('%PDF') }]],
    ],
    [
      'a file takes its type from the encoding',
      multipart({ files: ['img'], encoding: { img: { contentType: 'image/png' } } }),
      { img: { data: b64([137, 80]) } },
      [['img', { filename: 'img', type: 'image/png', bytes: [137, 80] }]],
    ],
    [
      'a wildcard encoding is not a type',
      multipart({ files: ['img'], encoding: { img: { contentType: 'image/*' } } }),
      { img: { data: b64([1]) } },
      [['img', { filename: 'img', type: 'application/octet-stream', bytes: [1] }]],
    ],
    [
      'the caller’s media type beats the encoding',
      multipart({ files: ['img'], encoding: { img: { contentType: 'image/png' } } }),
      { img: { data: b64([1]), mediaType: 'image/jpeg' } },
      [['img', { filename: 'img', type: 'image/jpeg', bytes: [1] }]],
    ],
    [
      'an array of files',
      multipart({ files: ['docs'] }),
      { docs: [{ data: b64('a'), filename: 'a.txt', mediaType: 'text/plain' }, { data: b64('b') }] },
      [
        ['docs', { filename: 'a.txt', type: 'text/plain', bytes: text('a') }],
        ['docs', { filename: 'docs', type: 'application/octet-stream', bytes: text('b') }],
      ],
    ],
    [
      'files next to fields',
      multipart({ files: ['file'] }),
      { title: 't', file: { data: '' }, meta: { k: 'v' } },
      [
        ['title', 't'],
        ['file', { filename: 'file', type: 'application/octet-stream', bytes: [] }],
        ['meta', { filename: '', type: 'application/json', bytes: text('{"k":"v"}') }],
      ],
    ],
  ])('%s', async (_name, media, value, expected) => {
    const result = serialize(media, value);
    expect(result?.contentType).toBeUndefined();
    expect(await entries(result)).toEqual(expected);
  });

  it.each<[string, BodyMediaDef, unknown, string]>([
    ['a body that is an array', MULTIPART, [1], 'request body "body" must be an object to be sent as multipart/form-data'],
    ['a body that is a string', MULTIPART, 'x', 'request body "body" must be an object to be sent as multipart/form-data'],
    ['a file that is a string', multipart({ files: ['f'] }), { f: b64('x') }, '"body.f" must be a file: an object { data: base64 string, filename?, mediaType? }'],
    ['a file without data', multipart({ files: ['f'] }), { f: { filename: 'a' } }, '"body.f" must be a file'],
    ['a file with numeric data', multipart({ files: ['f'] }), { f: { data: 1 } }, '"body.f" must be a file'],
    ['bad base64', multipart({ files: ['f'] }), { f: { data: 'not base64!' } }, '"body.f.data" is not valid base64'],
    ['bad base64 in an array', multipart({ files: ['f'] }), { f: [{ data: 'QQ==' }, { data: 'QQ=' }] }, '"body.f[1].data" is not valid base64'],
    ['a bad item in an array', multipart({ files: ['f'] }), { f: [{ data: 'QQ==' }, 7] }, '"body.f[1]" must be a file'],
    ['a non-string filename', multipart({ files: ['f'] }), { f: { data: '', filename: 3 } }, '"body.f.filename" must be a string'],
    ['a media type that is not one', multipart({ files: ['f'] }), { f: { data: '', mediaType: 'png' } }, '"body.f.mediaType" must be a media type such as "image/png"'],
    ['a media type with a line break', multipart({ files: ['f'] }), { f: { data: '', mediaType: 'text/plain\r\nX: 1' } }, '"body.f.mediaType" must be a media type'],
  ])('%s is an error', (_name, media, value, message) => {
    expect(() => serialize(media, value)).toThrow(RequestBuildError);
    expect(() => serialize(media, value)).toThrow(message);
  });
});

describe('text', () => {
  it.each([
    ['string', 'text/plain', 'héllo\n', 'text/plain', 'héllo\n'],
    ['number', 'text/plain', 42, 'text/plain', '42'],
    ['boolean', 'text/plain', true, 'text/plain', 'true'],
    ['empty string', 'text/plain', '', 'text/plain', ''],
    ['other text type', 'text/csv', 'a,b', 'text/csv', 'a,b'],
    ['XML as text', 'application/xml', '<a/>', 'application/xml', '<a/>'],
    ['wildcard declared: text/plain sent', 'text/*', 'x', 'text/plain', 'x'],
  ])('%s', (_name, mediaType, value, contentType, payload) => {
    expect(serialize({ mediaType, kind: 'text' }, value)).toEqual({ contentType, payload });
  });

  it.each([
    ['an object', { a: 1 }],
    ['an array', ['a']],
    ['null', null],
  ])('a body that is %s is an error', (_name, value) => {
    expect(() => serialize({ mediaType: 'text/plain', kind: 'text' }, value)).toThrow('request body "body" must be a string to be sent as text/plain');
  });
});

describe('binary', () => {
  const bin = (mediaType: string): BodyMediaDef => ({ mediaType, kind: 'binary' });

  it.each<[string, string, unknown, string, number[]]>([
    ['base64 text', 'application/pdf', b64(ALL_BYTES), 'application/pdf', ALL_BYTES],
    ['object with data', 'application/pdf', { data: b64([1, 2, 3]) }, 'application/pdf', [1, 2, 3]],
    ['declared type wins over a given one', 'image/png', { data: b64([1]), mediaType: 'image/jpeg' }, 'image/png', [1]],
    ['*/* with a given type', '*/*', { data: b64([1]), mediaType: 'image/webp' }, 'image/webp', [1]],
    ['*/* without a type', '*/*', b64([1]), 'application/octet-stream', [1]],
    ['image/* with a matching type', 'image/*', { data: b64([1]), mediaType: 'Image/PNG' }, 'Image/PNG', [1]],
    ['image/* without a type', 'image/*', { data: b64([1]), mediaType: null }, 'application/octet-stream', [1]],
    ['given type with parameters', '*/*', { data: '', mediaType: 'text/plain; charset="utf-8"' }, 'text/plain; charset="utf-8"', []],
    ['URL-safe alphabet', 'application/octet-stream', '-_8=', 'application/octet-stream', [251, 255]],
    ['no padding', 'application/octet-stream', 'QUI', 'application/octet-stream', [65, 66]],
    ['MIME line breaks', 'application/octet-stream', 'QUJD\r\nREVG\n', 'application/octet-stream', text('ABCDEF')],
    ['empty', 'application/octet-stream', '', 'application/octet-stream', []],
  ])('%s', (_name, mediaType, value, contentType, bytes) => {
    const result = serialize(bin(mediaType), value);
    expect(result?.contentType).toBe(contentType);
    expect(bytesOf(result?.payload)).toEqual(bytes);
  });

  it.each<[string, string, unknown, string]>([
    ['characters outside the alphabet', 'application/pdf', 'QUJD!', 'request body "body" is not valid base64'],
    ['a length no base64 has', 'application/pdf', 'QUJDR', 'request body "body" is not valid base64'],
    ['padding in the middle', 'application/pdf', 'QQ==QUJD', 'request body "body" is not valid base64'],
    ['padding on a short group', 'application/pdf', 'QUJ==', 'request body "body" is not valid base64'],
    ['a data: URL', 'image/png', 'data:image/png;base64,iVBO', 'without the "data:…;base64," prefix'],
    ['a number', 'application/pdf', 12, 'request body "body" must be base64 text or an object { data: base64 string, mediaType? }'],
    ['an object without data', 'application/pdf', { mediaType: 'application/pdf' }, 'must be base64 text or an object'],
    ['a type outside the declared range', 'image/*', { data: '', mediaType: 'text/plain' }, '"body.mediaType" must match image/*, got "text/plain"'],
    ['a wildcard as the given type', '*/*', { data: '', mediaType: 'image/*' }, '"body.mediaType" must be a media type such as "image/png"'],
    ['a given type with a line break', '*/*', { data: '', mediaType: 'a/b\nX-Evil: 1' }, '"body.mediaType" must be a media type'],
  ])('%s is an error', (_name, mediaType, value, message) => {
    expect(() => serialize(bin(mediaType), value)).toThrow(RequestBuildError);
    expect(() => serialize(bin(mediaType), value)).toThrow(message);
  });
});
