// Logs, /metrics, /readyz, the inbound rate limit and traceparent propagation of a generated
// server, run as a real process against a recording upstream on 127.0.0.1, driven by the SDK client.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startIntrospection } from './inbound-support.js';
import { connectStdio, ERAS, freePort, initializeBody, killAllSpawned, makeClient, rawRequest, startHttp, type Era, type HttpServerHandle } from '../support/mcp.js';
import { removeDir } from '../cli/helpers.js';
import { eventually, jsonLines, sample, scrape } from './support/observed.js';
import { generateFixture, json, startRecordingUpstream, type GeneratedServer, type RecordingUpstream } from './support/recording.js';

const HEADER_KEY = 'k-123456';
const QUERY_KEY = 'q-123456';

let server: GeneratedServer;
let upstream: RecordingUpstream;
const clients: Client[] = [];

function apiEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { VAULT_API_BASE_URL: `${upstream.origin}/v1`, VAULT_API_HEADER_KEY: HEADER_KEY, VAULT_API_QUERY_KEY: QUERY_KEY, ...extra };
}

/** Starts the HTTP server and collects all of its stderr (the handle keeps only a tail). */
async function startServer(extra: Record<string, string> = {}): Promise<{ http: HttpServerHandle; stderr: () => string }> {
  const http = await startHttp(server.out, apiEnv(extra));
  let text = '';
  http.process.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { http, stderr: () => text };
}

async function connect(url: string, era: Era, headers: Record<string, string> = {}): Promise<Client> {
  const client = makeClient(era);
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = generateFixture('vault.yaml', 'vault-api');
  upstream = await startRecordingUpstream();
  upstream.answer = (_req, res) => json(res, 200, [{ id: 'a' }]);
}, 300_000);

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await killAllSpawned();
  await upstream?.close();
  if (server) removeDir(server.dir);
});

afterEach(() => {
  upstream.seen.length = 0;
  upstream.answer = (_req, res) => json(res, 200, [{ id: 'a' }]);
});

describe('HTTP server: logs and /metrics', () => {
  let http: HttpServerHandle;
  let stderr: () => string;
  beforeAll(async () => {
    ({ http, stderr } = await startServer());
  }, 60_000);

  it.each(ERAS)('logs one JSON line per MCP request and per upstream attempt, secrets redacted (%s era)', async (era) => {
    const client = await connect(http.mcpUrl, era);
    const before = jsonLines(stderr()).length;
    const result = await client.callTool({ name: 'list_items', arguments: {} });
    expect(result.isError).toBeFalsy();
    // The query key travels in the URL: the logged URL has it masked.
    expect((await client.callTool({ name: 'search', arguments: { q: 'x' } })).isError).toBeFalsy();
    // An unknown tool named after a credential: the name is echoed in the line, and must be redacted.
    await expect(client.callTool({ name: HEADER_KEY, arguments: {} })).rejects.toThrow();
    await eventually(() => jsonLines(stderr()).slice(before).filter((l) => l['event'] === 'mcp_request' && l['method'] === 'tools/call').length >= 3);
    const lines = jsonLines(stderr()).slice(before);
    const calls = lines.filter((l) => l['event'] === 'mcp_request' && l['method'] === 'tools/call');
    expect(calls).toHaveLength(3);
    const [ok, , unknown] = calls;
    expect(ok).toMatchObject({ level: 'info', server: 'vault-api', tool: 'list_items', outcome: 'ok' });
    expect(typeof ok!['ms']).toBe('number');
    expect(ok!['traceId']).toMatch(/^[0-9a-f]{32}$/);
    expect(ok!['requestId']).toBeDefined();
    expect(unknown).toMatchObject({ outcome: 'error', tool: '***' });
    const upstreamLines = lines.filter((l) => l['event'] === 'upstream_request');
    expect(upstreamLines).toHaveLength(2);
    expect(upstreamLines[0]).toMatchObject({ method: 'GET', status: 200, attempt: 1, traceId: ok!['traceId'], url: `${upstream.origin}/v1/items` });
    expect(upstreamLines[1]).toMatchObject({ method: 'GET', status: 200, attempt: 1, url: `${upstream.origin}/v1/search?q=x&api_key=***` });
    expect(upstream.seen.at(-1)!.url).toContain(QUERY_KEY);
    expect(stderr()).not.toContain(HEADER_KEY);
    expect(stderr()).not.toContain(QUERY_KEY);
  });

  it('logs each retry attempt and the retry itself, and counts them in /metrics', async () => {
    const client = await connect(http.mcpUrl, 'modern');
    const before = await scrape(http);
    let failures = 1;
    upstream.answer = (_req, res) => (failures-- > 0 ? json(res, 503, { error: 'busy' }) : json(res, 200, [{ id: 'a' }]));
    const result = await client.callTool({ name: 'list_items', arguments: {} });
    expect(result.isError).toBeFalsy();
    const origin = upstream.origin;
    const after = await scrape(http);
    const delta = (name: string, labels: Record<string, string>) => (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(delta('mcp_upstream_retries_total', { origin })).toBe(1);
    expect(delta('mcp_upstream_responses_total', { origin, method: 'GET', status: '503' })).toBe(1);
    expect(delta('mcp_upstream_responses_total', { origin, method: 'GET', status: '200' })).toBe(1);
    const attempts = jsonLines(stderr()).filter((l) => l['event'] === 'upstream_request').slice(-2);
    expect(attempts.map((l) => [l['attempt'], l['status']])).toEqual([
      [1, 503],
      [2, 200],
    ]);
    expect(jsonLines(stderr()).some((l) => l['event'] === 'upstream_retry' && l['level'] === 'warn')).toBe(true);
    // The retry line carries the trace id of the call it belongs to.
    await eventually(() => jsonLines(stderr()).some((l) => l['event'] === 'mcp_request' && l['method'] === 'tools/call'));
    const call = jsonLines(stderr()).filter((l) => l['event'] === 'mcp_request' && l['method'] === 'tools/call').at(-1)!;
    const retry = jsonLines(stderr()).filter((l) => l['event'] === 'upstream_retry').at(-1)!;
    expect(call['traceId']).toMatch(/^[0-9a-f]{32}$/);
    expect(retry['traceId']).toBe(call['traceId']);
    expect(attempts.map((l) => l['traceId'])).toEqual([call['traceId'], call['traceId']]);
  });

  it('counts requests by method, tool and outcome, with latency histograms and process metrics', async () => {
    const client = await connect(http.mcpUrl, 'legacy');
    const before = await scrape(http);
    const calls = 3;
    for (let i = 0; i < calls; i++) await client.callTool({ name: 'list_items', arguments: {} });
    upstream.answer = (_req, res) => json(res, 404, { error: 'no such item' });
    const missing = await client.callTool({ name: 'search', arguments: { q: 'x' } });
    expect(missing.isError).toBe(true);
    const after = await scrape(http);
    const delta = (name: string, labels: Record<string, string>) => (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    const ok = { method: 'tools/call', tool: 'list_items', outcome: 'ok' };
    expect(delta('mcp_requests_total', ok)).toBe(calls);
    expect(delta('mcp_request_duration_seconds_count', ok)).toBe(calls);
    expect(delta('mcp_requests_total', { method: 'tools/call', tool: 'search', outcome: 'tool_error' })).toBe(1);
    expect(delta('mcp_upstream_request_duration_seconds_count', { origin: upstream.origin, method: 'GET' })).toBe(calls + 1);
    expect(delta('mcp_upstream_responses_total', { origin: upstream.origin, method: 'GET', status: '404' })).toBe(1);
    expect(sample(after, 'mcp_requests_in_flight', {})).toBe(0);
    expect(sample(after, 'process_resident_memory_bytes', {})).toBeGreaterThan(0);
    // A name that is not a tool never becomes a label value.
    expect(after.some((s) => s.labels['tool'] === HEADER_KEY || s.labels['tool'] === '***')).toBe(false);
  });

  it('answers /readyz 200 once serving, and only GET or HEAD', async () => {
    const ready = await rawRequest({ port: http.port, path: '/readyz', method: 'GET' });
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready' });
    expect((await rawRequest({ port: http.port, path: '/readyz', method: 'POST' })).status).toBe(405);
  });
});

describe('traceparent', () => {
  let http: HttpServerHandle;
  let stderr: () => string;
  beforeAll(async () => {
    ({ http, stderr } = await startServer());
  }, 60_000);

  const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
  const PARENT = '00f067aa0ba902b7';

  it.each(ERAS)("continues the caller's trace in the logs and upstream (%s era)", async (era) => {
    const client = await connect(http.mcpUrl, era, { traceparent: `00-${TRACE_ID}-${PARENT}-01` });
    await client.callTool({ name: 'list_items', arguments: {} });
    const sent = upstream.seen.at(-1)!.headers['traceparent'];
    expect(sent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(sent).not.toContain(PARENT);
    await eventually(() => jsonLines(stderr()).some((l) => l['event'] === 'mcp_request' && l['traceId'] === TRACE_ID && l['method'] === 'tools/call'));
    // Both eras use the same trace id: the last attempt logged is this one's.
    const line = jsonLines(stderr()).filter((l) => l['event'] === 'upstream_request' && l['traceId'] === TRACE_ID).at(-1);
    // The upstream request's parent span is the span id the attempt logged.
    expect(sent).toBe(`00-${TRACE_ID}-${String(line?.['spanId'])}-01`);
  });

  it('sends no traceparent upstream when the caller sent none (or a malformed one)', async () => {
    const plain = await connect(http.mcpUrl, 'modern');
    await plain.callTool({ name: 'list_items', arguments: {} });
    const malformed = await connect(http.mcpUrl, 'modern', { traceparent: `00-${'0'.repeat(32)}-${PARENT}-01` });
    await malformed.callTool({ name: 'list_items', arguments: {} });
    expect(upstream.seen).toHaveLength(2);
    expect(upstream.seen.map((r) => r.headers['traceparent'])).toEqual([undefined, undefined]);
  });
});

describe('inbound rate limit (MCPGEN_RATE_LIMIT_PER_MINUTE)', () => {
  const post = (http: HttpServerHandle) =>
    rawRequest({
      port: http.port,
      path: '/mcp',
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: initializeBody(),
    });

  it('answers 429 with Retry-After once a client is over its limit, and counts it', async () => {
    const { http } = await startServer({ MCPGEN_RATE_LIMIT_PER_MINUTE: '3' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(http)).status);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await post(http);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    // One token every 20 s at 3 per minute.
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(JSON.parse(refused.body)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
    // Health, readiness and metrics are not rate limited.
    expect((await rawRequest({ port: http.port, path: '/healthz', method: 'GET' })).status).toBe(200);
    expect(sample(await scrape(http), 'mcp_rate_limited_total', {})).toBe(1);
  });

  it('with inbound auth, counts per token subject, whichever token the subject uses', async () => {
    const port = await freePort();
    const resource = `http://127.0.0.1:${port}/mcp`;
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const introspection = await startIntrospection((token) => ({ active: true, client_id: 'app', sub: token.split('-')[0], aud: resource, exp }));
    try {
      const { http } = await startServer({ PORT: String(port), MCPGEN_RATE_LIMIT_PER_MINUTE: '2', MCP_AUTH_ISSUER: introspection.url, MCP_AUTH_INTROSPECTION_URL: `${introspection.url}/introspect` });
      const as = (token: string) =>
        rawRequest({
          port: http.port,
          path: '/mcp',
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
          body: initializeBody(),
        }).then((res) => res.status);
      expect([await as('alice-token1'), await as('alice-token1'), await as('alice-token2'), await as('bob-token1')]).toEqual([200, 200, 429, 200]);
    } finally {
      await introspection.close();
    }
  });

  it('is off by default', async () => {
    const { http } = await startServer();
    for (let i = 0; i < 10; i++) expect((await post(http)).status).toBe(200);
  });
});

describe('settings', () => {
  it('MCPGEN_METRICS=off serves no /metrics', async () => {
    const { http } = await startServer({ MCPGEN_METRICS: 'off' });
    expect((await rawRequest({ port: http.port, path: '/metrics', method: 'GET' })).status).toBe(404);
  });

  it('an unknown LOG_LEVEL stops the start with a message naming it', async () => {
    await expect(startServer({ LOG_LEVEL: 'loud' })).rejects.toThrow(/LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"/);
  });

  it('stdio is quiet by default and logs each request with LOG_LEVEL=info', async () => {
    const quiet = await connectStdio(server.out, apiEnv(), 'legacy');
    await quiet.client.callTool({ name: 'list_items', arguments: {} });
    const verbose = await connectStdio(server.out, apiEnv({ LOG_LEVEL: 'info' }), 'legacy');
    await verbose.client.callTool({ name: 'list_items', arguments: {} });
    await eventually(() => verbose.stderr().includes('"event":"mcp_request"'));
    await quiet.close();
    await verbose.close();
    expect(jsonLines(quiet.stderr())).toEqual([]);
    const lines = jsonLines(verbose.stderr());
    expect(lines.find((l) => l['event'] === 'mcp_request' && l['method'] === 'tools/call')).toMatchObject({ tool: 'list_items', outcome: 'ok', traceId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(verbose.stderr()).not.toContain(HEADER_KEY);
  });
});

describe('/readyz with inbound auth', () => {
  it('is 503 while the introspection endpoint cannot be reached, 200 when it answers', async () => {
    const down = await startServer({ MCP_AUTH_ISSUER: 'http://127.0.0.1:9', MCP_AUTH_INTROSPECTION_URL: 'http://127.0.0.1:9/introspect' });
    const notReady = await rawRequest({ port: down.http.port, path: '/readyz', method: 'GET' });
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.body)).toMatchObject({ status: 'not ready', reason: expect.stringContaining('http://127.0.0.1:9') });
    const up = await startServer({ MCP_AUTH_ISSUER: upstream.origin, MCP_AUTH_INTROSPECTION_URL: `${upstream.origin}/introspect` });
    expect((await rawRequest({ port: up.http.port, path: '/readyz', method: 'GET' })).status).toBe(200);
  });
});

describe('OpenTelemetry export (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  interface OtlpSpan {
    readonly traceId: string;
    readonly spanId: string;
    readonly parentSpanId?: string;
    readonly name: string;
    readonly kind: number;
  }

  it('exports a server span per MCP request and a client span per upstream attempt to an OTLP/HTTP receiver', async () => {
    const receiver = await startRecordingUpstream();
    receiver.answer = (_req, res) => json(res, 200, {});
    try {
      const { http } = await startServer({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin, OTEL_BSP_SCHEDULE_DELAY: '100' });
      const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
      const PARENT = 'b7ad6b7169203331';
      const client = await connect(http.mcpUrl, 'modern', { traceparent: `00-${TRACE_ID}-${PARENT}-01` });
      await client.callTool({ name: 'list_items', arguments: {} });
      const sent = upstream.seen.at(-1)!.headers['traceparent'];
      const spans = (): OtlpSpan[] =>
        receiver.seen
          .filter((r) => r.url === '/v1/traces')
          .flatMap((r) => (JSON.parse(r.body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }).resourceSpans)
          .flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
      await eventually(() => spans().some((s) => s.kind === 3));
      const server = spans().find((s) => s.kind === 2 && s.name === 'tools/call list_items');
      const call = spans().find((s) => s.kind === 3);
      expect(server).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT });
      expect(call).toMatchObject({ traceId: TRACE_ID, parentSpanId: server!.spanId, name: 'GET' });
      // The upstream is told the client span's id as its parent.
      expect(sent).toBe(`00-${TRACE_ID}-${call!.spanId}-01`);
      expect(receiver.seen.every((r) => !r.body.includes(HEADER_KEY) && !r.body.includes(QUERY_KEY))).toBe(true);
    } finally {
      await receiver.close();
    }
  });
});

describe('graceful shutdown on SIGTERM (MCPGEN_SHUTDOWN_DELAY_MS)', () => {
  /** How the process ended, once it has. */
  function exitOf(http: HttpServerHandle): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return new Promise((resolve) => http.process.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Polls (bounded) until `probe` resolves true; returns its last answer. */
  async function until(probe: () => Promise<boolean>): Promise<boolean> {
    for (let i = 0; i < 100; i++) {
      if (await probe()) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  it('answers /readyz 503 at once, still serves calls during the delay, then exits 0', async () => {
    const { http, stderr } = await startServer({ MCPGEN_SHUTDOWN_DELAY_MS: '4000' });
    const exited = exitOf(http);
    expect((await rawRequest({ port: http.port, path: '/readyz', method: 'GET' })).status).toBe(200);
    http.process.kill('SIGTERM');
    const notReady = await until(async () => (await rawRequest({ port: http.port, path: '/readyz', method: 'GET' })).status === 503);
    expect(notReady).toBe(true);
    const readyz = await rawRequest({ port: http.port, path: '/readyz', method: 'GET' });
    expect(JSON.parse(readyz.body)).toEqual({ status: 'not ready', reason: 'shutting down' });
    // A load balancer that has not yet seen the 503 still gets answers.
    const client = await connect(http.mcpUrl, 'modern');
    expect((await client.callTool({ name: 'list_items', arguments: {} })).isError).toBeFalsy();
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(jsonLines(stderr()).filter((line) => line['event'] === 'shutdown').map((line) => line['phase'])).toEqual(['not_ready', 'draining']);
  });

  it('stops accepting at once with a delay of 0, lets the call in flight finish, then exits 0', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    upstream.answer = (_req, res) => void held.then(() => json(res, 200, [{ id: 'late' }]));
    const { http, stderr } = await startServer({ MCPGEN_SHUTDOWN_DELAY_MS: '0' });
    const exited = exitOf(http);
    const client = await connect(http.mcpUrl, 'modern');
    const call = client.callTool({ name: 'list_items', arguments: {} });
    await eventually(() => upstream.seen.length === 1);
    expect(upstream.seen).toHaveLength(1);
    http.process.kill('SIGTERM');
    const refused = await until(() => rawRequest({ port: http.port, path: '/healthz', method: 'GET' }).then(() => false, () => true));
    expect(refused).toBe(true);
    release();
    const result = await call;
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result.content)).toContain('late');
    expect(await exited).toEqual({ code: 0, signal: null });
    // Exited once the call was answered, not by cutting connections at the drain timeout.
    expect(jsonLines(stderr()).filter((line) => line['event'] === 'shutdown').map((line) => line['phase'])).toEqual(['draining']);
  });

  it('an invalid MCPGEN_SHUTDOWN_DELAY_MS stops the start with a message naming it', async () => {
    await expect(startServer({ MCPGEN_SHUTDOWN_DELAY_MS: 'soon' })).rejects.toThrow(/MCPGEN_SHUTDOWN_DELAY_MS must be an integer between 0 and 600000/);
  });
});
