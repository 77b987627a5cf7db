// Upstream OAuth 2.0 client credentials, on a generated server run as a real process: the token
// endpoint and the API are real HTTP servers on 127.0.0.1 that record every request. The spec's
// token URL is relative (/oauth/token), so it resolves against the base URL: the API's server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { onlyText } from '../support/assertions.js';
import { connectHttp, connectStdio, killAllSpawned, startHttp, type Connection } from '../support/mcp.js';
import { removeDir } from '../cli/helpers.js';
import { eventually, jsonLines, sample, scrape } from './support/observed.js';
import { generateFixture, json, startRecordingUpstream, type Answer, type GeneratedServer, type RecordingUpstream, type Seen } from './support/recording.js';

const CLIENT_ID = 'mcp-client';
const CLIENT_SECRET = 'client-secret-4f9a2c';

let server: GeneratedServer;
let upstream: RecordingUpstream;
const connections: Connection[] = [];

/** What the token endpoint answers the n-th token request (0-based); the default issues tok-<n>. */
let tokenAnswer: (n: number, req: Seen, res: Parameters<Answer>[1]) => void;
/** How the API answers (default: 200 echoing the Authorization header it got). */
let apiAnswer: Answer;

const tokenRequests = (): Seen[] => upstream.seen.filter((r) => r.url === '/oauth/token');
const apiRequests = (): Seen[] => upstream.seen.filter((r) => r.url !== '/oauth/token');

function issue(expiresIn?: number) {
  return (n: number, _req: Seen, res: Parameters<Answer>[1]) => json(res, 200, { access_token: `tok-${n + 1}-abcdef`, token_type: 'Bearer', ...(expiresIn === undefined ? {} : { expires_in: expiresIn }) });
}

/** The client id and secret of an RFC 6749 section 2.3.1 Basic header (each part form-encoded). */
function basicCredentials(header: string | undefined): string[] {
  const [scheme, encoded] = (header ?? '').split(' ');
  expect(scheme).toBe('Basic');
  return Buffer.from(encoded ?? '', 'base64').toString('utf8').split(':').map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
}

async function connect(extra: Record<string, string> = {}): Promise<Connection> {
  const conn = await connectStdio(
    server.out,
    { OAUTH_API_BASE_URL: `${upstream.origin}/v1`, OAUTH_API_OAUTH_CLIENT_ID: CLIENT_ID, OAUTH_API_OAUTH_CLIENT_SECRET: CLIENT_SECRET, MCPGEN_RETRIES: '0', ...extra },
    'legacy',
  );
  connections.push(conn);
  return conn;
}

beforeAll(async () => {
  server = generateFixture('oauth.yaml', 'oauth-api');
  upstream = await startRecordingUpstream();
  upstream.answer = (req, res) => {
    if (req.url === '/oauth/token') tokenAnswer(tokenRequests().length - 1, req, res);
    else apiAnswer(req, res);
  };
});

afterEach(async () => {
  for (const conn of connections.splice(0)) await conn.close();
  upstream.seen.length = 0;
  tokenAnswer = issue(3600);
  apiAnswer = (req, res) => json(res, 200, { authorization: req.headers.authorization ?? null });
});

afterAll(async () => {
  await killAllSpawned();
  await upstream?.close();
  if (server) removeDir(server.dir);
});

tokenAnswer = issue(3600);
apiAnswer = (req, res) => json(res, 200, { authorization: req.headers.authorization ?? null });

describe('client credentials token', () => {
  it('is fetched once for concurrent calls, with HTTP basic client auth and the operation\'s scopes, then reused', async () => {
    const conn = await connect();
    const results = await Promise.all(Array.from({ length: 8 }, () => conn.client.callTool({ name: 'list_items', arguments: {} })));
    for (const result of results) expect(result.isError).toBeFalsy();
    expect(tokenRequests()).toHaveLength(1);
    const [token] = tokenRequests();
    expect(token!.method).toBe('POST');
    expect(token!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(basicCredentials(token!.headers.authorization)).toEqual([CLIENT_ID, CLIENT_SECRET]);
    const form = new URLSearchParams(token!.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe('items:read');
    expect(form.has('client_secret')).toBe(false);
    expect(apiRequests()).toHaveLength(8);
    for (const req of apiRequests()) expect(req.headers.authorization).toBe('Bearer tok-1-abcdef');

    await conn.client.callTool({ name: 'list_items', arguments: {} });
    expect(tokenRequests()).toHaveLength(1);
  });

  it('is fetched per scope set: an operation needing other scopes gets its own token', async () => {
    const conn = await connect();
    await conn.client.callTool({ name: 'list_items', arguments: {} });
    await conn.client.callTool({ name: 'create_item', arguments: { body: { name: 'x' } } });
    await conn.client.callTool({ name: 'create_order', arguments: { body: { name: 'x' } } });
    await conn.client.callTool({ name: 'create_item', arguments: { body: { name: 'y' } } });
    expect(tokenRequests().map((r) => new URLSearchParams(r.body).get('scope'))).toEqual(['items:read', 'items:read items:write', null]);
    expect(apiRequests().map((r) => r.headers.authorization)).toEqual(['Bearer tok-1-abcdef', 'Bearer tok-2-abcdef', 'Bearer tok-3-abcdef', 'Bearer tok-2-abcdef']);
  });

  it('is fetched again once it has (almost) expired', async () => {
    tokenAnswer = issue(1);
    const conn = await connect();
    await conn.client.callTool({ name: 'list_items', arguments: {} });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await conn.client.callTool({ name: 'list_items', arguments: {} });
    expect(tokenRequests()).toHaveLength(2);
    expect(apiRequests().map((r) => r.headers.authorization)).toEqual(['Bearer tok-1-abcdef', 'Bearer tok-2-abcdef']);
  });

  it('is refreshed after a 401, and the call retried once', async () => {
    const conn = await connect();
    apiAnswer = (req, res) => (req.headers.authorization === 'Bearer tok-1-abcdef' ? json(res, 401, { error: 'revoked' }) : json(res, 200, { ok: true }));
    const result = await conn.client.callTool({ name: 'list_items', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(tokenRequests()).toHaveLength(2);
    expect(apiRequests().map((r) => r.headers.authorization)).toEqual(['Bearer tok-1-abcdef', 'Bearer tok-2-abcdef']);
  });

  it('is retried only once: a second 401 reaches the caller', async () => {
    const conn = await connect();
    apiAnswer = (_req, res) => json(res, 401, { error: 'nope' });
    const result = await conn.client.callTool({ name: 'list_items', arguments: {} });
    expect(result.isError).toBe(true);
    expect(onlyText(result)).toContain('401');
    expect(apiRequests()).toHaveLength(2);
    expect(tokenRequests()).toHaveLength(2);
  });

  it('is shared by the stateless HTTP requests of every client of one process (both eras)', async () => {
    const http = await startHttp(server.out, { OAUTH_API_BASE_URL: `${upstream.origin}/v1`, OAUTH_API_OAUTH_CLIENT_ID: CLIENT_ID, OAUTH_API_OAUTH_CLIENT_SECRET: CLIENT_SECRET });
    try {
      for (const era of ['legacy', 'modern'] as const) {
        const conn = await connectHttp(http.mcpUrl, era);
        connections.push(conn);
        const result = await conn.client.callTool({ name: 'list_items', arguments: {} });
        expect(result.isError).toBeFalsy();
      }
      expect(tokenRequests()).toHaveLength(1);
      expect(apiRequests().map((r) => r.headers.authorization)).toEqual(['Bearer tok-1-abcdef', 'Bearer tok-1-abcdef']);
      expect(http.stderr()).not.toContain(CLIENT_SECRET);
      expect(http.stderr()).not.toContain('tok-1-abcdef');
    } finally {
      await http.close();
    }
  });

  it('is not fetched when a static token is set', async () => {
    const conn = await connect({ OAUTH_API_OAUTH: 'static-token-123' });
    await conn.client.callTool({ name: 'list_items', arguments: {} });
    expect(tokenRequests()).toHaveLength(0);
    expect(apiRequests()[0]!.headers.authorization).toBe('Bearer static-token-123');
  });

  it('comes from the URL in _TOKEN_URL when set', async () => {
    const other = await startRecordingUpstream();
    other.answer = (_req, res) => json(res, 200, { access_token: 'other-token-1', token_type: 'bearer', expires_in: 60 });
    try {
      const conn = await connect({ OAUTH_API_OAUTH_TOKEN_URL: `${other.origin}/token` });
      await conn.client.callTool({ name: 'list_items', arguments: {} });
      expect(other.seen.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /token']);
      expect(tokenRequests()).toHaveLength(0);
      expect(apiRequests()[0]!.headers.authorization).toBe('Bearer other-token-1');
    } finally {
      await other.close();
    }
  });
});

describe('token requests in logs and metrics', () => {
  it('each is one log line and a count by scheme and outcome, without the token, client id or secret', async () => {
    const http = await startHttp(server.out, { OAUTH_API_BASE_URL: `${upstream.origin}/v1`, OAUTH_API_OAUTH_CLIENT_ID: CLIENT_ID, OAUTH_API_OAUTH_CLIENT_SECRET: CLIENT_SECRET, MCPGEN_RETRIES: '0' });
    let stderr = '';
    http.process.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const conn = await connectHttp(http.mcpUrl, 'modern');
      connections.push(conn);
      expect((await conn.client.callTool({ name: 'list_items', arguments: {} })).isError).toBeFalsy();
      expect((await conn.client.callTool({ name: 'list_items', arguments: {} })).isError).toBeFalsy();
      tokenAnswer = (_n, _req, res) => json(res, 401, { error: 'invalid_client', error_description: `bad secret ${CLIENT_SECRET}` });
      expect((await conn.client.callTool({ name: 'create_item', arguments: { body: { name: 'x' } } })).isError).toBe(true);
      expect(tokenRequests()).toHaveLength(2);

      const tokenLines = (): Record<string, unknown>[] => jsonLines(stderr).filter((line) => line['event'] === 'token_request');
      await eventually(() => tokenLines().length === 2);
      const [ok, failed] = tokenLines();
      expect(ok).toMatchObject({ level: 'info', scheme: 'oauth', tokenUrl: `${upstream.origin}/oauth/token`, outcome: 'ok', expiresIn: 3600 });
      expect(ok!['ms']).toEqual(expect.any(Number));
      expect(failed).toMatchObject({ level: 'warn', scheme: 'oauth', tokenUrl: `${upstream.origin}/oauth/token`, outcome: 'error', error: 'HTTP 401 invalid_client: bad secret ***' });
      expect(failed).not.toHaveProperty('expiresIn');

      const samples = await scrape(http);
      expect(sample(samples, 'mcp_upstream_token_requests_total', { scheme: 'oauth', outcome: 'ok' })).toBe(1);
      expect(sample(samples, 'mcp_upstream_token_requests_total', { scheme: 'oauth', outcome: 'error' })).toBe(1);
      expect(stderr).not.toContain(CLIENT_SECRET);
      expect(stderr).not.toContain(CLIENT_ID);
      expect(stderr).not.toContain('tok-1-abcdef');
    } finally {
      await http.close();
    }
  });
});

describe('token endpoint failures', () => {
  const cases: Array<[string, (n: number, req: Seen, res: Parameters<Answer>[1]) => void, RegExp]> = [
    ['HTTP 500', (_n, _req, res) => json(res, 500, { message: 'down' }), /not a token response \(HTTP 500\)/],
    ['garbage', (_n, _req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login</html>');
    }, /not a token response/],
    ['an OAuth error', (_n, _req, res) => json(res, 400, { error: 'invalid_scope', error_description: 'unknown scope' }), /HTTP 400 invalid_scope: unknown scope/],
    ['no token type', (_n, _req, res) => json(res, 200, { access_token: 'abc-123456' }), /not a token response/],
    ['an answer too large', (_n, _req, res) => json(res, 200, { access_token: 'x'.repeat(100_000), token_type: 'bearer' }), /larger than 65536 bytes/],
  ];
  it.each(cases)('%s is a clear isError naming the token URL, and the API is not called', async (_name, answer, reason) => {
    tokenAnswer = answer;
    const conn = await connect();
    const result = await conn.client.callTool({ name: 'list_items', arguments: {} });
    expect(result.isError).toBe(true);
    const text = onlyText(result);
    expect(text).toContain(`Could not get an access token for security scheme "oauth" from ${upstream.origin}/oauth/token`);
    expect(text).toMatch(reason);
    expect(apiRequests()).toHaveLength(0);
  });

  it('an unreachable token endpoint is a clear isError', async () => {
    const closed = await startRecordingUpstream();
    await closed.close();
    const conn = await connect({ OAUTH_API_OAUTH_TOKEN_URL: `${closed.origin}/token` });
    const result = await conn.client.callTool({ name: 'list_items', arguments: {} });
    expect(result.isError).toBe(true);
    expect(onlyText(result)).toContain(`from ${closed.origin}/token: `);
    expect(onlyText(result)).toContain('ECONNREFUSED');
  });

  it('a token URL over plain http to another host stops the start, naming the variable', async () => {
    await expect(connect({ OAUTH_API_OAUTH_TOKEN_URL: 'http://auth.example.test/token' })).rejects.toThrow(/OAUTH_API_OAUTH_TOKEN_URL must use https/);
  });
});

describe('secrets', () => {
  it('neither the client secret nor a fetched token reaches a result or stderr', async () => {
    const conn = await connect();
    // The API echoes the bearer token it got; the token endpoint then quotes the secret in an error.
    const echoed = await conn.client.callTool({ name: 'list_items', arguments: {} });
    expect(JSON.stringify(echoed)).not.toContain('tok-1-abcdef');
    expect(JSON.stringify(echoed)).toContain('Bearer ***');
    tokenAnswer = (_n, _req, res) => json(res, 401, { error: 'invalid_client', error_description: `bad secret ${CLIENT_SECRET}` });
    const refused = await conn.client.callTool({ name: 'create_item', arguments: { body: { name: 'x' } } });
    expect(refused.isError).toBe(true);
    expect(onlyText(refused)).toContain('HTTP 401 invalid_client: bad secret ***');
    const everything = JSON.stringify([echoed, refused]) + conn.stderr();
    expect(everything).not.toContain(CLIENT_SECRET);
    expect(everything).not.toContain('tok-1-abcdef');
  });
});

describe('declared idempotency', () => {
  it('a POST declared x-idempotent is retried on 503; another POST is not', async () => {
    const conn = await connect({ MCPGEN_RETRIES: '2' });
    let failures = 1;
    apiAnswer = (_req, res) => (failures-- > 0 ? json(res, 503, { error: 'busy' }) : json(res, 201, { id: 'a' }));
    const retried = await conn.client.callTool({ name: 'create_item', arguments: { body: { name: 'x' } } });
    expect(retried.isError).toBeFalsy();
    expect(apiRequests().map((r) => `${r.method} ${r.url}`)).toEqual(['POST /v1/items', 'POST /v1/items']);
    expect(conn.stderr()).toContain('"event":"upstream_retry"');
    upstream.seen.length = 0;
    failures = 1;
    const once = await conn.client.callTool({ name: 'create_order', arguments: { body: { name: 'x' } } });
    expect(once.isError).toBe(true);
    expect(apiRequests().map((r) => `${r.method} ${r.url}`)).toEqual(['POST /v1/orders']);
  });

  it('the tool says so: idempotentHint is true for the declared POST only', async () => {
    const conn = await connect();
    const { tools } = await conn.client.listTools();
    const hint = Object.fromEntries(tools.map((t) => [t.name, t.annotations?.idempotentHint]));
    expect(hint).toMatchObject({ create_item: true, create_order: false, list_items: true });
  });
});
