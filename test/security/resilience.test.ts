// Retries and the circuit breaker of the upstream exchange, on a generated server run as a real
// process against an upstream on 127.0.0.1 that fails on purpose.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { onlyText } from '../support/assertions.js';
import { connectStdio, killAllSpawned, type Connection } from '../support/mcp.js';
import { removeDir } from '../cli/helpers.js';
import { eventually, jsonLines } from './support/observed.js';
import { generateFixture, json, startRecordingUpstream, type GeneratedServer, type RecordingUpstream } from './support/recording.js';

let server: GeneratedServer;
let upstream: RecordingUpstream;
const connections: Connection[] = [];

async function connect(extra: Record<string, string> = {}): Promise<Connection> {
  const conn = await connectStdio(server.out, { VAULT_API_BASE_URL: `${upstream.origin}/v1`, VAULT_API_HEADER_KEY: 'k-123456', VAULT_API_QUERY_KEY: 'q-123456', ...extra }, 'legacy');
  connections.push(conn);
  return conn;
}

beforeAll(async () => {
  server = generateFixture('vault.yaml', 'vault-api');
  upstream = await startRecordingUpstream();
});

afterAll(async () => {
  for (const conn of connections) await conn.close();
  await killAllSpawned();
  await upstream?.close();
  if (server) removeDir(server.dir);
});

afterEach(() => {
  upstream.seen.length = 0;
});

/** Answers `failures` times with `status` (and headers), then 200. */
function failing(failures: number, status: number, headers: Record<string, string> = {}) {
  let left = failures;
  return (_req: unknown, res: Parameters<typeof json>[0]) => (left-- > 0 ? json(res, status, { error: 'busy' }, headers) : json(res, 200, [{ id: 'a' }]));
}

describe('retries (on by default)', () => {
  it.each([502, 503, 504, 429])('an idempotent GET answered %i is retried and succeeds', async (status) => {
    const conn = connections[0] ?? (await connect());
    upstream.answer = failing(2, status);
    const result = await conn.client.callTool({ name: 'list_items', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(upstream.seen.map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
    expect(conn.stderr()).toContain('"event":"upstream_retry"');
  });

  it('gives up after MCPGEN_RETRIES extra attempts and shows the last answer', async () => {
    const conn = connections[0] ?? (await connect());
    upstream.answer = failing(10, 503);
    const result = await conn.client.callTool({ name: 'list_items', arguments: {} });
    expect(result.isError).toBe(true);
    expect(onlyText(result)).toContain('503');
    expect(upstream.seen).toHaveLength(3);
  });

  it('POST and PATCH are never retried', async () => {
    const conn = connections[0] ?? (await connect());
    upstream.answer = failing(1, 503);
    const post = await conn.client.callTool({ name: 'create_item', arguments: { body: { name: 'x' } } });
    expect(post.isError).toBe(true);
    upstream.answer = failing(1, 503);
    const patch = await conn.client.callTool({ name: 'update_item', arguments: { id: 'a', body: { name: 'x' } } });
    expect(patch.isError).toBe(true);
    expect(upstream.seen.map((r) => r.method)).toEqual(['POST', 'PATCH']);
  });

  it('honours Retry-After within the cap, and returns a longer one to the caller', async () => {
    const conn = connections[0] ?? (await connect());
    upstream.answer = failing(1, 429, { 'retry-after': '1' });
    const started = Date.now();
    const result = await conn.client.callTool({ name: 'list_items', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    upstream.seen.length = 0;
    upstream.answer = failing(1, 429, { 'retry-after': '3600' });
    const refused = await conn.client.callTool({ name: 'list_items', arguments: {} });
    expect(refused.isError).toBe(true);
    expect(upstream.seen).toHaveLength(1);
  });

  it('MCPGEN_RETRIES=0 turns retries off', async () => {
    const conn = await connect({ MCPGEN_RETRIES: '0' });
    upstream.answer = failing(1, 503);
    const result = await conn.client.callTool({ name: 'list_items', arguments: {} });
    expect(result.isError).toBe(true);
    expect(upstream.seen).toHaveLength(1);
  });
});

describe('circuit breaker (opt-in)', () => {
  it('opens after N consecutive failures and then fails fast without calling the upstream', async () => {
    const conn = await connect({ MCPGEN_RETRIES: '0', MCPGEN_CIRCUIT_BREAKER_FAILURES: '3', MCPGEN_CIRCUIT_BREAKER_OPEN_MS: '60000' });
    upstream.answer = failing(100, 500);
    for (let i = 0; i < 3; i++) await conn.client.callTool({ name: 'list_items', arguments: {} });
    expect(upstream.seen).toHaveLength(3);
    const fast = await conn.client.callTool({ name: 'list_items', arguments: {} });
    expect(fast.isError).toBe(true);
    expect(onlyText(fast)).toMatch(/failed 3 times in a row; calls fail fast/);
    expect(upstream.seen).toHaveLength(3);
    expect(conn.stderr()).toContain('"event":"circuit_open"');
  });

  it('logs the circuit opening with the trace id of the call that opened it', async () => {
    const conn = await connect({ MCPGEN_RETRIES: '0', MCPGEN_CIRCUIT_BREAKER_FAILURES: '2', MCPGEN_CIRCUIT_BREAKER_OPEN_MS: '60000', LOG_LEVEL: 'info' });
    upstream.answer = failing(100, 500);
    for (let i = 0; i < 2; i++) await conn.client.callTool({ name: 'list_items', arguments: {} });
    const lines = (): Record<string, unknown>[] => jsonLines(conn.stderr());
    await eventually(() => lines().filter((l) => l['event'] === 'mcp_request' && l['method'] === 'tools/call').length === 2);
    const calls = lines().filter((l) => l['event'] === 'mcp_request' && l['method'] === 'tools/call');
    expect(calls).toHaveLength(2);
    expect(calls[0]!['traceId']).not.toBe(calls[1]!['traceId']);
    const opened = lines().filter((l) => l['event'] === 'circuit_open');
    expect(opened).toHaveLength(1);
    expect(opened[0]!['traceId']).toBe(calls[1]!['traceId']);
  });
});
