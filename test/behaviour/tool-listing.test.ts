// How a generated server's tools/list grows (enable_toolset, MCPGEN_DYNAMIC_TOOLSETS=1) and how
// it shortens (the config's descriptionBudget), driven through the real SDK client over stdio
// and Streamable HTTP in both protocol eras, against a real upstream on 127.0.0.1. The server
// is generated from specs/ledger-api.yaml into a temporary folder with the current runtime.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tool } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MATRIX, type CallResult } from '../support/assertions.js';
import { connectHttp, connectOver, connectStdio, ERAS, killAllSpawned, REPO_ROOT, startHttp, type Connection, type Era, type HttpServerHandle, type TransportConnection } from '../support/mcp.js';
import { LEDGER_BASE_PATH, ledgerAccount, startUpstream, type Upstream } from '../support/upstream.js';
import { removeDir, repoTmpDir, runCli, writeConfig } from '../cli/helpers.js';

const CREDS = { LEDGER_API_API_KEY: 'hdr-key-123', LEDGER_API_BEARER_AUTH: 'bearer-tok-abc' };
const ACCOUNT_TOOLS = ['create_account', 'delete_account', 'get_account', 'get_balance_chart', 'list_accounts', 'replace_account', 'update_account'];
/** Short enough to shorten most of ledger-api's descriptions (summary, blank line, a sentence). */
const DESCRIPTION_BUDGET = 40;
const LINKED_FULL = 'List linked transactions\n\nLists transactions linked to transaction `id` (refunds, reversals, splits).';

let dir: string;
let serverDir: string;
let upstream: Upstream;

beforeAll(async () => {
  dir = repoTmpDir();
  copyFileSync(join(REPO_ROOT, 'specs', 'ledger-api.yaml'), join(dir, 'ledger-api.yaml'));
  writeConfig(dir, [{ name: 'ledger-api', spec: 'ledger-api.yaml', output: 'out', discovery: 'off', pinnedTools: ['get_health'], descriptionBudget: DESCRIPTION_BUDGET }]);
  for (const command of ['generate', 'build']) {
    const run = runCli([command, '--quiet'], dir);
    if (run.status !== 0) throw new Error(`${command} failed (${run.status}):\n${run.stderr}\n${run.stdout}`);
  }
  serverDir = join(dir, 'out');
  upstream = await startUpstream();
}, 300_000);

afterAll(async () => {
  await killAllSpawned();
  await upstream?.close();
  if (dir !== undefined) removeDir(dir);
});

beforeEach(() => upstream.reset());

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { LEDGER_API_BASE_URL: upstream.url + LEDGER_BASE_PATH, ...CREDS, ...extra };
}

/** A stdio connection whose client follows tools/list_changed; `changes` yields each refreshed list in turn. */
async function connectFollowing(era: Era, extra: Record<string, string>): Promise<{ conn: Connection; nextChange: () => Promise<Tool[]> }> {
  const waiting: Array<(tools: Tool[]) => void> = [];
  const arrived: Tool[][] = [];
  const conn = await connectStdio(serverDir, env(extra), era, {
    listChanged: {
      tools: {
        debounceMs: 0,
        onChanged: (error, tools) => {
          if (error !== null || tools === null) throw error ?? new Error('tools/list_changed without a refreshed list');
          const resolve = waiting.shift();
          if (resolve) resolve(tools);
          else arrived.push(tools);
        },
      },
    },
  });
  const nextChange = (): Promise<Tool[]> => {
    const ready = arrived.shift();
    return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
  };
  return { conn, nextChange };
}

const names = (tools: readonly Tool[]): string[] => tools.map((t) => t.name).sort();
/** Always listed here: enable_toolset, and describe_tools since descriptions are shortened. */
const META = ['describe_tools', 'enable_toolset'];

describe.each(ERAS)('enable_toolset over stdio, %s era', (era) => {
  let conn: Connection;
  let nextChange: () => Promise<Tool[]>;

  beforeAll(async () => {
    ({ conn, nextChange } = await connectFollowing(era, { MCPGEN_DYNAMIC_TOOLSETS: '1' }));
  });

  afterAll(async () => {
    await conn?.close();
  });

  it('declares listChanged and starts with enable_toolset and the pinned tools, its description naming the toolsets', async () => {
    expect(conn.client.getServerCapabilities()?.tools?.listChanged).toBe(true);
    const { tools } = await conn.client.listTools();
    expect(names(tools)).toEqual([...META, 'get_health']);
    const enable = tools.find((t) => t.name === 'enable_toolset')!;
    expect(enable.description).toContain('accounts (7)');
    expect(enable.description).toContain('transactions (3)');
    expect(enable.description).not.toContain('system');
  });

  it('a tool outside the enabled toolsets cannot be called yet', async () => {
    await expect(conn.client.callTool({ name: 'get_account', arguments: { accountId: 'acc_1' } })).rejects.toThrow(/Unknown tool: get_account/);
    expect(upstream.requests).toEqual([]);
  });

  it('enabling a toolset sends list_changed, the next tools/list has its tools, and they call the real upstream', async () => {
    const changed = nextChange();
    const result = (await conn.client.callTool({ name: 'enable_toolset', arguments: { toolset: 'accounts' } })) as CallResult;
    expect(result.isError ?? false).toBe(false);
    // In the toolset's order (the spec's).
    expect(result.structuredContent).toEqual({ toolset: 'accounts', added: ['list_accounts', 'create_account', 'get_account', 'replace_account', 'delete_account', 'update_account', 'get_balance_chart'] });
    expect(names(await changed)).toEqual([...META, 'get_health', ...ACCOUNT_TOOLS].sort());
    const { tools } = await conn.client.listTools();
    expect(names(tools)).toEqual([...META, 'get_health', ...ACCOUNT_TOOLS].sort());
    expect(tools.find((t) => t.name === 'enable_toolset')!.description).not.toContain('accounts (');

    const account = (await conn.client.callTool({ name: 'get_account', arguments: { accountId: 'acc_1' } })) as CallResult;
    expect(account.isError ?? false).toBe(false);
    expect(account.structuredContent).toEqual(ledgerAccount('acc_1'));
    expect(upstream.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${LEDGER_BASE_PATH}/accounts/acc_1`]);
  });

  it('enabling it again changes nothing', async () => {
    const result = (await conn.client.callTool({ name: 'enable_toolset', arguments: { toolset: 'accounts' } })) as CallResult;
    expect(result.isError ?? false).toBe(false);
    expect(result.structuredContent).toEqual({ toolset: 'accounts', added: [] });
    expect(JSON.stringify(result.content)).toContain('already enabled');
  });

  it('an unknown toolset is an error result with a did-you-mean, and the list stays as it was', async () => {
    const result = (await conn.client.callTool({ name: 'enable_toolset', arguments: { toolset: 'transactons' } })) as CallResult;
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('Did you mean \\"transactions\\"?');
    const missing = (await conn.client.callTool({ name: 'enable_toolset', arguments: {} })) as CallResult;
    expect(missing.isError).toBe(true);
    expect(JSON.stringify(missing.content)).toContain('toolset: the name of a toolset is required');
    expect(names((await conn.client.listTools()).tools)).toEqual([...META, 'get_health', ...ACCOUNT_TOOLS].sort());
  });
});

describe('enable_toolset within the environment\'s bounds (stdio)', () => {
  it('starts from MCPGEN_TOOLSETS and adds only read-only tools under MCPGEN_READ_ONLY=1', async () => {
    const { conn, nextChange } = await connectFollowing('modern', { MCPGEN_DYNAMIC_TOOLSETS: '1', MCPGEN_TOOLSETS: 'transactions', MCPGEN_READ_ONLY: '1' });
    try {
      expect(names((await conn.client.listTools()).tools)).toEqual([...META, 'export_transactions', 'list_transaction_links', 'list_transactions']);
      const changed = nextChange();
      const result = (await conn.client.callTool({ name: 'enable_toolset', arguments: { toolset: 'accounts' } })) as CallResult;
      expect(result.structuredContent).toEqual({ toolset: 'accounts', added: ['list_accounts', 'get_account', 'get_balance_chart'] });
      expect(names(await changed)).toEqual([...META, 'export_transactions', 'get_account', 'get_balance_chart', 'list_accounts', 'list_transaction_links', 'list_transactions']);
      const journal = (await conn.client.callTool({ name: 'enable_toolset', arguments: { toolset: 'journal' } })) as CallResult;
      expect(journal.isError ?? false).toBe(false);
      expect(journal.structuredContent).toEqual({ toolset: 'journal', added: [] });
      expect(JSON.stringify(journal.content)).toContain('MCPGEN_READ_ONLY=1');
    } finally {
      await conn.close();
    }
  });

  it('is not offered without MCPGEN_DYNAMIC_TOOLSETS, nor in discovery mode (which says so on stderr)', async () => {
    for (const extra of [{}, { MCPGEN_DYNAMIC_TOOLSETS: '1', MCPGEN_DISCOVERY: 'on' }]) {
      const conn = await connectStdio(serverDir, env(extra), 'legacy');
      try {
        expect(conn.client.getServerCapabilities()?.tools?.listChanged).toBeUndefined();
        expect(names((await conn.client.listTools()).tools)).not.toContain('enable_toolset');
        expect(conn.stderr().includes('MCPGEN_DYNAMIC_TOOLSETS=1 has no effect in discovery mode')).toBe('MCPGEN_DISCOVERY' in extra);
      } finally {
        await conn.close();
      }
    }
  });
});

describe.each(ERAS)('enable_toolset is not offered over stateless HTTP, %s era', (era) => {
  let http: HttpServerHandle;
  let conn: Connection;

  beforeAll(async () => {
    http = await startHttp(serverDir, env({ MCPGEN_DYNAMIC_TOOLSETS: '1' }));
    conn = await connectHttp(http.mcpUrl, era);
  });

  afterAll(async () => {
    await conn?.close();
    await http?.close();
  });

  it('lists every tool, declares no listChanged, and refuses a call to enable_toolset', async () => {
    expect(conn.client.getServerCapabilities()?.tools?.listChanged).toBeUndefined();
    const listed = names((await conn.client.listTools()).tools);
    expect(listed).not.toContain('enable_toolset');
    expect(listed).toContain('get_account');
    await expect(conn.client.callTool({ name: 'enable_toolset', arguments: { toolset: 'accounts' } })).rejects.toThrow(/Unknown tool: enable_toolset/);
  });
});

describe.each(MATRIX)('descriptionBudget over %s, %s era', (transport, era) => {
  let conn: TransportConnection;

  beforeAll(async () => {
    conn = await connectOver(transport, serverDir, env(), era);
  });

  afterAll(() => conn?.close());

  it('lists descriptions within the budget, in whole sentences, with describe_tools for the full text', async () => {
    const { tools } = await conn.client.listTools();
    for (const tool of tools.filter((t) => t.name !== 'describe_tools')) expect(tool.description!.length, tool.name).toBeLessThanOrEqual(DESCRIPTION_BUDGET);
    const linked = tools.find((t) => t.name === 'list_transaction_links')!;
    expect(linked.description).toBe('List linked transactions');
    expect(tools.find((t) => t.name === 'get_health')!.description).toBe('Service health\n\nLiveness probe.');
    expect(tools.map((t) => t.name)).toContain('describe_tools');
    const described = (await conn.client.callTool({ name: 'describe_tools', arguments: { names: ['list_transaction_links'] } })) as CallResult;
    expect(described.isError ?? false).toBe(false);
    const [full] = (described.structuredContent as { tools: Array<{ description: string; inputSchema: unknown }> }).tools;
    expect(full!.description.startsWith(LINKED_FULL)).toBe(true);
    expect(full!.inputSchema).toEqual(linked.inputSchema);
  });
});

describe('descriptionBudget in discovery mode (stdio)', () => {
  it('pinned tools are listed shortened and describe_tools gives the full text', async () => {
    const conn = await connectStdio(serverDir, env({ MCPGEN_DISCOVERY: 'on' }), 'modern');
    try {
      const { tools } = await conn.client.listTools();
      expect(names(tools)).toEqual(['call_tool', 'describe_tools', 'get_health', 'search_tools']);
      expect(tools.find((t) => t.name === 'get_health')!.description).toBe('Service health\n\nLiveness probe.');
      const described = (await conn.client.callTool({ name: 'describe_tools', arguments: { names: ['get_health'] } })) as CallResult;
      expect((described.structuredContent as { tools: Array<{ description: string }> }).tools[0]!.description).toBe('Service health\n\nLiveness probe. Requires no credentials.');
    } finally {
      await conn.close();
    }
  });
});
