// Discovery mode, toolsets and run-time filters of a generated server (ledger-api), driven
// through the real SDK client over stdio and Streamable HTTP, in both protocol eras, against
// a real upstream on 127.0.0.1. Discovery is switched on at run time (MCPGEN_DISCOVERY, or
// ?discovery=on on the URL), which is the same code path as a server generated with it on.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MATRIX, type CallResult } from '../support/assertions.js';
import { assertBuilt, childEnv, connectHttp, connectStdio, generatedDir, initializeBody, killAllSpawned, rawRequest, startHttp, type Connection, type HttpServerHandle } from '../support/mcp.js';
import { LEDGER_BASE_PATH, ledgerAccount, startUpstream, type Upstream } from '../support/upstream.js';

const SERVER_DIR = generatedDir('ledger-api');
const CREDS = { LEDGER_API_API_KEY: 'hdr-key-123', LEDGER_API_BEARER_AUTH: 'bearer-tok-abc' };
const META = ['search_tools', 'describe_tools', 'call_tool'];

let upstream: Upstream;

beforeAll(async () => {
  assertBuilt(SERVER_DIR);
  upstream = await startUpstream();
});

afterAll(async () => {
  await killAllSpawned();
  await upstream?.close();
});

beforeEach(() => upstream.reset());

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { LEDGER_API_BASE_URL: upstream.url + LEDGER_BASE_PATH, ...CREDS, ...extra };
}

/** Connects over `transport`; stdio filters come from the environment, HTTP ones from the URL query. */
async function connect(transport: 'stdio' | 'http', era: 'legacy' | 'modern', filters: { env: Record<string, string>; query: string }): Promise<{ conn: Connection; http?: HttpServerHandle }> {
  if (transport === 'stdio') return { conn: await connectStdio(SERVER_DIR, env(filters.env), era) };
  const http = await startHttp(SERVER_DIR, env());
  return { conn: await connectHttp(`${http.mcpUrl}?${filters.query}`, era), http };
}

function structured(result: CallResult): Record<string, unknown> {
  expect(result.isError ?? false).toBe(false);
  return result.structuredContent as Record<string, unknown>;
}

describe.each(MATRIX)('discovery mode over %s, %s era', (transport, era) => {
  let conn: Connection;
  let http: HttpServerHandle | undefined;

  beforeAll(async () => {
    ({ conn, http } = await connect(transport, era, { env: { MCPGEN_DISCOVERY: 'on' }, query: 'discovery=on' }));
  });

  afterAll(async () => {
    await conn?.close();
    await http?.close();
  });

  it('lists the three meta-tools instead of every tool, with a map of the toolsets', async () => {
    const { tools } = await conn.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(META);
    const search = tools[0]!;
    expect(search.description).toContain('12 tools');
    expect(search.description).toContain('accounts (7)');
    expect(search.annotations?.readOnlyHint).toBe(true);
  });

  it('search_tools finds tools by what a user means, with method, path and annotations', async () => {
    const result = (await conn.client.callTool({ name: 'search_tools', arguments: { query: 'remove an account for good', limit: 3 } })) as CallResult;
    const hits = structured(result)['tools'] as Array<Record<string, unknown>>;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.length).toBeLessThanOrEqual(3);
    expect(hits[0]).toMatchObject({ name: 'delete_account', method: 'DELETE', path: '/accounts/{accountId}', operationId: 'deleteAccount', toolsets: ['accounts'], annotations: { destructiveHint: true } });
  });

  it('search_tools narrows to one toolset with tag, and names the toolset meant by a typo', async () => {
    const inTag = structured((await conn.client.callTool({ name: 'search_tools', arguments: { query: 'list', tag: 'transactions' } })) as CallResult);
    const names = (inTag['tools'] as Array<{ name: string }>).map((t) => t.name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(['list_transactions', 'export_transactions', 'list_transaction_links']).toContain(name);
    const typo = (await conn.client.callTool({ name: 'search_tools', arguments: { query: 'list', tag: 'acounts' } })) as CallResult;
    expect(typo.isError).toBe(true);
    expect(JSON.stringify(typo.content)).toContain('did you mean \\"accounts\\"');
  });

  it('describe_tools gives the full definition tools/list would give', async () => {
    const result = structured((await conn.client.callTool({ name: 'describe_tools', arguments: { names: ['get_account'] } })) as CallResult);
    const [tool] = result['tools'] as Array<{ name: string; inputSchema: { properties: Record<string, unknown>; required?: string[] }; outputSchema?: unknown }>;
    expect(tool!.name).toBe('get_account');
    expect(tool!.inputSchema.required).toContain('accountId');
    expect(tool!.outputSchema).toBeDefined();
  });

  it('call_tool returns exactly what calling the tool directly returns, through the same upstream call', async () => {
    const viaMeta = (await conn.client.callTool({ name: 'call_tool', arguments: { name: 'get_account', arguments: { accountId: 'acc_1' } } })) as CallResult;
    expect(upstream.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${LEDGER_BASE_PATH}/accounts/acc_1`]);
    const direct = (await conn.client.callTool({ name: 'get_account', arguments: { accountId: 'acc_1' } })) as CallResult;
    expect(viaMeta).toEqual(direct);
    expect(viaMeta.structuredContent).toEqual(ledgerAccount('acc_1'));
  });

  it('call_tool validates arguments exactly as tools/call does, before any upstream call', async () => {
    const viaMeta = (await conn.client.callTool({ name: 'call_tool', arguments: { name: 'get_account', arguments: {} } })) as CallResult;
    const direct = (await conn.client.callTool({ name: 'get_account', arguments: {} })) as CallResult;
    expect(viaMeta.isError).toBe(true);
    expect(viaMeta).toEqual(direct);
    expect(upstream.requests).toEqual([]);
  });

  it('call_tool of an unknown tool fails as tools/call does', async () => {
    await expect(conn.client.callTool({ name: 'call_tool', arguments: { name: 'no_such_tool', arguments: {} } })).rejects.toThrow(/Unknown tool: no_such_tool/);
    await expect(conn.client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toThrow(/Unknown tool: no_such_tool/);
  });
});

describe('call_tool reports progress as tools/call does (stdio)', () => {
  it.each(['legacy', 'modern'] as const)('%s era', async (era) => {
    const conn = await connectStdio(SERVER_DIR, env({ MCPGEN_DISCOVERY: 'on' }), era);
    try {
      const steps: number[] = [];
      const result = (await conn.client.callTool({ name: 'call_tool', arguments: { name: 'get_health', arguments: {} } }, { onprogress: (p) => steps.push(p.progress) })) as CallResult;
      expect(result.isError ?? false).toBe(false);
      expect(steps).toEqual([1, 2, 3]);
    } finally {
      await conn.close();
    }
  });
});

describe.each(MATRIX)('toolsets and filters over %s, %s era', (transport, era) => {
  let conn: Connection;
  let http: HttpServerHandle | undefined;

  beforeAll(async () => {
    ({ conn, http } = await connect(transport, era, {
      env: { MCPGEN_TOOLSETS: 'accounts', MCPGEN_TOOLS: 'get_health', MCPGEN_READ_ONLY: '1' },
      query: 'toolsets=accounts&tools=get_health&readonly=1',
    }));
  });

  afterAll(async () => {
    await conn?.close();
    await http?.close();
  });

  it('lists only the read-only tools of the chosen toolset and tools', async () => {
    const { tools } = await conn.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['get_account', 'get_balance_chart', 'get_health', 'list_accounts']);
  });

  it('refuses to call a tool outside the selection, without calling upstream', async () => {
    await expect(conn.client.callTool({ name: 'delete_account', arguments: { accountId: 'acc_1' } })).rejects.toThrow(/Unknown tool: delete_account/);
    expect(upstream.requests).toEqual([]);
    const allowed = (await conn.client.callTool({ name: 'get_account', arguments: { accountId: 'acc_1' } })) as CallResult;
    expect(allowed.structuredContent).toEqual(ledgerAccount('acc_1'));
  });
});

describe('an unknown toolset or tool name', () => {
  it('stops a stdio server at start-up, naming the closest toolset', async () => {
    const child = spawn(process.execPath, [join(SERVER_DIR, 'dist', 'stdio.js')], { cwd: SERVER_DIR, env: childEnv(env({ MCPGEN_TOOLSETS: 'acounts' })), stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 10_000);
      child.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toContain('Unknown toolset "acounts". Did you mean "accounts"?');
  });

  it('answers 400 over HTTP, naming the closest tool', async () => {
    const http = await startHttp(SERVER_DIR, env());
    try {
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      const response = await rawRequest({ port: http.port, path: '/mcp?tools=get_acount', method: 'POST', headers, body: initializeBody() });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toEqual({ error: 'Unknown tool "get_acount". Did you mean "get_account"?' });
      const fine = await rawRequest({ port: http.port, path: '/mcp?tools=get_account', method: 'POST', headers, body: initializeBody() });
      expect(fine.status).toBe(200);
    } finally {
      await http.close();
    }
  });
});
