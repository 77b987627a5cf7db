// Resources, resource templates and completions of the generated `ledger-api` server
// (specs/ledger-api.yaml + the resource rule in mcpgen.config.json), driven through the
// real MCP SDK client over stdio and Streamable HTTP in both protocol eras, against the
// recording fake of the upstream API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  connectHttp,
  connectStdio,
  generatedDir,
  killAllSpawned,
  startHttp,
  type Connection,
  type HttpServerHandle,
} from '../support/mcp.js';
import {
  LEDGER_ACCOUNTS,
  LEDGER_BASE_PATH,
  LEDGER_CHART_PNG,
  LEDGER_CSV,
  LEDGER_TRANSACTION_PAGE,
  ledgerAccount,
  startUpstream,
  type Upstream,
} from '../support/upstream.js';
import { MATRIX, cookies, credentials, onlyRequest, queryWithout } from '../support/assertions.js';
import { isDefaultTemplate, onlyWireError, resourceNotFoundCode, rpcError, specOperations, tapIncoming, untap } from '../support/resources.js';

const SERVER_DIR = generatedDir('ledger-api');
const SPEC = 'specs/ledger-api.yaml';
const P = LEDGER_BASE_PATH;
const SCHEME = 'ledger-api';

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

/** Media type of each GET's success response in the spec (only those that can be resources). */
const MIME_BY_OPERATION: Record<string, string> = {
  listAccounts: 'application/json',
  getAccount: 'application/json',
  listTransactions: 'application/json',
  exportTransactions: 'text/plain',
  getBalanceChart: 'image/png',
};

const OPERATIONS = specOperations(SPEC);

function operation(operationId: string) {
  const op = OPERATIONS.find((o) => o.operationId === operationId);
  if (!op) throw new Error(`${operationId} is not in ${SPEC}`);
  return op;
}

/** `getAccount` → `get_account`: resources are named like tools. */
const snake = (operationId: string) => operationId.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** `/accounts/{accountId}` → `ledger-api://accounts/{accountId}` (the URI rule). */
const uriOf = (path: string) => `${SCHEME}://${path.replace(/^\/+/, '')}`;

/** The fixed resource that the default rule makes of `GET /accounts` (an array, no required parameters). */
const ACCOUNTS_RESOURCE = {
  uri: `${SCHEME}://accounts`,
  name: 'list_accounts',
  title: 'List accounts',
  description: 'Lists ledger accounts, filtered and paginated.',
  mimeType: 'application/json',
};

let upstream: Upstream;

beforeAll(async () => {
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

describe('expectations derived from the spec', () => {
  it('the spec has the GETs this suite relies on (guards the derivations below)', () => {
    expect(OPERATIONS.filter(isDefaultTemplate).map((o) => o.operationId).sort()).toEqual([
      'exportTransactions',
      'getAccount',
      'getBalanceChart',
      'listTransactions',
    ]);
    // A GET with a required query parameter is not a default template.
    expect(operation('listTransactionLinks').required).toEqual(['path:id', 'query:kind']);
    expect(OPERATIONS.some((o) => o.method !== 'GET')).toBe(true);
  });
});

describe.each(MATRIX)('ledger-api resources over %s, %s era', (transport, era) => {
  let conn: Connection;
  let http: HttpServerHandle | undefined;

  beforeAll(async () => {
    if (transport === 'stdio') {
      conn = await connectStdio(SERVER_DIR, baseEnv(), era);
    } else {
      http = await startHttp(SERVER_DIR, baseEnv());
      conn = await connectHttp(http.mcpUrl, era);
    }
  });

  afterAll(async () => {
    await conn?.close();
    await http?.close();
  });

  beforeEach(() => upstream.reset());

  const read = (uri: string) => conn.client.readResource({ uri });

  it('negotiated the requested protocol era and advertises resources and completions', () => {
    expect(conn.client.getProtocolEra()).toBe(era);
    const caps = conn.client.getServerCapabilities();
    expect(caps?.resources).toBeDefined();
    expect(caps?.completions).toBeDefined();
  });

  // -------------------------------------------------------------------------
  // resources/list
  // -------------------------------------------------------------------------

  it('resources/list: the fixed collection resource, then one resource per listed account', async () => {
    const result = await conn.client.listResources();
    expect(result.resources).toEqual([
      ACCOUNTS_RESOURCE,
      ...LEDGER_ACCOUNTS.map((a) => ({ uri: `${SCHEME}://accounts/${a.id}`, name: a.name, mimeType: 'application/json' })),
    ]);
    expect(result.nextCursor).toBeUndefined();
    // The template's items come from the collection operation the config named.
    const req = onlyRequest(upstream);
    expect(req.method).toBe('GET');
    expect(req.path).toBe(`${P}/accounts`);
    expect(req.rawQuery).toBe('');
    expect(req.body).toBe('');
    expect(credentials(req)).toEqual(API_KEY);
  });

  // -------------------------------------------------------------------------
  // resources/templates/list
  // -------------------------------------------------------------------------

  it('resources/templates/list: every GET whose only required parameters are path parameters, and nothing else', async () => {
    const result = await conn.client.listResourceTemplates();
    const expected = OPERATIONS.filter(isDefaultTemplate).map((op) => ({
      uriTemplate: uriOf(op.path),
      // Named like the tools: snake_case of the operationId.
      name: snake(op.operationId!),
      title: op.summary!,
      description: op.description!,
      mimeType: MIME_BY_OPERATION[op.operationId!]!,
    }));
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect([...result.resourceTemplates].sort(byName)).toEqual(expected.sort(byName));
    expect(upstream.requests).toEqual([]);
  });

  it('no non-GET operation and no GET with a required query parameter became a resource or template', async () => {
    const [{ resources }, { resourceTemplates }] = [await conn.client.listResources(), await conn.client.listResourceTemplates()];
    const names = new Set([...resources.map((r) => r.name), ...resourceTemplates.map((t) => t.name)]);
    const nonGets = OPERATIONS.filter((o) => o.method !== 'GET');
    expect(nonGets.length).toBeGreaterThan(0);
    for (const op of nonGets) expect(names.has(snake(op.operationId!)), `${op.method} ${op.path}`).toBe(false);
    expect(names.has('list_transaction_links')).toBe(false);
    const uris = [...resources.map((r) => r.uri), ...resourceTemplates.map((t) => t.uriTemplate)];
    expect(uris.some((u) => u.includes('transactions/{id}/links') || u.includes('journal-entries'))).toBe(false);
  });

  it('GETs that became resources and templates are still tools', async () => {
    const { tools } = await conn.client.listTools();
    const names = tools.map((t) => t.name);
    for (const name of ['list_accounts', 'get_account', 'list_transactions', 'export_transactions', 'get_balance_chart']) {
      expect(names, name).toContain(name);
    }
    // And the tool still works next to the resource.
    const result = await conn.client.callTool({ name: 'get_account', arguments: { accountId: 'acc_1' } });
    expect(result.isError ?? false).toBe(false);
    expect(result.structuredContent).toEqual(ledgerAccount('acc_1'));
    expect(onlyRequest(upstream).path).toBe(`${P}/accounts/acc_1`);
  });

  // -------------------------------------------------------------------------
  // resources/read
  // -------------------------------------------------------------------------

  it('reads the fixed resource: the upstream JSON body as application/json text', async () => {
    const result = await read(ACCOUNTS_RESOURCE.uri);
    expect(result.contents).toEqual([{ uri: ACCOUNTS_RESOURCE.uri, mimeType: 'application/json', text: JSON.stringify(LEDGER_ACCOUNTS) }]);
    const req = onlyRequest(upstream);
    expect(req.method).toBe('GET');
    expect(req.path).toBe(`${P}/accounts`);
    expect(req.rawQuery).toBe('');
    expect(credentials(req)).toEqual(API_KEY);
  });

  it('reads an item of the account template: the body exactly as received, first complete security alternative', async () => {
    const uri = `${SCHEME}://accounts/acc_1`;
    const result = await read(uri);
    // The fake pretty-prints this body: the text is the bytes received.
    expect(result.contents).toEqual([{ uri, mimeType: 'application/json', text: JSON.stringify(ledgerAccount('acc_1'), null, 2) }]);
    const req = onlyRequest(upstream);
    expect(req.method).toBe('GET');
    expect(req.path).toBe(`${P}/accounts/acc_1`);
    expect(credentials(req)).toEqual(QUERY_KEY);
    expect(queryWithout(req, 'api_key')).toEqual([]);
  });

  // Template variables are percent-decoded, then encoded once on the way upstream.
  it.each([
    ['acc%201', 'acc%201', 'acc 1'],
    ['a%2Fb', 'a%2Fb', 'a/b'],
    ['caf%C3%A9', 'caf%C3%A9', 'caf\u00e9'],
  ])('percent-decodes the template variable %s before the upstream call (sent once-encoded as %s)', async (raw, wire, decoded) => {
    const uri = `${SCHEME}://accounts/${raw}`;
    const result = await read(uri);
    const req = onlyRequest(upstream);
    expect(req.path).toBe(`${P}/accounts/${wire}`);
    expect(result.contents).toEqual([{ uri, mimeType: 'application/json', text: JSON.stringify(ledgerAccount(decoded), null, 2) }]);
  });

  it('a template variable without escapes reaches the upstream unchanged in every template', async () => {
    for (const suffix of ['', '/transactions', '/export', '/chart']) {
      upstream.reset();
      await read(`${SCHEME}://accounts/acc-9_x.y~z${suffix}`);
      expect(onlyRequest(upstream).path).toBe(`${P}/accounts/acc-9_x.y~z${suffix}`);
    }
  });

  it('reads the transactions template (JSON)', async () => {
    const uri = `${SCHEME}://accounts/acc_1/transactions`;
    const result = await read(uri);
    expect(result.contents).toEqual([{ uri, mimeType: 'application/json', text: JSON.stringify(LEDGER_TRANSACTION_PAGE) }]);
    const req = onlyRequest(upstream);
    expect(req.path).toBe(`${P}/accounts/acc_1/transactions`);
    expect(req.rawQuery).toBe('');
    expect(credentials(req)).toEqual(API_KEY);
  });

  it('reads the export template: text/plain CSV as text, authenticated with the session cookie', async () => {
    const uri = `${SCHEME}://accounts/acc_1/export`;
    const result = await read(uri);
    expect(result.contents).toEqual([{ uri, mimeType: 'text/plain', text: LEDGER_CSV }]);
    const req = onlyRequest(upstream);
    expect(req.path).toBe(`${P}/accounts/acc_1/export`);
    expect(credentials(req)).toEqual(COOKIE_KEY);
    expect(cookies(req)).toEqual({ session: CREDS.LEDGER_API_COOKIE_KEY });
  });

  it('reads the chart template: the PNG as a base64 blob with its media type', async () => {
    const uri = `${SCHEME}://accounts/acc_1/chart`;
    const result = await read(uri);
    expect(result.contents).toEqual([{ uri, mimeType: 'image/png', blob: LEDGER_CHART_PNG.toString('base64') }]);
    const blob = (result.contents[0] as { blob: string }).blob;
    expect(Buffer.from(blob, 'base64').equals(LEDGER_CHART_PNG)).toBe(true);
    const req = onlyRequest(upstream);
    expect(req.path).toBe(`${P}/accounts/acc_1/chart`);
    expect(credentials(req)).toEqual(API_KEY);
  });

  /** Reads a URI that must miss; returns the client-side error and the error as sent on the wire. */
  async function readMiss(uri: string) {
    const seen = tapIncoming(conn.client);
    try {
      const error = await rpcError(read(uri));
      return { error, wire: onlyWireError(seen) };
    } finally {
      untap(conn.client);
    }
  }

  it('an upstream 404 is a resource-not-found error naming the URI', async () => {
    const uri = `${SCHEME}://accounts/missing`;
    const { error, wire } = await readMiss(uri);
    // The SDK client surfaces either wire code as ResourceNotFoundError (-32602, data { uri }).
    expect(error.code).toBe(-32602);
    expect(error.data).toEqual({ uri });
    expect(wire.code).toBe(-32602);
    expect(wire.message).toContain(uri);
    expect(wire.data).toEqual({ uri });
    expect(onlyRequest(upstream).path).toBe(`${P}/accounts/missing`);
  });

  // @modelcontextprotocol/server 2.4.0 sends -32602 in both era codecs (it rewrites -32002).
  it(`an upstream 404 is sent on the wire with code ${resourceNotFoundCode(era)} (${era})`, async () => {
    const { wire } = await readMiss(`${SCHEME}://accounts/missing`);
    expect(wire.code).toBe(resourceNotFoundCode(era));
  });

  const UNKNOWN_URIS = [
    `${SCHEME}://nope`,
    `other://accounts`,
    `${SCHEME}://accounts/acc_1/unknown`,
    `${SCHEME}://accounts/`,
    `${SCHEME}://accounts/acc_1/transactions/extra`,
    `${SCHEME}://Accounts`,
    `${SCHEME}://accounts?status=frozen`,
  ];

  it.each(UNKNOWN_URIS)('an unknown URI %s is a resource-not-found error, without any upstream request', async (uri) => {
    const { error, wire } = await readMiss(uri);
    expect(error.code).toBe(-32602);
    expect(error.data).toEqual({ uri });
    expect(wire.code).toBe(-32602);
    expect(wire.message).toContain(uri);
    expect(wire.data).toEqual({ uri });
    expect(upstream.requests).toEqual([]);
  });

  it(`an unknown URI is sent on the wire with code ${resourceNotFoundCode(era)} (${era})`, async () => {
    const { wire } = await readMiss(`${SCHEME}://nope`);
    expect(wire.code).toBe(resourceNotFoundCode(era));
    expect(upstream.requests).toEqual([]);
  });

  it('a dot-segment template value names no resource and makes no upstream request', async () => {
    const error = await rpcError(read(`${SCHEME}://accounts/..`));
    expect(error.code).toBe(-32602);
    expect(upstream.requests).toEqual([]);
  });

  // -------------------------------------------------------------------------
  // completion/complete for template variables
  // -------------------------------------------------------------------------

  const completeTemplate = (uri: string, name: string, value: string) =>
    conn.client.complete({ ref: { type: 'ref/resource', uri }, argument: { name, value } });

  it.each([
    ['', ['acc_1', 'acc_2']],
    ['acc_', ['acc_1', 'acc_2']],
    ['acc_2', ['acc_2']],
    ['x', []],
  ] as const)('completes accountId with prefix %j from the listed collection', async (prefix, expected) => {
    const result = await completeTemplate(`${SCHEME}://accounts/{accountId}`, 'accountId', prefix);
    expect(result.completion.values).toEqual(expected);
    expect(result.completion.hasMore ?? false).toBe(false);
    const req = onlyRequest(upstream);
    expect(req.path).toBe(`${P}/accounts`);
    expect(credentials(req)).toEqual(API_KEY);
  });

  it.each([
    ['an unknown template', `${SCHEME}://nope/{accountId}`, 'accountId'],
    ['an unknown variable', `${SCHEME}://accounts/{accountId}`, 'nope'],
    ['a concrete URI instead of the template', `${SCHEME}://accounts/acc_1`, 'accountId'],
  ])('completion for %s is empty and calls no upstream', async (_what, uri, name) => {
    const result = await completeTemplate(uri, name, '');
    expect(result.completion.values).toEqual([]);
    expect(upstream.requests).toEqual([]);
  });
});

describe('ledger-api resources when the collection operation fails', () => {
  let conn: Connection;

  beforeAll(async () => {
    // Every upstream path answers the fake's 404 "no route": the listed collection fails.
    conn = await connectStdio(SERVER_DIR, baseEnv({ LEDGER_API_BASE_URL: `${upstream.url}/nowhere` }), 'legacy');
  });

  afterAll(async () => {
    await conn?.close();
  });

  beforeEach(() => upstream.reset());

  it('resources/list still answers with the fixed resources, skipping the template items', async () => {
    const { resources } = await conn.client.listResources();
    expect(resources).toEqual([ACCOUNTS_RESOURCE]);
    expect(onlyRequest(upstream).path).toBe('/nowhere/accounts');
  });

  it('completion of the listed variable is empty', async () => {
    const result = await conn.client.complete({
      ref: { type: 'ref/resource', uri: `${SCHEME}://accounts/{accountId}` },
      argument: { name: 'accountId', value: '' },
    });
    expect(result.completion.values).toEqual([]);
    expect(onlyRequest(upstream).path).toBe('/nowhere/accounts');
  });
});
