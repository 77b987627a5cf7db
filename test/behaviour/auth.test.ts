// Inbound OAuth on the generated HTTP server (MCP_AUTH_*): tokens are checked by RFC 7662
// introspection against a real authorization server stand-in on 127.0.0.1, bound to the
// server's URL, and the client's token never reaches the upstream API.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, ERAS, freePort, generatedDir, initializeBody, killAllSpawned, makeClient, rawRequest, startHttp, type HttpServerHandle } from '../support/mcp.js';
import { LEDGER_BASE_PATH, LEDGER_HEALTH, startUpstream, type Upstream } from '../support/upstream.js';

const SERVER_DIR = generatedDir('ledger-api');
const CLIENT_ID = 'ledger-mcp';
const CLIENT_SECRET = 's3cret:with/odd chars';
const now = () => Math.floor(Date.now() / 1000);

interface Introspected {
  readonly token: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
}

let upstream: Upstream;
let issuer: Server;
let issuerUrl: string;
let http: HttpServerHandle;
let resource: string;
const introspected: Introspected[] = [];

/** What the authorization server says about each token. */
function answer(token: string): Record<string, unknown> {
  const valid = { active: true, client_id: 'desktop-app', scope: 'mcp:tools profile', exp: now() + 3600, aud: resource };
  switch (token) {
    case 'good':
    case 'burst':
      return valid;
    case 'good-many-audiences':
      return { ...valid, aud: ['https://other.example', resource] };
    case 'other-audience':
      return { ...valid, aud: 'https://other.example/mcp' };
    case 'no-scope':
      return { ...valid, scope: 'profile' };
    case 'expired':
      return { ...valid, exp: now() - 60 };
    default:
      return { active: false };
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

beforeAll(async () => {
  assertBuilt(SERVER_DIR);
  upstream = await startUpstream();
  issuer = createServer((req, res) => {
    void readBody(req).then((body) => {
      const token = new URLSearchParams(body).get('token') ?? '';
      introspected.push({ token, authorization: req.headers.authorization, contentType: req.headers['content-type'] });
      const expected = `Basic ${Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(CLIENT_SECRET)}`).toString('base64')}`;
      if (req.url !== '/introspect' || req.headers.authorization !== expected) {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer(token)));
    });
  });
  await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', resolve));
  issuerUrl = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}`;
  // The resource URL is fixed up front (as in a deployment) so tokens can name it.
  const port = await freePort();
  resource = `http://127.0.0.1:${port}/mcp`;
  http = await startHttp(SERVER_DIR, {
    PORT: String(port),
    LEDGER_API_BASE_URL: upstream.url + LEDGER_BASE_PATH,
    MCP_AUTH_ISSUER: issuerUrl,
    MCP_AUTH_INTROSPECTION_URL: `${issuerUrl}/introspect`,
    MCP_AUTH_CLIENT_ID: CLIENT_ID,
    MCP_AUTH_CLIENT_SECRET: CLIENT_SECRET,
    MCP_AUTH_REQUIRED_SCOPES: 'mcp:tools',
  });
}, 60_000);

afterAll(async () => {
  await killAllSpawned();
  await upstream?.close();
  await new Promise<void>((resolve) => (issuer ? issuer.close(() => resolve()) : resolve()));
});

function post(token?: string, port = http.port) {
  return rawRequest({
    port,
    path: '/mcp',
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: initializeBody(),
  });
}

const METADATA_PATH = '/.well-known/oauth-protected-resource/mcp';

describe('inbound OAuth on the HTTP server', () => {
  it('publishes RFC 9728 protected resource metadata naming the authorization server', async () => {
    const res = await rawRequest({ port: http.port, path: METADATA_PATH, method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(JSON.parse(res.body)).toEqual({ resource, authorization_servers: [`${issuerUrl}/`], bearer_methods_supported: ['header'], scopes_supported: ['mcp:tools'] });
  });

  it('answers 401 with a challenge that points at the metadata when no token is sent, without asking the authorization server', async () => {
    const before = introspected.length;
    const res = await post();
    expect(res.status).toBe(401);
    expect(String(res.headers['www-authenticate'])).toContain(`resource_metadata="http://127.0.0.1:${http.port}${METADATA_PATH}"`);
    expect(introspected.length).toBe(before);
  });

  it.each([
    ['an unknown token', 'nope', 401, 'invalid_token'],
    ['an expired token', 'expired', 401, 'invalid_token'],
    ['a token issued for another resource', 'other-audience', 401, 'invalid_token'],
    ['a token without the required scope', 'no-scope', 403, 'insufficient_scope'],
  ])('refuses %s', async (_label, token, status, error) => {
    const res = await post(token);
    expect(res.status).toBe(status);
    expect(String(res.headers['www-authenticate'])).toContain(`error="${error}"`);
    const last = introspected.at(-1)!;
    expect(last.token).toBe(token);
    expect(last.contentType).toBe('application/x-www-form-urlencoded');
  });

  it.each(['good', 'good-many-audiences'])('accepts a valid token (%s)', async (token) => {
    const res = await post(token);
    expect(res.status).toBe(200);
    expect(res.body).toContain('"serverInfo":{"name":"ledger-api"');
  });

  it('introspects an active token once for a burst of requests, and a refused one once while its refusal is cached', async () => {
    const count = (token: string) => introspected.filter((i) => i.token === token).length;
    for (let i = 0; i < 3; i++) expect((await post('burst')).status).toBe(200);
    expect(count('burst')).toBe(1);
    // Refusals are cached for 5 s (INTROSPECTION_REFUSAL_CACHE_MS); three quick retries fit in it.
    for (let i = 0; i < 3; i++) expect((await post('nope-burst')).status).toBe(401);
    expect(count('nope-burst')).toBe(1);
  });

  it.each(ERAS)('serves the %s-era SDK client with a token, and never forwards that token upstream', async (era) => {
    const client: Client = makeClient(era);
    const transport = new StreamableHTTPClientTransport(new URL(http.mcpUrl), { requestInit: { headers: { authorization: 'Bearer good' } } });
    await client.connect(transport);
    try {
      upstream.reset();
      const result = await client.callTool({ name: 'get_health', arguments: {} });
      expect(result.isError ?? false).toBe(false);
      expect(result.structuredContent).toEqual(LEDGER_HEALTH);
      expect(upstream.requests).toHaveLength(1);
      const sent = JSON.stringify(upstream.requests[0]!.headers);
      expect(sent).not.toContain('good');
    } finally {
      await client.close();
    }
  });

  it('reports the authorization server being down as a server error, not as a bad token', async () => {
    const down = await startHttp(SERVER_DIR, {
      LEDGER_API_BASE_URL: upstream.url + LEDGER_BASE_PATH,
      MCP_AUTH_ISSUER: issuerUrl,
      MCP_AUTH_INTROSPECTION_URL: 'http://127.0.0.1:9/introspect',
    });
    try {
      const res = await post('good', down.port);
      expect(res.status).toBe(500);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'server_error' });
    } finally {
      await down.close();
    }
  });

  it('refuses to start when MCP_AUTH_ISSUER is set without an introspection endpoint', async () => {
    await expect(startHttp(SERVER_DIR, { LEDGER_API_BASE_URL: upstream.url, MCP_AUTH_ISSUER: issuerUrl })).rejects.toThrow(/MCP_AUTH_INTROSPECTION_URL/);
  });
});
