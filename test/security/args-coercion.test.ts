// Arguments as non-strict models send them, through a generated server as a real process:
// null for an optional argument means absent, "5" for an integer is 5, a single value for
// an array is a one-element array; anything else is refused naming the field, before any
// upstream call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStdio, ERAS, killAllSpawned, type Connection } from '../support/mcp.js';
import { removeDir } from '../cli/helpers.js';
import { generateAndBuild, startRecordingUpstream, type GeneratedApi, type RecordingUpstream } from './support/generated-api.js';

const ok = { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } };

const spec = {
  openapi: '3.1.0',
  info: { title: 'Coercion', version: '1.0.0' },
  servers: [{ url: 'http://127.0.0.1:9/unused' }],
  paths: {
    '/orders': {
      get: {
        operationId: 'listOrders',
        parameters: [
          { name: 'status', in: 'query', schema: { type: 'string', enum: ['open', 'closed'] } },
          { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } },
          { name: 'tag', in: 'query', schema: { type: 'array', items: { type: 'string' } } },
        ],
        responses: ok,
      },
      post: {
        operationId: 'createOrder',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
        },
        responses: ok,
      },
    },
  },
  components: {
    schemas: {
      Order: {
        type: 'object',
        required: ['quantity'],
        properties: {
          quantity: { type: 'integer' },
          express: { type: 'boolean' },
          note: { type: 'string' },
          lines: { type: 'array', items: { $ref: '#/components/schemas/Line' } },
        },
      },
      Line: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' }, count: { type: 'integer' } } },
    },
  },
};

let api: GeneratedApi;
let upstream: RecordingUpstream;
const connections = new Map<string, Connection>();

beforeAll(async () => {
  api = generateAndBuild('coercion-api', spec);
  upstream = await startRecordingUpstream();
  for (const era of ERAS) connections.set(era, await connectStdio(api.out, { COERCION_API_BASE_URL: `${upstream.url}/api` }, era));
});

afterAll(async () => {
  for (const connection of connections.values()) await connection.close();
  await killAllSpawned();
  await upstream?.close();
  if (api) removeDir(api.dir);
});

describe.each(ERAS)('arguments as models send them (stdio, %s)', { timeout: 300_000 }, (era) => {
  async function exchange(name: string, args: Record<string, unknown>) {
    const before = upstream.received.length;
    const result = await connections.get(era)!.client.callTool({ name, arguments: args });
    expect(upstream.received.length - before).toBeLessThanOrEqual(1);
    return { result, text: JSON.stringify(result.content), request: upstream.received[before] };
  }

  it('drops null optional arguments and coerces "5" to an integer and one value to an array', async () => {
    const { result, text, request } = await exchange('list_orders', { status: null, limit: '5', tag: 'red' });
    expect(result.isError ?? false, text).toBe(false);
    expect(request?.rawUrl).toBe('/api/orders?limit=5&tag=red');
  });

  it('sends coerced numbers and booleans as JSON, nested and through $ref, and drops null optional properties', async () => {
    const order = { quantity: '5', express: 'true', note: null, lines: { sku: 'a-1', count: ' 2 ' } };
    const { result, text, request } = await exchange('create_order', { body: order });
    expect(result.isError ?? false, text).toBe(false);
    expect(request?.body).toBe('{"quantity":5,"express":true,"lines":[{"sku":"a-1","count":2}]}');
  });

  it.each([
    ['a word for an integer', 'list_orders', { limit: 'abc' }, '\\"limit\\" must be integer'],
    ['an empty string for an integer', 'list_orders', { limit: '' }, '\\"limit\\" must be integer'],
    ['a coerced value out of range', 'list_orders', { limit: '500' }, '\\"limit\\" must be <= 100'],
    ['"yes" for a boolean', 'create_order', { body: { quantity: 1, express: 'yes' } }, '\\"body.express\\" must be boolean'],
    ['null for a required property', 'create_order', { body: { quantity: null } }, '\\"body.quantity\\" must be integer'],
    ['null for the required body', 'create_order', { body: null }, '\\"body\\" must be object'],
    ['null for a required nested property', 'create_order', { body: { quantity: 1, lines: [{ sku: null }] } }, '\\"body.lines[0].sku\\" must be string'],
  ])('refuses %s, naming the field, without calling the upstream', async (_name, tool, args, message) => {
    const { result, text, request } = await exchange(tool, args);
    expect(result.isError).toBe(true);
    expect(text).toContain(message);
    expect(request).toBeUndefined();
  });
});
