// Argument names are data, end to end: parameters, body properties and URI template
// variables named like Object.prototype's members (constructor, toString, __proto__,
// hasOwnProperty, valueOf) reach the upstream exactly as given, and absent ones stay
// absent. A generated server as a real process, the real SDK client, a real upstream.
//
// Arguments are built with JSON.parse: in an object literal `__proto__` sets the
// prototype instead of adding a property, and the client would never send it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, connectStdio, ERAS, killAllSpawned, rawRequest, startHttp, type Connection, type HttpServerHandle } from '../support/mcp.js';
import { removeDir } from '../cli/helpers.js';
import { generateAndBuild, startRecordingUpstream, type GeneratedApi, type RecordingUpstream } from './support/generated-api.js';

const NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'] as const;
const QUERY_NAMES = NAMES.filter((n) => n !== 'constructor');
const stringProperties = Object.fromEntries(NAMES.map((n) => [n, { type: 'string' }]));
const ok = { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } };

// Object.fromEntries, not literals: every name, `__proto__` included, becomes a real key of the spec.
const spec = {
  openapi: '3.1.0',
  info: { title: 'Names', version: '1.0.0' },
  servers: [{ url: 'http://127.0.0.1:9/unused' }],
  paths: {
    '/things/{constructor}': {
      get: {
        operationId: 'getThing',
        parameters: [
          { name: 'constructor', in: 'path', required: true, schema: { type: 'string' } },
          ...QUERY_NAMES.map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
        ],
        responses: ok,
      },
    },
    '/things': {
      post: {
        operationId: 'createThing',
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: stringProperties, additionalProperties: false } } } },
        responses: ok,
      },
    },
    '/records/{__proto__}': {
      get: { operationId: 'getRecord', parameters: [{ name: '__proto__', in: 'path', required: true, schema: { type: 'string' } }], responses: ok },
    },
  },
};

const json = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;
const allGiven = (suffix: string): Record<string, unknown> => json(`{${NAMES.map((n) => `"${n}":"${n}-${suffix}"`).join(',')}}`);

let api: GeneratedApi;
let upstream: RecordingUpstream;
let http: HttpServerHandle;
const connections: Array<[string, Connection]> = [];

beforeAll(async () => {
  api = generateAndBuild('names-api', spec, { resources: { rules: [{ select: 'getRecord', as: 'tool+resourceTemplate' }] } });
  upstream = await startRecordingUpstream();
  const env = { NAMES_API_BASE_URL: `${upstream.url}/api` };
  for (const era of ERAS) connections.push([`stdio ${era}`, await connectStdio(api.out, env, era)]);
  http = await startHttp(api.out, env);
  for (const era of ERAS) connections.push([`http ${era}`, await connectHttp(http.mcpUrl, era)]);
});

afterAll(async () => {
  for (const [, connection] of connections) await connection.close();
  await http?.close();
  await killAllSpawned();
  await upstream?.close();
  if (api) removeDir(api.dir);
});

/** Makes one call and returns what the upstream received for it (undefined when nothing). */
async function exchange(conn: Connection, name: string, args: Record<string, unknown>) {
  const before = upstream.received.length;
  const result = await conn.client.callTool({ name, arguments: args });
  expect(upstream.received.length - before).toBeLessThanOrEqual(1);
  return { result, request: upstream.received[before] };
}

// Read off the wire: the SDK's 2025-era client itself drops a `__proto__` property when it
// parses a tools/list result (zod records), which says nothing about what the server sent.
describe('tools/list', () => {
  it('publishes every name, __proto__ included, as a property of the input schema', async () => {
    const response = await rawRequest({
      port: http.port,
      path: '/mcp',
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(200);
    const listed = json(response.body) as { result: { tools: Array<{ name: string; inputSchema: { properties: object } }> } };
    const getThing = listed.result.tools.find((t) => t.name === 'get_thing')!;
    expect(Object.keys(getThing.inputSchema.properties)).toEqual([...NAMES]);
  });
});

describe.each(['stdio legacy', 'stdio modern', 'http legacy', 'http modern'])('names as data over %s', { timeout: 300_000 }, (label) => {
  const conn = (): Connection => connections.find(([l]) => l === label)![1];

  it('sends every parameter given, __proto__ included, exactly', async () => {
    const { result, request } = await exchange(conn(), 'get_thing', allGiven('q'));
    expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
    expect(request?.rawUrl).toBe(`/api/things/constructor-q?${QUERY_NAMES.map((n) => `${n}=${n}-q`).join('&')}`);
  });

  it('sends nothing for parameters not given (no inherited member is read as a value)', async () => {
    const { result, request } = await exchange(conn(), 'get_thing', json('{"constructor":"only"}'));
    expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
    expect(request?.rawUrl).toBe('/api/things/only');
  });

  it('refuses a missing required "constructor" without calling the upstream', async () => {
    const { result, request } = await exchange(conn(), 'get_thing', json('{"__proto__":"p"}'));
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('missing required \\"constructor\\"');
    expect(request).toBeUndefined();
  });

  it('sends body properties with every name exactly, and an empty body as empty', async () => {
    const body = allGiven('b');
    const full = await exchange(conn(), 'create_thing', { body });
    expect(full.result.isError ?? false, JSON.stringify(full.result.content)).toBe(false);
    expect(full.request?.body).toBe(JSON.stringify(body));
    expect(full.request?.body).toContain('"__proto__":"__proto__-b"');
    const empty = await exchange(conn(), 'create_thing', { body: {} });
    expect(empty.request?.body).toBe('{}');
  });

  it('validates a body property named __proto__ like any other', async () => {
    const { result, request } = await exchange(conn(), 'create_thing', { body: json('{"__proto__":5}') });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('\\"body.__proto__\\" must be string');
    expect(request).toBeUndefined();
  });

  it('reads resource templates whose variables are named __proto__ and constructor', async () => {
    for (const [uri, path] of [
      ['names-api://records/p%20x', '/api/records/p%20x'],
      ['names-api://things/c1', '/api/things/c1'],
    ] as const) {
      const before = upstream.received.length;
      const read = await conn().client.readResource({ uri });
      expect(read.contents[0]?.uri).toBe(uri);
      expect(upstream.received.slice(before).map((r) => r.rawUrl)).toEqual([path]);
    }
  });
});
