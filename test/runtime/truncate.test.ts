// Large JSON successes stay successes: cut at whole items, valid JSON, with a note.
import { describe, expect, it } from 'vitest';
import { toToolResult } from '../../templates/runtime/upstream/response.js';
import { closeJsonPrefix, cutToFit, pagingArguments } from '../../templates/runtime/upstream/truncate.js';
import type { ParameterDef, ResponseDef } from '../../templates/runtime/types.js';
import { operation } from './support/fixtures.js';

const query = (name: string, arg = name): ParameterDef => ({ name, in: 'query', arg, required: false, style: 'form', explode: true });
const paged = (response: ResponseDef) => operation({ response, parameters: [query('limit'), query('cursor'), query('status')] });
const json = (body: string | ReadableStream<Uint8Array>): Response => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
const texts = (result: { content?: unknown[] }) => (result.content ?? []).map((c) => (c as { text: string }).text);

const ITEMS = Array.from({ length: 3_000 }, (_, i) => ({ id: i, name: `item ${i}`, note: 'é☕'.repeat(10) }));

describe('a 2xx JSON body over maxBytes', () => {
  it('root array, structured: whole items kept, text and structuredContent the same document, paging arguments named', async () => {
    const body = JSON.stringify(ITEMS);
    expect(Buffer.byteLength(body)).toBeGreaterThan(100_000);
    const result = await toToolResult(paged({ structured: true, wrapKey: 'items' }), json(body), { maxBytes: 100_000 });
    expect(result.isError).toBeUndefined();
    const [document, note] = texts(result);
    expect(Buffer.byteLength(document!)).toBeLessThanOrEqual(100_000);
    const parsed = JSON.parse(document!) as { items: typeof ITEMS };
    expect(parsed).toEqual(result.structuredContent);
    const kept = parsed.items.length;
    expect(kept).toBeGreaterThan(100);
    expect(kept).toBeLessThan(3_000);
    expect(parsed.items).toEqual(ITEMS.slice(0, kept));
    expect(note).toBe(
      `[truncated: the upstream sent ${Buffer.byteLength(body)} bytes, over this server's limit of 100000 bytes (MCPGEN_MAX_RESPONSE_BYTES); ` +
        `kept the first ${kept} of 3000 items. To get the rest, call again with the paging arguments (limit, cursor).]`,
    );
  });

  it('root array, unstructured tool without paging: the array itself, and a note saying there is no paging', async () => {
    const result = await toToolResult(operation(), json(JSON.stringify(ITEMS, null, 2)), { maxBytes: 10_000, maxReadBytes: 1_000_000 });
    const [document, note] = texts(result);
    const parsed = JSON.parse(document!) as unknown[];
    expect(Array.isArray(parsed)).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(note).toMatch(new RegExp(`kept the first ${parsed.length} of 3000 items\\. This operation has no paging arguments: narrow the request to get the rest\\.\\]$`));
  });

  it('an object where the spec promised an array (wrapped tool): its largest array is cut, then wrapped', async () => {
    const page = { data: ITEMS, has_more: true };
    const result = await toToolResult(paged({ structured: true, wrapKey: 'items' }), json(JSON.stringify(page)), { maxBytes: 20_000, maxReadBytes: 1_000_000 });
    const [document, note] = texts(result);
    expect(Buffer.byteLength(document!)).toBeLessThanOrEqual(20_000);
    const parsed = JSON.parse(document!) as { items: typeof page };
    expect(parsed).toEqual(result.structuredContent);
    expect(parsed.items.has_more).toBe(true);
    expect(parsed.items.data).toEqual(ITEMS.slice(0, parsed.items.data.length));
    expect(note).toContain(`kept the first ${parsed.items.data.length} of 3000 items of "data"`);
  });

  it('root object: its largest array is cut, the other properties stay', async () => {
    const page = { total_count: 3_000, incomplete_results: false, tags: ['a', 'b'], items: ITEMS };
    const result = await toToolResult(paged({ structured: true }), json(JSON.stringify(page)), { maxBytes: 20_000, maxReadBytes: 1_000_000 });
    const parsed = JSON.parse(texts(result)[0]!) as typeof page;
    expect(parsed).toEqual(result.structuredContent);
    expect(parsed).toMatchObject({ total_count: 3_000, incomplete_results: false, tags: ['a', 'b'] });
    expect(parsed.items).toEqual(ITEMS.slice(0, parsed.items.length));
    expect(texts(result)[1]).toContain(`kept the first ${parsed.items.length} of 3000 items of "items"`);
  });

  it('beyond the read ceiling: whole items from what was read, the total unknown', async () => {
    let served = 0;
    // An upstream that never stops sending items.
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode(served === 0 ? '{"data":[' : `${served > 1 ? ',' : ''}{"n":${served},"s":"x\\"]}"}`));
        served += 1;
      },
    });
    const result = await toToolResult(paged({ structured: true }), json(stream), { maxBytes: 1_000, maxReadBytes: 5_000 });
    const parsed = JSON.parse(texts(result)[0]!) as { data: { n: number }[] };
    expect(parsed).toEqual(result.structuredContent);
    expect(parsed.data.map((d) => d.n)).toEqual(Array.from({ length: parsed.data.length }, (_, i) => i + 1));
    expect(texts(result)[1]).toMatch(/sent more than 5000 bytes \(as much as this server reads\).*kept the first \d+ items of "data"; the total is unknown\./);
    expect(served).toBeLessThan(400);
  });

  it('no whole item fits: the text is cut (never mid-character) and marked, structuredContent is {}', async () => {
    const body = JSON.stringify([{ blob: '☕'.repeat(1_000) }]);
    const result = await toToolResult(paged({ structured: true, wrapKey: 'items' }), json(body), { maxBytes: 100 });
    const [head, note] = texts(result);
    expect(body.startsWith(head!)).toBe(true);
    expect(Buffer.byteLength(head!)).toBeLessThanOrEqual(100);
    expect(Buffer.byteLength(head!)).toBeGreaterThan(96);
    expect(note).toMatch(/could not be cut at whole items; the text above is its first 100 bytes and is not valid JSON\.\]$/);
    expect(result.structuredContent).toEqual({});
    expect(result.isError).toBeUndefined();
  });

  it('invalid JSON over maxBytes (read whole) is still the invalid-JSON error', async () => {
    const result = await toToolResult(operation(), json(`[${"1,".repeat(1_000)}`), { maxBytes: 1_000 });
    expect(result.isError).toBe(true);
    expect(texts(result)[0]).toMatch(/^HTTP 200 OK: the upstream declared application\/json but sent invalid JSON/);
  });
});

describe('cutToFit', () => {
  it.each([
    ['fits: unchanged, collection counted', [1, 2, 3], 100, { value: [1, 2, 3], collection: { key: undefined, kept: 3, total: 3 } }],
    ['root array cut to the bytes', [111, 222, 333], 9, { value: [111, 222], collection: { key: undefined, kept: 2, total: 3 } }],
    ['largest array of a root object', { a: [1], b: [1000, 2000, 3000], c: "x" }, 28, { value: { a: [1], b: [1000], c: 'x' }, collection: { key: 'b', kept: 1, total: 3 } }],
    ['a scalar does not fit', 'x'.repeat(50), 10, undefined],
    ['an object without arrays does not fit', { a: 'x'.repeat(50) }, 10, undefined],
    ['the first item alone is too big', ['x'.repeat(50)], 10, undefined],
  ])('%s', (_name, value, maxBytes, expected) => {
    expect(cutToFit(value, maxBytes)).toEqual(expected);
    const cut = cutToFit(value, maxBytes);
    if (cut !== undefined) expect(Buffer.byteLength(JSON.stringify(cut.value))).toBeLessThanOrEqual(maxBytes);
  });

  it('keeps a property named __proto__ a property', () => {
    const value = JSON.parse('{"__proto__":{"polluted":true},"list":[1,2,3,4,5,6,7,8,9]}') as Record<string, unknown>;
    const cut = cutToFit(value, 50)!;
    expect(Object.keys(cut.value as object)).toEqual(['__proto__', 'list']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('closeJsonPrefix', () => {
  it.each([
    ['root array', '[{"a":1},{"a":2},{"a"', '[{"a":1},{"a":2}]'],
    ['collection under the root object', '{"total":3,"data":[{"a":"x,y"},{"a":"]"},{"a":', '{"total":3,"data":[{"a":"x,y"},{"a":"]"}]}'],
    ['escaped quotes inside strings', '["a\\",b","c', '["a\\",b"]'],
    ['a closed collection, then a cut property', '{"data":[1,2],"meta":{"x":"aaaa', '{"data":[1,2]}'],
    ['only root properties', '{"a":1,"b":"long', '{"a":1}'],
    ['pretty-printed', '[\n  {"a": 1},\n  {"a": 2},\n  {"a"', '[\n  {"a": 1},\n  {"a": 2}]'],
    ['nothing whole', '{"a":"long', undefined],
    ['a string', '"abc', undefined],
  ])('%s', (_name, prefix, expected) => {
    const closed = closeJsonPrefix(prefix);
    expect(closed).toBe(expected);
    if (closed !== undefined) expect(() => JSON.parse(closed)).not.toThrow();
  });
});

describe('pagingArguments', () => {
  it('finds paging query parameters by name, as tool arguments', () => {
    const op = operation({
      parameters: [
        query('per_page'),
        query('page'),
        query('starting_after'),
        query('pageToken'),
        query('$top'),
        query('cursor', 'query_cursor'),
        query('status'),
        { ...query('limit'), in: 'header' },
      ],
    });
    expect(pagingArguments(op)).toEqual(['per_page', 'page', 'starting_after', 'pageToken', '$top', 'query_cursor']);
  });
});
