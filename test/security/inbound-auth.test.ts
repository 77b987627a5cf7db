// What clients can make the authorization server do, measured at a real RFC 7662
// introspection endpoint on 127.0.0.1 that counts its calls, through the generated server
// running as a real process with inbound auth on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, generatedDir, initializeBody, killAllSpawned, rawRequest, startHttp, type HttpServerHandle } from '../support/mcp.js';
import { inParallel, startIntrospection, type IntrospectionEndpoint } from './inbound-support.js';

const SERVER_DIR = generatedDir('ledger-api');
const RESOURCE = 'https://mcp.example.test/mcp';
/** INTROSPECTION_REFUSAL_CACHE_MS in templates/runtime/inbound/auth.ts, as documented in the README. */
const REFUSAL_CACHE_MS = 5_000;
const seconds = () => Math.floor(Date.now() / 1000);

let introspection: IntrospectionEndpoint;
let http: HttpServerHandle;

beforeAll(async () => {
  assertBuilt(SERVER_DIR);
  introspection = await startIntrospection(
    (token) => {
      if (token.startsWith('failing')) return 500;
      const active = { active: true, client_id: 'app', scope: 'mcp', aud: RESOURCE, exp: seconds() + 3600 };
      if (token.startsWith('good')) return active;
      if (token.startsWith('expired')) return { ...active, exp: seconds() - 60 };
      return { active: false };
    },
    // Slow answers let concurrent requests with one token overlap at the server; held ones
    // stay pending long enough that every request of a flood arrives while they wait.
    (token) => (token.includes('held') ? 3_000 : token.includes('slow') ? 300 : 0),
  );
  http = await startHttp(SERVER_DIR, {
    LEDGER_API_BASE_URL: 'http://127.0.0.1:9',
    MCP_AUTH_ISSUER: introspection.url,
    MCP_AUTH_INTROSPECTION_URL: `${introspection.url}/introspect`,
    MCP_RESOURCE_URL: RESOURCE,
  });
}, 60_000);

afterAll(async () => {
  await killAllSpawned();
  await introspection?.close();
});

const post = (token: string) =>
  rawRequest({
    port: http.port,
    path: '/mcp',
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}` },
    body: initializeBody(),
  }).then((res) => ({ status: res.status, challenge: String(res.headers['www-authenticate'] ?? '') }));

/** Calls allowed for `elapsedMs` of repeats: one per refusal-cache period begun. */
const refusalBudget = (elapsedMs: number) => 1 + Math.floor(elapsedMs / REFUSAL_CACHE_MS);

describe('introspection calls caused by clients', () => {
  it.each([
    ['an unknown token', 'bad-repeated'],
    ['an expired token', 'expired-repeated'],
  ])('200 requests with %s cost one introspection per refusal period, not 200', async (_name, token) => {
    const started = Date.now();
    const answers = await inParallel(200, 4, () => post(token));
    const elapsed = Date.now() - started;
    expect(answers.every((a) => a.status === 401 && a.challenge.includes('error="invalid_token"'))).toBe(true);
    expect(introspection.count(token)).toBeGreaterThanOrEqual(1);
    expect(introspection.count(token)).toBeLessThanOrEqual(refusalBudget(elapsed));
  });

  it.each([
    ['an active token', 'good-slow-concurrent', 200],
    ['an unknown token', 'bad-slow-concurrent', 401],
  ])('50 concurrent requests with %s share one introspection call', async (_name, token, status) => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(token)));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(status));
    expect(introspection.count(token)).toBe(1);
  });

  it('a flood of distinct tokens costs at most MCP_AUTH_MAX_INTROSPECTIONS calls at once; the rest get 503, known tokens still pass', async () => {
    const capped = await startHttp(SERVER_DIR, {
      LEDGER_API_BASE_URL: 'http://127.0.0.1:9',
      MCP_AUTH_ISSUER: introspection.url,
      MCP_AUTH_INTROSPECTION_URL: `${introspection.url}/introspect`,
      MCP_RESOURCE_URL: RESOURCE,
      MCP_AUTH_MAX_INTROSPECTIONS: '4',
    });
    const send = (token: string) =>
      rawRequest({
        port: capped.port,
        path: '/mcp',
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}` },
        body: initializeBody(),
      });
    expect((await send('good-known')).status).toBe(200);
    // 20 distinct unknown tokens, each held 3 s at the authorization server, and a known one.
    const flood = Array.from({ length: 20 }, (_, i) => `flood-held-${i}`);
    const [known, ...answers] = await Promise.all([send('good-known'), ...flood.map((token) => send(token))]);
    expect(known!.status).toBe(200);
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(4);
    expect(statuses.filter((s) => s === 503)).toHaveLength(16);
    expect(answers.filter((a) => a.status === 503).every((a) => a.headers['retry-after'] === '1')).toBe(true);
    expect(flood.reduce((sum, token) => sum + introspection.count(token), 0)).toBe(4);
    expect(introspection.count('good-known')).toBe(1);
  });

  it('does not cache a failing authorization server: each request asks again (a 500, not a refused token)', async () => {
    for (let i = 0; i < 3; i++) expect((await post('failing')).status).toBe(500);
    expect(introspection.count('failing')).toBe(3);
  });
});
