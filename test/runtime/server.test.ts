import { Agent, request, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, InMemoryTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../templates/runtime/transport/http.js';
import { createServerFactory } from '../../templates/runtime/protocol/server.js';
import type { ToolDef } from '../../templates/runtime/types.js';
import { api, operation, tool } from './support/fixtures.js';
import { startUpstream, type Upstream } from './support/upstream.js';

let upstream: Upstream;
// Filled once the upstream listens; factories read it per call, so they can be built earlier.
const env: Record<string, string> = {};
beforeAll(async () => {
  upstream = await startUpstream();
  Object.assign(env, { TEST_API_BASE_URL: upstream.baseUrl, TEST_TOKEN: 'tok' });
});
afterAll(async () => {
  await upstream.close();
});
beforeEach(() => {
  upstream.received.length = 0;
  upstream.respond((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: req.url.split('/').pop(), name: 'Widget' }));
  });
});

const getItem = tool(
  'get_item',
  operation({
    path: '/items/{id}',
    parameters: [{ name: 'id', in: 'path', arg: 'id', required: true, style: 'simple', explode: false }],
    security: [['bearer']],
    response: { structured: true },
  }),
  { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
  {
    title: 'Get item',
    outputSchema: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } }, required: ['id'] },
  },
);

const listItems = tool(
  'list_items',
  operation({ path: '/items', response: { structured: true, wrapKey: 'items' } }),
  { type: 'object', properties: {} },
  { outputSchema: { type: 'object', properties: { items: { type: 'array' } }, required: ['items'] } },
);

const tools: readonly ToolDef[] = [getItem, listItems];

const expectedListing = [
  {
    name: 'get_item',
    title: 'Get item',
    description: getItem.description,
    inputSchema: getItem.inputSchema,
    outputSchema: getItem.outputSchema,
    annotations: getItem.annotations,
    _meta: getItem._meta,
  },
  {
    name: 'list_items',
    description: listItems.description,
    inputSchema: listItems.inputSchema,
    outputSchema: listItems.outputSchema,
    annotations: listItems.annotations,
    _meta: listItems._meta,
  },
];

type Era = 'legacy' | 'modern';
const eras: Era[] = ['legacy', 'modern'];

function newClient(era: Era): Client {
  return era === 'modern'
    ? new Client({ name: 'runtime-test', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } })
    : new Client({ name: 'runtime-test', version: '1.0.0' });
}

// Exercises one connected client; shared by the in-memory and HTTP suites.
function protocolCases(connect: (era: Era) => Promise<Client>): void {
  let client: Client | undefined;
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });

  it.each(eras)('%s: tools/list publishes the tool table without operation details', async (era) => {
    client = await connect(era);
    const { tools: listed } = await client.listTools();
    expect(listed).toEqual(expectedListing);
    expect(JSON.stringify(listed)).not.toContain('"operation"');
  });

  it.each(eras)('%s: tools/call reaches the upstream and returns structured content', async (era) => {
    client = await connect(era);
    const result = await client.callTool({ name: 'get_item', arguments: { id: 'w 1' } });
    expect(upstream.received.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([['GET', '/items/w%201', 'Bearer tok']]);
    expect(result.isError ?? false).toBe(false);
    expect(result.structuredContent).toEqual({ id: 'w%201', name: 'Widget' });
    expect(result.content).toEqual([{ type: 'text', text: '{"id":"w%201","name":"Widget"}' }]);
  });

  it.each(eras)('%s: array bodies arrive wrapped under wrapKey', async (era) => {
    upstream.respond((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[{"id":"a"},{"id":"b"}]');
    });
    client = await connect(era);
    const result = await client.callTool({ name: 'list_items', arguments: {} });
    expect(result.structuredContent).toEqual({ items: [{ id: 'a' }, { id: 'b' }] });
  });

  it.each(eras)('%s: invalid arguments come back as a tool error, upstream untouched', async (era) => {
    client = await connect(era);
    const result = await client.callTool({ name: 'get_item', arguments: { id: 42 } });
    expect(result).toMatchObject({ isError: true, content: [{ type: 'text', text: 'Invalid arguments: "id" must be string' }] });
    expect(upstream.received).toHaveLength(0);
  });

  it.each(eras)('%s: an unknown tool is a protocol error -32602', async (era) => {
    client = await connect(era);
    await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toMatchObject({ code: -32602 });
  });
}

describe('in memory (serveStdio over a linked transport pair)', () => {
  const factory = createServerFactory(api(), { tools }, { env });
  protocolCases(async (era) => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    serveStdio(createServerFactory(api(), { tools }, { env }), { transport: serverSide });
    const client = newClient(era);
    await client.connect(clientSide);
    expect(client.getNegotiatedProtocolVersion()).toSatisfy((v: string | undefined) =>
      era === 'modern' ? v === '2026-07-28' : v !== undefined && v < '2026',
    );
    return client;
  });

  it.each(eras)('%s: tools/list pages by size and links shared definitions into $defs', async (era) => {
    const tree = tool('put_tree', operation({ method: 'PUT', path: '/tree', response: { structured: false } }), { type: 'object', properties: { body: { $ref: '#/$defs/Tree' } } }, { defs: ['Tree'] });
    const definitions = { Tree: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/$defs/Tree' } } } } };
    // A page budget smaller than one tool: every page holds exactly one tool.
    const paged = createServerFactory(api(), { tools: [getItem, listItems, tree], definitions }, { env: { ...env, MCPGEN_LIST_PAGE_BYTES: '10' } });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    serveStdio(paged, { transport: serverSide });
    const client = newClient(era);
    await client.connect(clientSide);
    try {
      // Without a cursor the v2 client walks every page itself.
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['get_item', 'list_items', 'put_tree']);
      const first = await client.listTools({ cursor: '0' });
      expect(first.tools.map((t) => t.name)).toEqual(['get_item']);
      expect(first.nextCursor).toBe('1');
      const second = await client.listTools({ cursor: '1' });
      expect(second.tools.map((t) => t.name)).toEqual(['list_items']);
      const third = await client.listTools({ cursor: second.nextCursor });
      expect(third.nextCursor).toBeUndefined();
      expect(third.tools[0]!.inputSchema).toEqual({ type: 'object', properties: { body: { $ref: '#/$defs/Tree' } }, $defs: definitions });
      await expect(client.listTools({ cursor: '7' })).rejects.toMatchObject({ code: -32602 });
      // The linked schema validates arguments, recursion included.
      const bad = await client.callTool({ name: 'put_tree', arguments: { body: { children: [{ children: 'x' }] } } });
      expect(bad.isError).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('sends every progress notification of a call before its result, in order, on the wire', async () => {
    const [wire, serverSide] = InMemoryTransport.createLinkedPair();
    serveStdio(createServerFactory(api(), { tools }, { env }), { transport: serverSide });
    const seen: { id?: unknown; method?: string; params?: { progressToken?: unknown; progress?: number } }[] = [];
    wire.onmessage = (message) => void seen.push(message as (typeof seen)[number]);
    await wire.start();
    await wire.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'wire', version: '1' } } });
    await wire.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    for (let k = 0; k < 5; k++) {
      await wire.send({ jsonrpc: '2.0', id: 10 + k, method: 'tools/call', params: { name: 'get_item', arguments: { id: `p${k}` }, _meta: { progressToken: `t${k}` } } });
    }
    await expect.poll(() => seen.filter((m) => typeof m.id === 'number' && m.id >= 10).length).toBe(5);
    for (let k = 0; k < 5; k++) {
      const sequence = seen.filter((m) => m.id === 10 + k || m.params?.progressToken === `t${k}`).map((m) => (m.id !== undefined ? 'result' : m.params?.progress));
      expect(sequence, `call ${k}`).toEqual([1, 2, 3, 'result']);
    }
    await wire.close();
  });

  it('logs the upstream exchange only to a client that set a level (stdio, 2025 era)', async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    serveStdio(createServerFactory(api(), { tools }, { env }), { transport: serverSide });
    const client = newClient('legacy');
    const messages: unknown[] = [];
    client.setNotificationHandler('notifications/message', (notification) => {
      messages.push(notification.params);
    });
    await client.connect(clientSide);
    try {
      await client.callTool({ name: 'get_item', arguments: { id: 'a' } });
      expect(messages).toEqual([]);
      await client.setLoggingLevel('info');
      await client.callTool({ name: 'get_item', arguments: { id: 'b' } });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(messages).toEqual([
        { level: 'info', logger: 'test-api', data: { tool: 'get_item', step: 'request', method: 'GET', url: `${upstream.baseUrl}/items/b` } },
        { level: 'info', logger: 'test-api', data: { tool: 'get_item', step: 'response', status: 200, ms: expect.any(Number) } },
        { level: 'info', logger: 'test-api', data: { tool: 'get_item', step: 'result', isError: false } },
      ]);
      messages.length = 0;
      await client.setLoggingLevel('warning');
      await client.callTool({ name: 'get_item', arguments: { id: 'c' } });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(messages).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('each factory call yields a fresh Server', () => {
    expect(factory()).not.toBe(factory());
  });

  it('the tool table is fixed when the factory is created, not rebuilt per Server', async () => {
    const table = [getItem];
    const fixed = createServerFactory(api(), { tools: table }, { env });
    table.push(listItems);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    serveStdio(fixed, { transport: serverSide });
    const client = newClient('legacy');
    await client.connect(clientSide);
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['get_item']);
      await expect(client.callTool({ name: 'list_items', arguments: {} })).rejects.toMatchObject({ code: -32602 });
    } finally {
      await client.close();
    }
  });
});

describe('over HTTP (runHttp stack on 127.0.0.1:0)', () => {
  let http: HttpServer;
  let base: string;
  beforeAll(async () => {
    http = await startHttpServer(createServerFactory(api(), { tools }, { env }), {
      env: { HOST: '127.0.0.1', PORT: '0' },
      name: 'test-api',
    });
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });

  protocolCases(async (era) => {
    const client = newClient(era);
    await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp?tenant=x`)));
    return client;
  });

  it.each([
    ['GET /healthz', '/healthz', {}, 200, { status: 'ok' }],
    ['unknown path', '/nope', {}, 404, { error: 'not found', hint: 'the MCP endpoint is /mcp' }],
    ['/mcp/ is not /mcp', '/mcp/', {}, 404, { error: 'not found', hint: 'the MCP endpoint is /mcp' }],
  ])('%s', async (_name, path, headers, status, body) => {
    const res = await fetch(`${base}${path}`, { headers });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual(body);
  });

  const initialize = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
  };
  // fetch() refuses to set Host, so these go through node:http directly.
  const post = (url: string, headers: Record<string, string>): Promise<number> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(initialize);
      const req = request(
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  it.each([
    ['foreign Host', 403, { host: 'evil.example' }],
    ['foreign Host on the right port', 403, { host: 'evil.example:80' }],
    ['foreign Origin', 403, { origin: 'https://evil.example' }],
    ['unparsable Origin', 403, { origin: 'null' }],
    ['localhost Host with port', 200, { host: 'localhost:1234' }],
    ['[::1] Host', 200, { host: '[::1]:1234' }],
    ['localhost Origin', 200, { origin: 'http://localhost:5173' }],
    ['no Origin (non-browser client)', 200, {}],
  ])('%s -> %i', async (_name, status, headers) => {
    expect(await post(`${base}/mcp`, headers)).toBe(status);
  });

  it('answers a 2025-era request with one JSON body, not an event stream', async () => {
    const res = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(initialize),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', id: 1, result: { protocolVersion: '2025-11-25' } });
  });

  it.each([
    ['not JSON', 'POST', { 'content-type': 'application/json' }, '{nope', 400, -32700],
    ['not application/json', 'POST', { 'content-type': 'text/plain' }, JSON.stringify(initialize), 415, -32000],
    ['GET (no sessions to stream)', 'GET', {}, undefined, 405, -32000],
  ])('/mcp: %s -> %i', async (_name, method, headers, body, status, code) => {
    const res = await fetch(`${base}/mcp`, { method, headers: { accept: 'application/json, text/event-stream', ...headers }, body });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', error: { code }, id: null });
  });

  it('allow-lists come from MCP_ALLOWED_HOSTS / MCP_ALLOWED_ORIGINS', async () => {
    const custom = await startHttpServer(createServerFactory(api(), { tools }, { env }), {
      env: { PORT: '0', MCP_ALLOWED_HOSTS: 'mcp.internal, 127.0.0.1', MCP_ALLOWED_ORIGINS: 'app.example' },
    });
    const url = `http://127.0.0.1:${(custom.address() as AddressInfo).port}/mcp`;
    try {
      expect(await post(url, { host: 'mcp.internal' })).toBe(200);
      expect(await post(url, { host: 'localhost' })).toBe(403);
      expect(await post(url, { origin: 'https://app.example' })).toBe(200);
      expect(await post(url, { origin: 'http://localhost' })).toBe(403);
    } finally {
      custom.closeAllConnections();
      await new Promise<void>((resolve) => custom.close(() => resolve()));
    }
  });

  // A client busy between two requests (the SDK v1 client compiles every output schema of
  // GitHub's 845 tools after tools/list) reuses its keep-alive socket after more than
  // Node's default 5 s (6 s with its buffer); a server that closed it meanwhile fails that call with "other side
  // closed" (found by the client matrix, test/clients).
  it('keeps an idle keep-alive connection open for longer than a busy client pauses', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (): Promise<{ status: number; port: number | undefined }> =>
      new Promise((resolve, reject) => {
        const req = request(`${base}/healthz`, { agent }, (res) => {
          const port = res.socket.localPort;
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, port }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      const first = await get();
      await new Promise((resolve) => setTimeout(resolve, 7_000));
      const second = await get();
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(second.port, 'the same connection was reused').toBe(first.port);
    } finally {
      agent.destroy();
    }
  });

  it('rejects an invalid PORT', async () => {
    await expect(startHttpServer(createServerFactory(api(), { tools }), { env: { PORT: 'eighty' } })).rejects.toThrow(
      'PORT must be an integer between 0 and 65535, got "eighty"',
    );
  });
});
