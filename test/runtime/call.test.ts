import { getEventListeners } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callOperation } from '../../templates/runtime/protocol/call.js';
import type { ParameterDef } from '../../templates/runtime/types.js';
import { api, jsonBody, operation, tool } from './support/fixtures.js';
import { startUpstream, until, type Upstream } from './support/upstream.js';

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
  upstream.respond((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
});

const p = (name: string, location: ParameterDef['in'], extra: Partial<ParameterDef> = {}): ParameterDef => ({
  name,
  in: location,
  arg: name,
  required: location === 'path',
  style: location === 'path' || location === 'header' ? 'simple' : 'form',
  explode: location === 'query' || location === 'cookie',
  ...extra,
});

const listTransactions = tool(
  'list_transactions',
  operation({
    path: '/accounts/{accountId}/transactions',
    parameters: [p('accountId', 'path'), p('status', 'query'), p('X-Trace', 'header', { arg: 'trace' }), p('lang', 'cookie')],
    security: [['bearer']],
    response: { structured: true },
  }),
  {
    type: 'object',
    properties: {
      accountId: { type: 'string' },
      status: { type: 'array', items: { type: 'string' } },
      trace: { type: 'string' },
      lang: { type: 'string' },
    },
    required: ['accountId'],
  },
);

const createItem = tool(
  'create_item',
  operation({ method: 'POST', path: '/items', body: jsonBody(), response: { structured: true } }),
  { type: 'object', properties: { body: { type: 'object' } }, required: ['body'] },
);

const env = (): Record<string, string> => ({ TEST_API_BASE_URL: upstream.baseUrl, TEST_TOKEN: 't0ken' });
const call = (t = listTransactions, args: unknown = { accountId: 'a1' }, extra: { signal?: AbortSignal; timeoutMs?: number; maxBytes?: number } = {}) =>
  callOperation(api(), t, args, { env: env(), maxBytes: 100_000, ...extra });

describe('what the upstream receives', () => {
  it('GET with every parameter location and a bearer token', async () => {
    const result = await call(listTransactions, { accountId: 'acc/1 ü', status: ['open', 'held'], trace: 't-1', lang: 'en' });
    expect(upstream.received).toHaveLength(1);
    const [got] = upstream.received;
    expect(got?.method).toBe('GET');
    expect(got?.url).toBe('/accounts/acc%2F1%20%C3%BC/transactions?status=open&status=held');
    expect(got?.headers).toMatchObject({
      accept: 'application/json, */*;q=0.8',
      authorization: 'Bearer t0ken',
      'x-trace': 't-1',
      cookie: 'lang=en',
    });
    expect(got?.body).toBe('');
    expect(result).toEqual({ content: [{ type: 'text', text: '{"ok":true}' }], structuredContent: { ok: true } });
  });

  it('POST with a JSON body', async () => {
    upstream.respond((req, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 7, echo: JSON.parse(req.body) as unknown }));
    });
    const result = await call(createItem, { body: { name: 'x', n: [1, 2] } });
    const [got] = upstream.received;
    expect(got?.method).toBe('POST');
    expect(got?.url).toBe('/items');
    expect(got?.headers['content-type']).toBe('application/json');
    expect(got?.body).toBe('{"name":"x","n":[1,2]}');
    expect(result.structuredContent).toEqual({ id: 7, echo: { name: 'x', n: [1, 2] } });
  });
});

describe('the upstream is not called', () => {
  it.each([
    ['wrong type', { accountId: 5 }, 'Invalid arguments: "accountId" must be string'],
    ['missing required', {}, 'Invalid arguments: missing required "accountId"'],
    ['arguments not an object', 'a1', 'Invalid arguments: arguments must be object'],
    ['path traversal', { accountId: '..' }, 'Invalid arguments: a path parameter value would form the path segment "%2E%2E", which URLs cannot carry'],
  ])('%s', async (_name, args, text) => {
    const result = await call(listTransactions, args);
    expect(result).toEqual({ content: [{ type: 'text', text }], isError: true });
    expect(upstream.started).toHaveLength(0);
  });
});

describe('failures become isError results', () => {
  it('MCP cancellation aborts the in-flight fetch', async () => {
    upstream.respond(() => undefined); // never answers
    const controller = new AbortController();
    const pending = call(listTransactions, { accountId: 'a1' }, { signal: controller.signal });
    await until(() => upstream.started.length === 1);
    controller.abort();
    const result = await pending;
    expect(result).toEqual({
      content: [{ type: 'text', text: `Request to GET ${upstream.baseUrl}/accounts/a1/transactions was cancelled` }],
      isError: true,
    });
    // The upstream sees its connection go away: the request really was aborted.
    await until(() => upstream.started[0]?.closed === true);
  });

  it('cancellation while the body is streaming', async () => {
    upstream.respond((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
    });
    const controller = new AbortController();
    const pending = call(listTransactions, { accountId: 'a1' }, { signal: controller.signal });
    await until(() => upstream.received.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    expect((await pending).content).toEqual([{ type: 'text', text: expect.stringMatching(/was cancelled$/) }]);
  });

  it('an already-aborted signal never reaches the upstream', async () => {
    const result = await call(listTransactions, { accountId: 'a1' }, { signal: AbortSignal.abort() });
    expect(result.isError).toBe(true);
    expect(upstream.started).toHaveLength(0);
  });

  it('timeout', async () => {
    upstream.respond(() => undefined);
    const result = await call(listTransactions, { accountId: 'a1' }, { timeoutMs: 150 });
    expect(result).toEqual({
      content: [{ type: 'text', text: `Request to GET ${upstream.baseUrl}/accounts/a1/transactions timed out after 150 ms` }],
      isError: true,
    });
  });

  it('a finished exchange, body read, no longer listens to the caller\'s signal', async () => {
    const controller = new AbortController();
    const ok = await call(listTransactions, { accountId: 'a1' }, { signal: controller.signal, timeoutMs: 150 });
    expect(ok.isError).toBeUndefined();
    upstream.respond((_req, res) => res.writeHead(500).end('no'));
    const failed = await call(listTransactions, { accountId: 'a1' }, { signal: controller.signal, timeoutMs: 150 });
    expect(failed.isError).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('connection refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await callOperation(api(), listTransactions, { accountId: 'a1' }, {
      env: { TEST_API_BASE_URL: `http://127.0.0.1:${port}` },
      maxBytes: 1_000,
    });
    expect(result).toEqual({
      content: [
        { type: 'text', text: `Request to GET http://127.0.0.1:${port}/accounts/a1/transactions failed: connect ECONNREFUSED 127.0.0.1:${port}` },
      ],
      isError: true,
    });
  });

  it('a failure message never contains a query credential', async () => {
    const keyed = tool('keyed', operation({ security: [['queryKey']] }), { type: 'object' });
    const result = await callOperation(api(), keyed, {}, {
      env: { TEST_API_BASE_URL: 'http://127.0.0.1:1', TEST_API_KEY: 'sup3r-secret' },
      maxBytes: 1_000,
    });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result)).not.toContain('sup3r-secret');
    expect(JSON.stringify(result)).toContain('api_key=***');
  });

  it('upstream drops the connection mid-body', async () => {
    upstream.respond((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"a":');
      setTimeout(() => res.destroy(), 20);
    });
    const result = await call();
    expect(result.isError).toBe(true);
    // Headers arrived, so the failure is reported as one while reading the body.
    expect(result.content).toEqual([{ type: 'text', text: expect.stringMatching(/^Reading the response of GET .* failed: \S/) }]);
  });

  it('invalid JSON', async () => {
    upstream.respond((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>oops</html>');
    });
    const result = await call();
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([{ type: 'text', text: expect.stringContaining('sent invalid JSON') }]);
  });

  it('an endless upstream body is cut at maxBytes and the connection released', async () => {
    upstream.respond((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('x'.repeat(1_024)), 1);
      res.on('close', () => clearInterval(timer));
    });
    const result = await call(listTransactions, { accountId: 'a1' }, { maxBytes: 10_000 });
    expect(result.content).toEqual([{ type: 'text', text: `${'x'.repeat(10_000)}\n…[truncated: upstream sent more than 10000 bytes]` }]);
    await until(() => upstream.started[0]?.closed === true);
  });

  it('a non-2xx upstream answer', async () => {
    upstream.respond((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"message":"account a1 not found"}');
    });
    expect(await call()).toEqual({
      content: [{ type: 'text', text: 'HTTP 404 Not Found\n{"message":"account a1 not found"}' }],
      isError: true,
    });
  });
});
