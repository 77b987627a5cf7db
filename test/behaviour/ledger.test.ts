// Behaviour of the generated `ledger-api` server (specs/ledger-api.yaml, OpenAPI 3.0.3),
// driven through the real MCP SDK client over stdio and Streamable HTTP, in both
// protocol eras, against a real HTTP fake of the upstream API.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  childEnv,
  connectHttp,
  connectStdio,
  generatedDir,
  initializeBody,
  killAllSpawned,
  rawRequest,
  startHttp,
  type Connection,
  type HttpServerHandle,
} from '../support/mcp.js';
import {
  BOOM_BODY_LENGTH,
  LEDGER_ACCOUNTS,
  LEDGER_BASE_PATH,
  LEDGER_CHART_PNG,
  LEDGER_CSV,
  LEDGER_HEALTH,
  LEDGER_TRANSACTION_PAGE,
  NOT_FOUND_BODY,
  ledgerAccount,
  startUpstream,
  type Upstream,
} from '../support/upstream.js';
import {
  MATRIX,
  basic,
  cookies,
  credentials,
  deref,
  expectResult,
  onlyRequest,
  onlyText,
  prop,
  propertyNames,
  queryWithout,
  requiredOf,
  sortedQuery,
  type CallResult,
  type ToolInfo,
} from '../support/assertions.js';

const SERVER_DIR = generatedDir('ledger-api');

const CREDS = {
  LEDGER_API_API_KEY: 'hdr-key-123',
  LEDGER_API_QUERY_KEY: 'q-key-456',
  LEDGER_API_COOKIE_KEY: 'sess-789',
  LEDGER_API_BEARER_AUTH: 'bearer-tok-abc',
  LEDGER_API_BASIC_AUTH_USERNAME: 'ada',
  LEDGER_API_BASIC_AUTH_PASSWORD: 's3cr:et pw',
} as const;

const API_KEY = { 'header:x-api-key': CREDS.LEDGER_API_API_KEY };
const QUERY_KEY = { 'query:api_key': CREDS.LEDGER_API_QUERY_KEY };
const COOKIE_KEY = { 'cookie:session': CREDS.LEDGER_API_COOKIE_KEY };
const BEARER = { 'header:authorization': `Bearer ${CREDS.LEDGER_API_BEARER_AUTH}` };
const BASIC = { 'header:authorization': basic(CREDS.LEDGER_API_BASIC_AUTH_USERNAME, CREDS.LEDGER_API_BASIC_AUTH_PASSWORD) };

const P = LEDGER_BASE_PATH;

/** name → [summary, method, path, operationId] */
const EXPECTED_TOOLS: Record<string, readonly [string, string, string, string | undefined]> = {
  get_health: ['Service health', 'GET', '/health', undefined],
  list_accounts: ['List accounts', 'GET', '/accounts', 'listAccounts'],
  create_account: ['Create an account', 'POST', '/accounts', 'createAccount'],
  get_account: ['Get an account', 'GET', '/accounts/{accountId}', 'getAccount'],
  replace_account: ['Replace an account', 'PUT', '/accounts/{accountId}', 'replaceAccount'],
  update_account: ['Update an account', 'PATCH', '/accounts/{accountId}', 'updateAccount'],
  delete_account: ['Delete an account', 'DELETE', '/accounts/{accountId}', 'deleteAccount'],
  list_transactions: ['List account transactions', 'GET', '/accounts/{accountId}/transactions', 'listTransactions'],
  export_transactions: ['Export transactions as CSV', 'GET', '/accounts/{accountId}/export', 'exportTransactions'],
  get_balance_chart: ['Balance chart', 'GET', '/accounts/{accountId}/chart', 'getBalanceChart'],
  list_transaction_links: ['List linked transactions', 'GET', '/transactions/{id}/links', 'listTransactionLinks'],
  post_journal_entry: ['Post a journal entry', 'POST', '/journal-entries', 'postJournalEntry'],
};

const HINTS_BY_METHOD: Record<string, Record<string, boolean>> = {
  // Only readOnly/openWorld are contractual for safe methods.
  GET: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  POST: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  PUT: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  PATCH: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  DELETE: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
};

const json = (value: unknown) => ({ type: 'text', text: JSON.stringify(value) });

let upstream: Upstream;

beforeAll(async () => {
  // Never skip: an unbuilt server is a failure with an actionable message.
  assertBuilt(SERVER_DIR);
  upstream = await startUpstream();
});

afterAll(async () => {
  await killAllSpawned();
  await upstream?.close();
});

function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { LEDGER_API_BASE_URL: upstream.url + P, ...CREDS, ...extra };
}

describe.each(MATRIX)('ledger-api over %s, %s era', (transport, era) => {
  let conn: Connection;
  let http: HttpServerHandle | undefined;
  let tools: Map<string, ToolInfo>;

  beforeAll(async () => {
    if (transport === 'stdio') {
      conn = await connectStdio(SERVER_DIR, baseEnv(), era);
    } else {
      http = await startHttp(SERVER_DIR, baseEnv());
      conn = await connectHttp(http.mcpUrl, era);
    }
    // Listing first also primes the client's output-schema validation for callTool.
    const listed = await conn.client.listTools();
    tools = new Map(listed.tools.map((t) => [t.name, t]));
  });

  afterAll(async () => {
    await conn?.close();
    await http?.close();
  });

  beforeEach(() => upstream.reset());

  const call = (name: string, args: Record<string, unknown>): Promise<CallResult> =>
    conn.client.callTool({ name, arguments: args });

  function tool(name: string): ToolInfo {
    const t = tools.get(name);
    expect(t, `tool ${name} is listed`).toBeDefined();
    return t!;
  }

  // -------------------------------------------------------------------------
  // tools/list
  // -------------------------------------------------------------------------

  it('negotiated the requested protocol era', () => {
    expect(conn.client.getProtocolEra()).toBe(era);
  });

  it('lists exactly one tool per operation, named from operationId or method+path', () => {
    expect([...tools.keys()].sort()).toEqual(Object.keys(EXPECTED_TOOLS).sort());
  });

  it('publishes title, annotations and _meta of every tool', () => {
    for (const [name, [summary, method, path, operationId]] of Object.entries(EXPECTED_TOOLS)) {
      const t = tool(name);
      expect(t.title, `${name}.title`).toBe(summary);
      expect(t.description, `${name}.description`).toBeTypeOf('string');
      expect(t.annotations, `${name}.annotations`).toEqual(HINTS_BY_METHOD[method]!);
      expect(t._meta?.['mcpgen/operation'], `${name}._meta`).toEqual(
        operationId === undefined ? { method, path } : { method, path, operationId },
      );
    }
  });

  it('list_accounts: query parameters keep enum, default, bounds, pattern and array items', () => {
    const s = tool('list_accounts').inputSchema;
    expect(s.type).toBe('object');
    expect(propertyNames(deref(s, s))).toEqual(['currency', 'cursor', 'fields', 'limit', 'status', 'tag']);
    expect(requiredOf(deref(s, s))).toEqual([]);
    expect(prop(s, 'status')).toMatchObject({ type: 'string', enum: ['open', 'frozen', 'closed'], default: 'open' });
    expect(prop(s, 'limit')).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 20 });
    expect(prop(s, 'currency')).toMatchObject({ type: 'string', pattern: '^[A-Z]{3}$' });
    expect(prop(s, 'tag')).toMatchObject({ type: 'array' });
    expect(deref(prop(s, 'tag')['items'], s)).toMatchObject({ type: 'string' });
    expect(deref(prop(s, 'fields')['items'], s)).toMatchObject({
      enum: ['id', 'name', 'currency', 'balance', 'status', 'tags'],
    });
    // An array success schema is published wrapped under `items`.
    const out = tool('list_accounts').outputSchema;
    expect(out).toBeDefined();
    expect(out!.type).toBe('object');
    // Nullable types are published as anyOf branches, the first one the value's own type.
    const branch = (schema: Record<string, unknown>) => (schema['anyOf'] as Record<string, unknown>[])[0]!;
    const items = branch(prop(out, 'items'));
    expect(items['type']).toBe('array');
    expect(branch(items['items'] as Record<string, unknown>)['type']).toBe('object');
  });

  it('create_account: header parameter and the JSON body with nested required fields', () => {
    const s = tool('create_account').inputSchema;
    expect(propertyNames(deref(s, s))).toEqual(['X-Request-Id', 'body']);
    expect(requiredOf(deref(s, s))).toEqual(['body']);
    expect(prop(s, 'X-Request-Id')).toMatchObject({ type: 'string', format: 'uuid' });
    const body = prop(s, 'body');
    expect(requiredOf(body)).toEqual(['currency', 'name', 'owner']);
    expect(prop(s, 'body', 'name')).toMatchObject({ type: 'string', minLength: 1, maxLength: 80 });
    expect(prop(s, 'body', 'type')).toMatchObject({ enum: ['asset', 'liability', 'equity', 'income', 'expense'], default: 'asset' });
    expect(prop(s, 'body', 'overdraftLimit')).toMatchObject({ type: 'integer', minimum: 0 });
    expect(requiredOf(prop(s, 'body', 'owner'))).toEqual(['email', 'name']);
    expect(prop(s, 'body', 'owner', 'email')).toMatchObject({ type: 'string', format: 'email' });
    expect(prop(s, 'body', 'owner', 'address', 'country')).toMatchObject({ pattern: '^[A-Z]{2}$' });
    expect(tool('create_account').outputSchema).toBeDefined();
  });

  it('list_transactions / get_balance_chart: formats, object and cookie parameters', () => {
    const s = tool('list_transactions').inputSchema;
    expect(propertyNames(deref(s, s))).toEqual(['accountId', 'amount', 'from', 'sort', 'to']);
    expect(requiredOf(deref(s, s))).toEqual(['accountId']);
    expect(prop(s, 'from')).toMatchObject({ type: 'string', format: 'date' });
    expect(prop(s, 'amount')).toMatchObject({ type: 'object' });
    expect(propertyNames(prop(s, 'amount'))).toEqual(['maxAmount', 'minAmount']);
    const c = tool('get_balance_chart').inputSchema;
    expect(propertyNames(deref(c, c))).toEqual(['accountId', 'days', 'theme']);
    expect(prop(c, 'days')).toMatchObject({ type: 'integer', minimum: 7, maximum: 365, default: 30 });
    expect(prop(c, 'theme')).toMatchObject({ enum: ['light', 'dark'] });
    // Non-JSON successes have no outputSchema.
    expect(tool('get_balance_chart').outputSchema).toBeUndefined();
    expect(tool('export_transactions').outputSchema).toBeUndefined();
    expect(tool('delete_account').outputSchema).toBeUndefined();
  });

  it('list_transaction_links: a query parameter clashing with a path parameter is renamed query_<name>', () => {
    const s = tool('list_transaction_links').inputSchema;
    expect(propertyNames(deref(s, s))).toEqual(['id', 'kind', 'query_id']);
    expect(requiredOf(deref(s, s))).toEqual(['id', 'kind']);
  });

  // -------------------------------------------------------------------------
  // tools/call: requests on the wire and results
  // -------------------------------------------------------------------------

  it('get_health (security: []) sends no credentials and returns structured JSON', async () => {
    const result = await call('get_health', {});
    const req = onlyRequest(upstream);
    expect(req.method).toBe('GET');
    expect(req.path).toBe(`${P}/health`);
    expect(req.query).toEqual([]);
    expect(credentials(req)).toEqual({});
    expect(req.headers['cookie']).toBeUndefined();
    expectResult(result, { content: [json(LEDGER_HEALTH)], structuredContent: LEDGER_HEALTH });
  });

  it('list_accounts serializes form arrays (explode true and false) and wraps the array result in items', async () => {
    const result = await call('list_accounts', {
      status: 'frozen',
      limit: 5,
      currency: 'EUR',
      tag: ['ops', 'eu'],
      fields: ['id', 'name'],
    });
    const req = onlyRequest(upstream);
    expect(req.method).toBe('GET');
    expect(req.path).toBe(`${P}/accounts`);
    expect(sortedQuery(req)).toEqual([
      ['currency', 'EUR'],
      ['fields', 'id,name'],
      ['limit', '5'],
      ['status', 'frozen'],
      ['tag', 'ops'],
      ['tag', 'eu'],
    ]);
    expect(req.rawQuery).toMatch(/(^|&)tag=ops&tag=eu(&|$)/);
    expect(req.rawQuery).toMatch(/(^|&)fields=id(,|%2C)name(&|$)/);
    expect(credentials(req)).toEqual(API_KEY);
    // The text is the same document as structuredContent (the upstream array, wrapped).
    expectResult(result, { content: [json({ items: LEDGER_ACCOUNTS })], structuredContent: { items: LEDGER_ACCOUNTS } });
  });

  it('get_account percent-encodes a hostile path value and returns the JSON text as received', async () => {
    const id = 'a/b?c#d e';
    const result = await call('get_account', { accountId: id });
    const req = onlyRequest(upstream);
    expect(req.method).toBe('GET');
    expect(req.path).toBe(`${P}/accounts/a%2Fb%3Fc%23d%20e`);
    // First security alternative (queryKey) is complete, so it alone is used.
    expect(credentials(req)).toEqual(QUERY_KEY);
    expect(queryWithout(req, 'api_key')).toEqual([]);
    expectResult(result, {
      // The fake serves this body pretty-printed: the text must be the bytes received.
      content: [{ type: 'text', text: JSON.stringify(ledgerAccount(id), null, 2) }],
      structuredContent: ledgerAccount(id),
    });
  });

  // fetch's URL parser resolves `..` and `%2E%2E` alike, so dot segments cannot be
  // sent at all: the runtime refuses them before any request.
  it.each(['..', '.'])('get_account refuses the dot segment %j without calling the upstream', async (id) => {
    const result = await call('get_account', { accountId: id });
    expect(upstream.requests).toEqual([]);
    expect(result.isError).toBe(true);
    expect(onlyText(result)).toMatch(/^Invalid arguments: .*path segment/);
  });

  it('get_account keeps a value with slashes inside its own segment', async () => {
    const result = await call('get_account', { accountId: 'a/../b' });
    expect(onlyRequest(upstream).path).toBe(`${P}/accounts/a%2F..%2Fb`);
    expect(result.structuredContent).toEqual(ledgerAccount('a/../b'));
  });

  it('get_account 404 is an error result with the status line and the body excerpt', async () => {
    const result = await call('get_account', { accountId: 'missing' });
    expect(onlyRequest(upstream).path).toBe(`${P}/accounts/missing`);
    expectResult(result, {
      content: [{ type: 'text', text: `HTTP 404 Not Found\n${JSON.stringify(NOT_FOUND_BODY('account missing'))}` }],
      isError: true,
    });
  });

  it('a huge error body is excerpted, bounded', async () => {
    const result = await call('get_account', { accountId: 'boom' });
    expect(onlyRequest(upstream).path).toBe(`${P}/accounts/boom`);
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    const text = onlyText(result);
    expect(text.startsWith('HTTP 500 Internal Server Error\ninternal failure: xxxx')).toBe(true);
    expect(text.length).toBeLessThan(20_000);
    expect(text.length).toBeLessThan(BOOM_BODY_LENGTH);
  });

  it('create_account sends the JSON body, the header parameter and a bearer token', async () => {
    const body = {
      name: 'Petty cash',
      currency: 'EUR',
      type: 'asset',
      owner: { name: 'Ada Lovelace', email: 'ada@example.com', address: { city: 'London', country: 'GB' } },
      tags: ['ops', 'cash'],
      overdraftLimit: 0,
    };
    const requestId = '7f1c0e9a-3b2d-4c5e-8f6a-1b2c3d4e5f60';
    const result = await call('create_account', { 'X-Request-Id': requestId, body });
    const req = onlyRequest(upstream);
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`${P}/accounts`);
    expect(req.query).toEqual([]);
    expect(req.headers['content-type']).toMatch(/^application\/json\b/);
    expect(req.headers['x-request-id']).toBe(requestId);
    expect(credentials(req)).toEqual(BEARER);
    expect(JSON.parse(req.body)).toEqual(body);
    const created = { id: 'acc_new', balance: 0, status: 'open', ...body };
    expectResult(result, { content: [json(created)], structuredContent: created });
  });

  it('replace_account (PUT) uses HTTP basic credentials', async () => {
    const body = { name: 'Cash', currency: 'USD', owner: { name: 'Grace Hopper', email: 'grace@example.com' } };
    const result = await call('replace_account', { accountId: 'acc_1', body });
    const req = onlyRequest(upstream);
    expect(req.method).toBe('PUT');
    expect(req.path).toBe(`${P}/accounts/acc_1`);
    expect(credentials(req)).toEqual(BASIC);
    expect(req.headers['content-type']).toMatch(/^application\/json\b/);
    expect(JSON.parse(req.body)).toEqual(body);
    const replaced = { ...ledgerAccount('acc_1'), ...body };
    expectResult(result, { content: [json(replaced)], structuredContent: replaced });
  });

  it('update_account (PATCH) sends a nested partial body with the global header API key', async () => {
    const body = { status: 'frozen', metadata: { costCenter: '42', region: 'eu-west' } };
    const result = await call('update_account', { accountId: 'acc_2', body });
    const req = onlyRequest(upstream);
    expect(req.method).toBe('PATCH');
    expect(req.path).toBe(`${P}/accounts/acc_2`);
    expect(credentials(req)).toEqual(API_KEY);
    expect(JSON.parse(req.body)).toEqual(body);
    const updated = { ...ledgerAccount('acc_2'), ...body };
    expectResult(result, { content: [json(updated)], structuredContent: updated });
  });

  it('delete_account maps an empty 204 to a success text', async () => {
    const result = await call('delete_account', { accountId: 'acc_2' });
    const req = onlyRequest(upstream);
    expect(req.method).toBe('DELETE');
    expect(req.path).toBe(`${P}/accounts/acc_2`);
    expect(req.body).toBe('');
    expect(credentials(req)).toEqual(BEARER);
    expectResult(result, { content: [{ type: 'text', text: 'HTTP 204 No Content: success, empty body' }] });
  });

  it('list_transactions serializes an exploded form object and a non-exploded array', async () => {
    const result = await call('list_transactions', {
      accountId: 'acc_1',
      from: '2024-03-01',
      to: '2024-03-31',
      amount: { minAmount: 100, maxAmount: 5000 },
      sort: ['-date', 'amount'],
    });
    const req = onlyRequest(upstream);
    expect(req.method).toBe('GET');
    expect(req.path).toBe(`${P}/accounts/acc_1/transactions`);
    expect(sortedQuery(req)).toEqual([
      ['from', '2024-03-01'],
      ['maxAmount', '5000'],
      ['minAmount', '100'],
      ['sort', '-date,amount'],
      ['to', '2024-03-31'],
    ]);
    expect(credentials(req)).toEqual(API_KEY);
    // nextCursor is `nullable: true` (3.0): the published outputSchema must admit null.
    expectResult(result, { content: [json(LEDGER_TRANSACTION_PAGE)], structuredContent: LEDGER_TRANSACTION_PAGE });
  });

  it('export_transactions returns text/plain as text and authenticates with the session cookie', async () => {
    const result = await call('export_transactions', { accountId: 'acc_1', delimiter: ';' });
    const req = onlyRequest(upstream);
    expect(req.method).toBe('GET');
    expect(req.path).toBe(`${P}/accounts/acc_1/export`);
    expect(sortedQuery(req)).toEqual([['delimiter', ';']]);
    expect(credentials(req)).toEqual(COOKIE_KEY);
    expect(cookies(req)).toEqual({ session: CREDS.LEDGER_API_COOKIE_KEY });
    expectResult(result, { content: [{ type: 'text', text: LEDGER_CSV }] });
  });

  it('get_balance_chart sends the cookie parameter and returns the PNG as image content', async () => {
    const result = await call('get_balance_chart', { accountId: 'acc_1', days: 90, theme: 'dark' });
    const req = onlyRequest(upstream);
    expect(req.method).toBe('GET');
    expect(req.path).toBe(`${P}/accounts/acc_1/chart`);
    expect(sortedQuery(req)).toEqual([['days', '90']]);
    expect(cookies(req)).toEqual({ theme: 'dark' });
    expect(credentials(req)).toEqual(API_KEY);
    expectResult(result, {
      content: [{ type: 'image', data: LEDGER_CHART_PNG.toString('base64'), mimeType: 'image/png' }],
    });
  });

  it('list_transaction_links routes the path id and the renamed query id to their locations', async () => {
    const result = await call('list_transaction_links', { id: 'tx_1', query_id: 'tx_9', kind: 'refund' });
    const req = onlyRequest(upstream);
    expect(req.path).toBe(`${P}/transactions/tx_1/links`);
    expect(sortedQuery(req)).toEqual([
      ['id', 'tx_9'],
      ['kind', 'refund'],
    ]);
    const served = { transactionId: 'tx_1', links: [{ id: 'tx_9', kind: 'refund' }] };
    expectResult(result, { content: [json(served)], structuredContent: served });
  });

  it('post_journal_entry: a 201 result and a 422 error with its body', async () => {
    const balanced = {
      date: '2024-03-05',
      memo: 'Office rent',
      lines: [
        { accountId: 'acc_rent', side: 'debit', amount: 1500 },
        { accountId: 'acc_1', side: 'credit', amount: 1500 },
      ],
    };
    const ok = await call('post_journal_entry', { body: balanced });
    let req = onlyRequest(upstream);
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`${P}/journal-entries`);
    expect(credentials(req)).toEqual(BEARER);
    expect(req.query).toEqual([]);
    expect(JSON.parse(req.body)).toEqual(balanced);
    const posted = { id: 'je_1', ...balanced };
    expectResult(ok, { content: [json(posted)], structuredContent: posted });

    upstream.reset();
    const unbalanced = { ...balanced, lines: [balanced.lines[0]!, { ...balanced.lines[1]!, amount: 1000 }] };
    const bad = await call('post_journal_entry', { body: unbalanced });
    req = onlyRequest(upstream);
    expect(JSON.parse(req.body)).toEqual(unbalanced);
    const problem = {
      code: 'unbalanced',
      message: 'debits (1500) must equal credits (1000)',
      errors: [{ field: 'lines', problem: 'unbalanced' }],
    };
    expectResult(bad, { content: [{ type: 'text', text: `HTTP 422 Unprocessable Entity\n${JSON.stringify(problem)}` }], isError: true });
  });

  // -------------------------------------------------------------------------
  // Argument validation happens before any upstream call.
  // -------------------------------------------------------------------------

  it.each([
    ['list_accounts', { limit: 500 }, 'limit'],
    ['list_accounts', { status: 'deleted' }, 'status'],
    ['list_accounts', { currency: 'euro' }, 'currency'],
    ['get_account', {}, 'accountId'],
    ['list_transaction_links', { id: 'tx_1', kind: 'bogus' }, 'kind'],
    ['create_account', { body: { name: 'x', currency: 'EUR' } }, 'owner'],
    ['post_journal_entry', { body: { date: '2024-03-05', lines: [{ accountId: 'a', side: 'debit', amount: 0 }, { accountId: 'b', side: 'credit', amount: 0 }] } }, 'amount'],
  ] as const)('%s rejects bad arguments %j naming "%s", without calling upstream', async (name, args, field) => {
    const result = await call(name, args as Record<string, unknown>);
    expect(upstream.requests).toEqual([]);
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(onlyText(result)).toContain(field);
  });
});

// ---------------------------------------------------------------------------
// Security requirement alternatives: the first alternative whose credentials are all present wins.
// ---------------------------------------------------------------------------

describe('ledger-api security alternatives (stdio, legacy era)', () => {
  beforeEach(() => upstream.reset());

  it('get_account falls back to the bearer alternative when the query key is not configured', async () => {
    const { LEDGER_API_QUERY_KEY: _omit, ...rest } = CREDS;
    const conn = await connectStdio(SERVER_DIR, { LEDGER_API_BASE_URL: upstream.url + P, ...rest }, 'legacy');
    try {
      const result = await conn.client.callTool({ name: 'get_account', arguments: { accountId: 'acc_1' } });
      const req = onlyRequest(upstream);
      expect(credentials(req)).toEqual(BEARER);
      expect(req.query).toEqual([]);
      expect(result.isError ?? false).toBe(false);
    } finally {
      await conn.close();
    }
  });

  it('post_journal_entry uses the apiKey AND queryKey alternative when no bearer token is configured', async () => {
    const { LEDGER_API_BEARER_AUTH: _omit, ...rest } = CREDS;
    const conn = await connectStdio(SERVER_DIR, { LEDGER_API_BASE_URL: upstream.url + P, ...rest }, 'legacy');
    try {
      const body = {
        date: '2024-03-05',
        lines: [
          { accountId: 'a', side: 'debit', amount: 1 },
          { accountId: 'b', side: 'credit', amount: 1 },
        ],
      };
      const result = await conn.client.callTool({ name: 'post_journal_entry', arguments: { body } });
      const req = onlyRequest(upstream);
      expect(credentials(req)).toEqual({ ...API_KEY, ...QUERY_KEY });
      expect(result.isError ?? false).toBe(false);
    } finally {
      await conn.close();
    }
  });
});

// ---------------------------------------------------------------------------
// The HTTP entry point itself.
// ---------------------------------------------------------------------------

describe('ledger-api HTTP endpoint guards', () => {
  const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  let plain: HttpServerHandle;
  let allowListed: HttpServerHandle;

  beforeAll(async () => {
    upstream.reset();
    plain = await startHttp(SERVER_DIR, baseEnv());
    allowListed = await startHttp(
      SERVER_DIR,
      baseEnv({ MCP_ALLOWED_HOSTS: '127.0.0.1,localhost,ledger.internal', MCP_ALLOWED_ORIGINS: 'app.example.com' }),
    );
  });

  afterAll(async () => {
    await plain?.close();
    await allowListed?.close();
  });

  it('GET /healthz answers 200', async () => {
    expect((await rawRequest({ port: plain.port, path: '/healthz', method: 'GET' })).status).toBe(200);
  });

  it('other paths answer 404', async () => {
    expect((await rawRequest({ port: plain.port, path: '/', method: 'GET' })).status).toBe(404);
    expect((await rawRequest({ port: plain.port, path: '/mcp/extra', method: 'POST', headers: MCP_HEADERS, body: initializeBody() })).status).toBe(404);
    expect((await rawRequest({ port: plain.port, path: '/tools', method: 'GET' })).status).toBe(404);
  });

  it('a well-formed POST /mcp from localhost is served (control for the 403 cases)', async () => {
    const res = await rawRequest({ port: plain.port, path: '/mcp', method: 'POST', headers: MCP_HEADERS, body: initializeBody() });
    expect(res.status).toBe(200);
  });

  it('a foreign Host header is rejected with 403', async () => {
    const res = await rawRequest({
      port: plain.port,
      path: '/mcp',
      method: 'POST',
      headers: { ...MCP_HEADERS, host: `evil.example.com:${plain.port}` },
      body: initializeBody(),
    });
    expect(res.status).toBe(403);
  });

  it('a foreign Origin is rejected with 403', async () => {
    const res = await rawRequest({
      port: plain.port,
      path: '/mcp',
      method: 'POST',
      headers: { ...MCP_HEADERS, origin: 'http://evil.example.com' },
      body: initializeBody(),
    });
    expect(res.status).toBe(403);
  });

  it('MCP_ALLOWED_HOSTS and MCP_ALLOWED_ORIGINS extend the allow-lists', async () => {
    const host = await rawRequest({
      port: allowListed.port,
      path: '/mcp',
      method: 'POST',
      headers: { ...MCP_HEADERS, host: `ledger.internal:${allowListed.port}` },
      body: initializeBody(),
    });
    expect(host.status).toBe(200);
    const origin = await rawRequest({
      port: allowListed.port,
      path: '/mcp',
      method: 'POST',
      headers: { ...MCP_HEADERS, origin: 'https://app.example.com' },
      body: initializeBody(),
    });
    expect(origin.status).toBe(200);
    const evil = await rawRequest({
      port: allowListed.port,
      path: '/mcp',
      method: 'POST',
      headers: { ...MCP_HEADERS, host: 'evil.example.com' },
      body: initializeBody(),
    });
    expect(evil.status).toBe(403);
  });

  it('none of the guard probes reached the upstream', () => {
    expect(upstream.requests.filter((r) => r.path.startsWith(P))).toEqual([]);
  });
});

// Progress is checked on the raw protocol stream: the SDK client dispatches notifications in a
// microtask and settles responses at once, so it drops a notification it reads in the same chunk
// as the result; what the server sends, and in which order, is what matters here.
describe('progress notifications of a tool call, as sent on the wire', () => {
  const CALL = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'get_health', arguments: {}, _meta: { progressToken: 'p-7' } } };
  const expectStages = (messages: { id?: unknown; method?: string; params?: Record<string, unknown> }[]) => {
    const relevant = messages.filter((m) => m.id === 7 || m.params?.['progressToken'] === 'p-7');
    expect(relevant.map((m) => (m.id === 7 ? 'result' : [m.params?.['progress'], m.params?.['total'], m.params?.['message']]))).toEqual([
      [1, 3, `GET ${upstream.url}${P}/health`],
      [2, 3, expect.stringMatching(/^HTTP 200 after \d+ ms$/)],
      [3, 3, 'done'],
      'result',
    ]);
    expect(relevant.at(-1)).toMatchObject({ result: { structuredContent: LEDGER_HEALTH } });
  };

  it('over stdio: request sent, response received, done, then the result', async () => {
    const child = spawn(process.execPath, [join(SERVER_DIR, 'dist', 'stdio.js')], { env: childEnv(baseEnv()), stdio: ['pipe', 'pipe', 'ignore'] });
    try {
      const messages: { id?: unknown; params?: Record<string, unknown> }[] = [];
      let buffer = '';
      const done = new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString('utf8');
          for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
            const message = JSON.parse(buffer.slice(0, end)) as { id?: unknown; params?: Record<string, unknown> };
            buffer = buffer.slice(end + 1);
            messages.push(message);
            if (message.id === 1) {
              child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
              child.stdin.write(`${JSON.stringify(CALL)}\n`);
            }
            if (message.id === 7) resolve();
          }
        });
      });
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`);
      await done;
      expectStages(messages);
    } finally {
      child.kill();
    }
  });

  it('over HTTP (2025 era): the same stages as events of one stream', async () => {
    const http = await startHttp(SERVER_DIR, baseEnv());
    try {
      const res = await rawRequest({
        port: http.port,
        path: '/mcp',
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
        body: JSON.stringify(CALL),
      });
      expect(res.status).toBe(200);
      expect(String(res.headers['content-type'])).toMatch(/^text\/event-stream/);
      const events = res.body
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => JSON.parse(line.slice('data: '.length)) as { id?: unknown; params?: Record<string, unknown> });
      expectStages(events);
    } finally {
      await http.close();
    }
  });
});
