// Upstream requests stay with the upstream, and secrets never leave the server: a generated
// server (real process, real SDK client) against a recording upstream and a second, "foreign"
// origin that must never see a request.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { onlyText, type CallResult } from '../support/assertions.js';
import { childEnv, connectHttp, connectStdio, killAllSpawned, startHttp, type Connection, type HttpServerHandle } from '../support/mcp.js';
import { removeDir } from '../cli/helpers.js';
import { generateFixture, json, redirect, startRecordingUpstream, type GeneratedServer, type RecordingUpstream } from './support/recording.js';

const HEADER_KEY = 'hdr-key-7f3a9c21e5';
const QUERY_KEY = 'qry-key-b81d4e60aa';

let server: GeneratedServer;
let upstream: RecordingUpstream;
let foreign: RecordingUpstream;
let stdio: Connection;
let http: HttpServerHandle;
let overHttp: Connection;

function env(): Record<string, string> {
  return { VAULT_API_BASE_URL: `${upstream.origin}/v1`, VAULT_API_HEADER_KEY: HEADER_KEY, VAULT_API_QUERY_KEY: QUERY_KEY };
}

beforeAll(async () => {
  server = generateFixture('vault.yaml', 'vault-api');
  upstream = await startRecordingUpstream();
  foreign = await startRecordingUpstream();
  stdio = await connectStdio(server.out, env(), 'legacy');
  http = await startHttp(server.out, env());
  overHttp = await connectHttp(http.mcpUrl, 'modern');
});

afterAll(async () => {
  await stdio?.close();
  await overHttp?.close();
  await http?.close();
  await killAllSpawned();
  await upstream?.close();
  await foreign?.close();
  if (server) removeDir(server.dir);
});

afterEach(() => {
  upstream.seen.length = 0;
  foreign.seen.length = 0;
  upstream.answer = (_req, res) => json(res, 200, {});
});

const call = (conn: Connection, name: string, args: Record<string, unknown>): Promise<CallResult> => conn.client.callTool({ name, arguments: args });

describe.each([
  ['stdio', () => stdio],
  ['HTTP', () => overHttp],
] as const)('redirects over %s', (_transport, conn) => {
  it('follows a redirect within the upstream origin, credentials kept', async () => {
    upstream.answer = (req, res) => (req.url.startsWith('/v1/items') ? redirect(res, 302, '/v1/landing') : json(res, 200, [{ id: 'a' }]));
    const result = await call(conn(), 'list_items', {});
    expect(result.isError).toBeFalsy();
    expect(upstream.seen.map((r) => r.url)).toEqual(['/v1/items', '/v1/landing']);
    expect(upstream.seen.every((r) => r.headers['x-api-key'] === HEADER_KEY)).toBe(true);
  });

  it.each([301, 302, 303, 307, 308])('refuses a %i to another origin: nothing reaches it, the model is told', async (status) => {
    upstream.answer = (_req, res) => redirect(res, status, `${foreign.origin}/steal`);
    const result = await call(conn(), 'update_item', { id: 'a1', body: { name: 'renamed' } });
    expect(result.isError).toBe(true);
    const text = onlyText(result);
    expect(text).toContain(`HTTP ${status}`);
    expect(text).toContain(foreign.origin);
    expect(foreign.seen).toEqual([]);
    expect(upstream.seen).toHaveLength(1);
  });

  it('a 303 after a POST is followed as a GET without the body', async () => {
    upstream.answer = (req, res) => (req.method === 'POST' ? redirect(res, 303, `${upstream.origin}/v1/items/new`) : json(res, 200, { id: 'new' }));
    const result = await call(conn(), 'create_item', { body: { name: 'n' } });
    expect(result.isError).toBeFalsy();
    const [post, get] = upstream.seen;
    expect(post?.method).toBe('POST');
    expect(get?.method).toBe('GET');
    expect(get?.body).toBe('');
    expect(get?.headers['content-type']).toBeUndefined();
  });

  it('a 307 within the origin repeats the method and the body', async () => {
    upstream.answer = (req, res) => (req.url === '/v1/items/a1' ? redirect(res, 307, '/v1/items/a1-moved') : json(res, 200, { ok: true }));
    const result = await call(conn(), 'update_item', { id: 'a1', body: { name: 'again' } });
    expect(result.isError).toBeFalsy();
    expect(upstream.seen.map((r) => [r.method, r.url, r.body])).toEqual([
      ['PATCH', '/v1/items/a1', '{"name":"again"}'],
      ['PATCH', '/v1/items/a1-moved', '{"name":"again"}'],
    ]);
  });

  it('a redirect loop stops after a few hops', async () => {
    upstream.answer = (_req, res) => redirect(res, 302, '/v1/items');
    const result = await call(conn(), 'list_items', {});
    expect(result.isError).toBe(true);
    expect(onlyText(result)).toMatch(/redirected more than \d+ times/);
    expect(upstream.seen.length).toBeLessThanOrEqual(6);
  });

  it('an https upstream can never be redirected to http (another origin)', async () => {
    upstream.answer = (_req, res) => redirect(res, 308, upstream.origin.replace('http:', 'https:') + '/v1/x');
    const result = await call(conn(), 'list_items', {});
    expect(result.isError).toBe(true);
    expect(upstream.seen).toHaveLength(1);
  });
});

describe('secrets never reach the model or stderr', () => {
  const echo = (req: { headers: Record<string, unknown>; url: string }, res: Parameters<typeof json>[0]): void =>
    json(res, 401, { error: 'unauthorized', youSent: { headers: req.headers, url: req.url } });

  it.each([
    ['stdio', () => stdio],
    ['HTTP', () => overHttp],
  ] as const)('an upstream error body that echoes the request is redacted (%s)', async (_t, conn) => {
    upstream.answer = echo;
    for (const [tool, args] of [
      ['list_items', {}],
      ['search', { q: 'x' }],
    ] as const) {
      const result = await call(conn(), tool, args);
      expect(result.isError).toBe(true);
      const wire = JSON.stringify(result);
      expect(wire).not.toContain(HEADER_KEY);
      expect(wire).not.toContain(QUERY_KEY);
      expect(wire).toContain('***');
    }
    // The upstream did get the credentials: redaction is on the way out only.
    expect(upstream.seen[0]?.headers['x-api-key']).toBe(HEADER_KEY);
    expect(upstream.seen[1]?.url).toContain(`api_key=${QUERY_KEY}`);
  });

  it('a successful body that contains a key is redacted too, and progress messages mask the query key', async () => {
    upstream.answer = (req, res) => json(res, 200, { debug: `key was ${QUERY_KEY}`, url: req.url });
    const progress: string[] = [];
    const result = await stdio.client.callTool({ name: 'search', arguments: { q: 'x' } }, {
      onprogress: (p) => progress.push(p.message ?? ''),
    });
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result)).not.toContain(QUERY_KEY);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.join('\n')).not.toContain(QUERY_KEY);
    expect(stdio.stderr()).not.toContain(QUERY_KEY);
    expect(stdio.stderr()).not.toContain(HEADER_KEY);
  });

  it('a base URL holding user:password@ stops the start, naming the variable and not the value', () => {
    const run = spawnSync(process.execPath, [path.join(server.out, 'dist', 'stdio.js')], {
      env: childEnv({ ...env(), VAULT_API_BASE_URL: `http://admin:pw-s3cr3t-99@127.0.0.1:9/v1` }),
      input: '',
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('VAULT_API_BASE_URL');
    expect(run.stderr).toContain('credentials');
    expect(run.stderr).not.toContain('pw-s3cr3t-99');
    expect(run.stdout).toBe('');
  });
});

describe('an argument can never add or replace a credential or another parameter', () => {
  it('allowReserved keeps "&" and "=" encoded: one api_key, the real one', async () => {
    const result = await call(stdio, 'search', { q: 'a/b?c&api_key=stolen&page=9' });
    expect(result.isError).toBeFalsy();
    const url = new URL(upstream.seen[0]!.url, upstream.origin);
    expect(url.searchParams.getAll('api_key')).toEqual([QUERY_KEY]);
    expect(url.searchParams.getAll('page')).toEqual([]);
    expect(url.searchParams.get('q')).toBe('a/b?c&api_key=stolen&page=9');
    expect(upstream.seen[0]!.url).toContain('q=a/b?c%26api_key%3Dstolen%26page%3D9');
  });

  it.each([
    ['a credential', { api_key: 'stolen' }, 'carries a credential'],
    ['another parameter', { page: '9' }, 'another parameter'],
  ])('a free-form object spread over the query cannot set %s', async (_name, filter, message) => {
    const result = await call(stdio, 'search', { q: 'x', filter });
    expect(result.isError).toBe(true);
    expect(onlyText(result)).toContain(message);
    expect(upstream.seen).toEqual([]);
  });

  it('ordinary free-form keys still pass', async () => {
    const result = await call(stdio, 'search', { q: 'x', filter: { color: 'red' } });
    expect(result.isError).toBeFalsy();
    expect(new URL(upstream.seen[0]!.url, upstream.origin).searchParams.get('color')).toBe('red');
  });
});
