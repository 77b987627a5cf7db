// A resource read whose body is over the size limit is an ordinary, truncated read (as for
// tools, truncate.ts), not a protocol error: JSON is cut at whole items and stays valid JSON,
// a second content says how much was kept and how to page; text is cut and marked. Only a
// binary body over the limit is still refused. A real upstream on 127.0.0.1 serves the bodies.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceTable } from '../../templates/runtime/protocol/resources.js';
import type { ParameterDef, ResourceDef } from '../../templates/runtime/types.js';
import { api, operation } from './support/fixtures.js';

const LIMIT = 2_000;
const items = Array.from({ length: 100 }, (_, i) => ({ id: i, name: `item ${i}` }));
const BODIES: Record<string, { type: string; body: string }> = {
  '/small': { type: 'application/json', body: JSON.stringify({ data: items.slice(0, 3) }) },
  '/list': { type: 'application/json', body: JSON.stringify({ data: items, has_more: false }) },
  '/array': { type: 'application/json', body: JSON.stringify(items) },
  // Over the read ceiling (8 × the limit): the total is unknown.
  '/huge': { type: 'application/json', body: JSON.stringify(Array.from({ length: 2_000 }, (_, i) => ({ id: i, name: `item ${i}` }))) },
  '/text': { type: 'text/plain', body: 'x'.repeat(LIMIT * 2) },
  '/blob': { type: 'image/png', body: 'p'.repeat(LIMIT * 2) },
};

let upstream: Server;
let baseUrl: string;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const found = BODIES[(req.url ?? '').split('?')[0]!];
    res.writeHead(found ? 200 : 404, { 'content-type': found?.type ?? 'text/plain' });
    res.end(found?.body ?? 'no');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
  baseUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

const query = (name: string): ParameterDef => ({ name, in: 'query', arg: name, required: false, style: 'form', explode: true });

function table(path: string, mimeType = 'application/json', parameters: ParameterDef[] = []): ResourceTable {
  const def: ResourceDef = { uri: `t://r${path}`, name: path.slice(1), mimeType, operation: operation({ path, parameters }) };
  return new ResourceTable(api({ defaultBaseUrl: baseUrl }), [def], [], { env: {}, maxBytes: LIMIT });
}

const read = (t: ResourceTable, path: string) => t.read(`t://r${path}`, new AbortController().signal, undefined);

describe('resource reads over the size limit', () => {
  it('a body within the limit is read as it is', async () => {
    const { contents } = await read(table('/small'), '/small');
    expect(contents).toEqual([{ uri: 't://r/small', mimeType: 'application/json', text: BODIES['/small']!.body }]);
  });

  it('JSON with a collection is cut at whole items, stays JSON, and a note says how many and how to page', async () => {
    const { contents } = await read(table('/list', 'application/json', [query('starting_after'), query('limit')]), '/list');
    expect(contents).toHaveLength(2);
    const [body, note] = contents as { uri: string; mimeType: string; text: string }[];
    expect(body!.mimeType).toBe('application/json');
    expect(Buffer.byteLength(body!.text)).toBeLessThanOrEqual(LIMIT);
    const parsed = JSON.parse(body!.text) as { data: unknown[]; has_more: boolean };
    expect(parsed.has_more).toBe(false);
    expect(parsed.data.length).toBeGreaterThan(10);
    expect(parsed.data).toEqual(items.slice(0, parsed.data.length));
    expect(note).toMatchObject({ uri: 't://r/list', mimeType: 'text/plain' });
    expect(note!.text).toContain(`kept the first ${parsed.data.length} of 100 items of "data"`);
    expect(note!.text).toContain('paging arguments (starting_after, limit)');
  });

  it('a root array is cut the same way', async () => {
    const { contents } = await read(table('/array'), '/array');
    const parsed = JSON.parse((contents[0] as { text: string }).text) as unknown[];
    expect(parsed).toEqual(items.slice(0, parsed.length));
    expect((contents[1] as { text: string }).text).toContain(`kept the first ${parsed.length} of 100 items`);
  });

  it('over the read ceiling, the items read are kept and the total is unknown', async () => {
    const { contents } = await read(table('/huge'), '/huge');
    const parsed = JSON.parse((contents[0] as { text: string }).text) as unknown[];
    expect(parsed.length).toBeGreaterThan(10);
    expect((contents[1] as { text: string }).text).toContain('the total is unknown');
  });

  it('text is cut at the limit and marked', async () => {
    const { contents } = await read(table('/text', 'text/plain'), '/text');
    const text = (contents[0] as { text: string }).text;
    expect(text.startsWith('x'.repeat(LIMIT))).toBe(true);
    expect(text).toContain('[truncated: upstream sent more than 2000 bytes]');
  });

  it('a binary body over the limit is still refused (a cut file is no smaller file)', async () => {
    await expect(read(table('/blob', 'image/png'), '/blob')).rejects.toThrow(/larger than 2000 bytes/);
  });
});
