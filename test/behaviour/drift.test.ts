// An upstream that drifts from its spec (wrong types, missing and extra fields, a wrong root),
// sends a success far over the size limit, or rate-limits: the generated ledger-api server,
// driven by the real SDK client (which validates structuredContent against outputSchema on
// every callTool), must answer with results the client accepts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATRIX, type CallResult } from '../support/assertions.js';
import { assertBuilt, connectOver, connectStdio, generatedDir, killAllSpawned, type TransportConnection } from '../support/mcp.js';

const SERVER_DIR = generatedDir('ledger-api');

interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body: string;
}

/** Three thousand accounts: about 400 kB, over the default 100 kB limit and under the 800 kB read ceiling. */
const MANY_ACCOUNTS = Array.from({ length: 3_000 }, (_, i) => ({
  id: `acc_${i}`,
  name: `Account number ${i} with a longer name`,
  currency: 'EUR',
  type: 'asset',
  balance: i * 100,
  status: 'open',
  tags: ['ops', 'eu'],
}));

// Bodies by path (under /ledger/v1), as a drifting upstream sends them.
const REPLIES: Record<string, Reply> = {
  // The spec says id is a string and balance a number; the upstream disagrees, drops fields and
  // adds one. (tags items are untyped in the published schema: 7 fits.)
  '/accounts/drifted': json({ id: 42, name: 'Cash', balance: '125000.00', tags: ['ops', 7], owner: 'ada', region: 'eu-west' }),
  '/accounts/wrong-root': json([{ id: 'acc_1' }]),
  '/accounts/text': { status: 200, headers: { 'content-type': 'text/plain' }, body: 'account acc_1 is fine' },
  '/accounts/limited': {
    status: 429,
    headers: { 'content-type': 'application/json', 'retry-after': '17', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1767225600', 'set-cookie': 'sid=secret' },
    body: '{"message":"API rate limit exceeded"}',
  },
  '/accounts': json(MANY_ACCOUNTS),
  '/health': json({ status: 'ok', version: '1.4.0' }),
};

function json(value: unknown): Reply {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

let upstream: Server;
let upstreamUrl: string;

beforeAll(async () => {
  assertBuilt(SERVER_DIR);
  upstream = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!.replace(/^\/ledger\/v1/, '');
    const reply = REPLIES[path] ?? { status: 404, headers: { 'content-type': 'application/json' }, body: '{"code":"no_route"}' };
    res.writeHead(reply.status, reply.headers ?? {});
    res.end(reply.body);
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/ledger/v1`;
});

afterAll(async () => {
  await killAllSpawned();
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

const texts = (result: CallResult): string[] => (result.content as { type: string; text: string }[]).map((c) => c.text);

describe.each(MATRIX)('a drifting upstream, ledger-api over %s, %s era', (transport, era) => {
  let conn: TransportConnection;
  beforeAll(async () => {
    conn = await connectOver(transport, SERVER_DIR, { LEDGER_API_BASE_URL: upstreamUrl, LEDGER_API_API_KEY: 'k' }, era);
    // Listing arms the client's outputSchema validation for callTool.
    await conn.client.listTools();
  });

  afterAll(() => conn?.close());

  const call = (name: string, args: Record<string, unknown>): Promise<CallResult> => conn.client.callTool({ name, arguments: args });
  const stderr = (): string => conn.serverStderr();

  it('wrong types, missing and extra fields: a success without what does not fit, the body kept in the text', async () => {
    const result = await call('get_account', { accountId: 'drifted' });
    expect(result.isError ?? false).toBe(false);
    expect(result.structuredContent).toEqual({ name: 'Cash', tags: ['ops', 7], region: 'eu-west' });
    const [body, note] = texts(result);
    expect(body).toBe(REPLIES['/accounts/drifted']!.body);
    expect(note).toMatch(/^\[The upstream response does not match this tool's output schema \(\/id must be string,null; .*\)\./);
  });

  it('reports the drift once per tool on stderr', async () => {
    await call('get_account', { accountId: 'drifted' });
    await call('get_account', { accountId: 'wrong-root' });
    const reports = stderr().split('\n').filter((line) => line.includes('tool get_account: the upstream response does not match the output schema'));
    expect(reports).toHaveLength(1);
  });

  it('a wrong root: structuredContent {}, the text as sent', async () => {
    const result = await call('get_account', { accountId: 'wrong-root' });
    expect(result.isError ?? false).toBe(false);
    expect(result.structuredContent).toEqual({});
    expect(texts(result)[0]).toBe('[{"id":"acc_1"}]');
  });

  it('a text body for a tool with an outputSchema: still a result the client accepts', async () => {
    const result = await call('get_account', { accountId: 'text' });
    expect(result.isError ?? false).toBe(false);
    expect(result.structuredContent).toEqual({});
    expect(texts(result)[0]).toBe('account acc_1 is fine');
  });

  it('3,000 items over the size limit: a success cut at whole items, naming the paging arguments', async () => {
    const result = await call('list_accounts', {});
    expect(result.isError ?? false).toBe(false);
    const [document, note] = texts(result);
    expect(Buffer.byteLength(document!)).toBeLessThanOrEqual(100_000);
    const parsed = JSON.parse(document!) as { items: typeof MANY_ACCOUNTS };
    expect(parsed).toEqual(result.structuredContent);
    const kept = parsed.items.length;
    expect(kept).toBeGreaterThan(500);
    expect(parsed.items).toEqual(MANY_ACCOUNTS.slice(0, kept));
    expect(note).toContain(`kept the first ${kept} of 3000 items. To get the rest, call again with the paging arguments (limit, cursor).`);
  });

  it('429: Retry-After and the rate-limit headers in the error, no other headers', async () => {
    const result = await call('get_account', { accountId: 'limited' });
    expect(result.isError).toBe(true);
    expect(texts(result)).toEqual([
      'HTTP 429 Too Many Requests\nretry-after: 17\nx-ratelimit-remaining: 0\nx-ratelimit-reset: 1767225600\n{"message":"API rate limit exceeded"}',
    ]);
  });
});

describe('a drifting upstream, ledger-api over stdio, legacy era, with logging on', () => {
  it('tells a client that set a log level about each drifted result, as a warning', async () => {
    const conn = await connectStdio(SERVER_DIR, { LEDGER_API_BASE_URL: upstreamUrl, LEDGER_API_API_KEY: 'k' }, 'legacy');
    try {
      const warnings: unknown[] = [];
      conn.client.setNotificationHandler('notifications/message', (notification) => {
        if (notification.params.level === 'warning') warnings.push(notification.params);
      });
      await conn.client.listTools();
      await conn.client.setLoggingLevel('warning');
      for (let i = 0; i < 2; i += 1) await conn.client.callTool({ name: 'get_account', arguments: { accountId: 'drifted' } });
      await conn.client.callTool({ name: 'get_health', arguments: {} });
      // Notifications travel ahead of the result on the same pipe; give the handler its turn.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(warnings).toEqual([
        { level: 'warning', logger: 'ledger-api', data: { tool: 'get_account', drift: expect.stringMatching(/^\/id must be string,null/) } },
        { level: 'warning', logger: 'ledger-api', data: { tool: 'get_account', drift: expect.stringMatching(/^\/id must be string,null/) } },
      ]);
    } finally {
      await conn.close();
    }
  });
});
