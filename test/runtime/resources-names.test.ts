// Resource template variables are data: a variable named `__proto__` or `constructor`
// fills its path parameter, and variables named like the matcher's own positional names
// (`v0`, `v1`) are not confused with each other. A real upstream on 127.0.0.1 records the path.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceTable } from '../../templates/runtime/protocol/resources.js';
import type { ParameterDef, ResourceTemplateDef } from '../../templates/runtime/types.js';
import { api, operation } from './support/fixtures.js';

let upstream: Server;
let baseUrl: string;
const paths: string[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
  baseUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

const pathParam = (name: string): ParameterDef => ({ name, in: 'path', arg: name, required: true, style: 'simple', explode: false });

function template(uriTemplate: string, path: string, names: readonly string[]): ResourceTemplateDef {
  return {
    uriTemplate,
    name: uriTemplate,
    mimeType: 'application/json',
    operation: operation({ path, parameters: names.map(pathParam) }),
    variables: names.map((name) => ({ name, arg: name })),
  };
}

describe('resource template variables as data', () => {
  it.each([
    ['__proto__', template('t://p/{__proto__}', '/p/{__proto__}', ['__proto__']), 't://p/x%20y', '/p/x%20y'],
    ['constructor and toString', template('t://c/{constructor}/{toString}', '/c/{constructor}/{toString}', ['constructor', 'toString']), 't://c/1/2', '/c/1/2'],
    ['v1 before v0', template('t://v/{v1}/{v0}', '/v/{v1}/{v0}', ['v1', 'v0']), 't://v/first/second', '/v/first/second'],
  ])('%s', async (_name, def, uri, path) => {
    const table = new ResourceTable(api({ defaultBaseUrl: baseUrl }), [], [def], { env: {}, maxBytes: 10_000 });
    const before = paths.length;
    const read = await table.read(uri, new AbortController().signal, undefined);
    expect(read.contents[0]?.uri).toBe(uri);
    expect(paths.slice(before)).toEqual([path]);
    expect(table.templatesFor(undefined)[0]?.uriTemplate).toBe(def.uriTemplate);
  });
});
