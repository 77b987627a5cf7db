// The hooks module's extra tools follow the tool filters and per-caller scopes of the
// generated ones: a toolset filter keeps an extra tool that declares the toolset and hides one
// that declares none, MCPGEN_TOOLS keeps one by name, read-only keeps one that says
// readOnlyHint, and an extra tool's scopes hide it from (and refuse it to) a token without them
// with the same 403 insufficient_scope. Real processes: stdio servers per filter, and an HTTP
// server with inbound auth against a real introspection endpoint on 127.0.0.1.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InsufficientScopeError, type Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySpec, removeDir, repoTmpDir, runCli, writeConfig } from '../cli/helpers.js';
import { connectWithToken, inboundAuthEnv, introspectScopes, type IntrospectionEndpoint } from '../security/inbound-support.js';
import { json, startRecordingUpstream, type RecordingUpstream } from '../security/support/recording.js';
import { connectStdio, ERAS, killAllSpawned, startHttp, type Era, type HttpServerHandle } from '../support/mcp.js';

const HOOKS = `import type { ServerHooks } from '../generated/ledger-api/src/runtime/hooks.js';
const text = (text: string) => ({ content: [{ type: 'text' as const, text }] });
const empty = { type: 'object', properties: {} } as const;
const hooks: ServerHooks = {
  tools: [
    { name: 'format_amount', description: 'Formats an amount.', inputSchema: empty, annotations: { readOnlyHint: true }, toolsets: ['accounts'], handler: () => text('12.34 EUR') },
    { name: 'close_books', description: 'Closes the books.', inputSchema: empty, handler: () => text('closed') },
    { name: 'audit_export', description: 'Exports the audit log.', inputSchema: empty, annotations: { readOnlyHint: true }, toolsets: ['reports'], scopes: ['admin'], handler: () => text('audit') },
  ],
};
export default hooks;
`;
const EXTRAS = ['audit_export', 'close_books', 'format_amount'];
const TOKENS: Record<string, string> = { reader: 'mcp', admin: 'mcp admin' };

let dir: string;
let out: string;
let upstream: RecordingUpstream;
let introspection: IntrospectionEndpoint;
let http: HttpServerHandle;
const closers: (() => Promise<void>)[] = [];
const clients: Client[] = [];

beforeAll(async () => {
  dir = repoTmpDir();
  copySpec('ledger-api.yaml', dir);
  mkdirSync(path.join(dir, 'hooks'));
  writeFileSync(path.join(dir, 'hooks', 'ledger-api.ts'), HOOKS);
  writeConfig(dir, [{ name: 'ledger-api', spec: 'ledger-api.yaml', output: 'generated/ledger-api', hooks: 'hooks/ledger-api.ts', discovery: 'off' }]);
  for (const args of [['generate', '--quiet'], ['build', '--quiet']]) {
    const run = runCli(args, dir);
    if (run.status !== 0) throw new Error(`${args[0]} failed:\n${run.stderr}`);
  }
  out = path.join(dir, 'generated', 'ledger-api');
  upstream = await startRecordingUpstream();
  upstream.answer = (_req, res) => json(res, 200, {});
  introspection = await introspectScopes(TOKENS);
  http = await startHttp(out, { LEDGER_API_BASE_URL: upstream.origin, LEDGER_API_QUERY_KEY: 'k-123', ...inboundAuthEnv(introspection) });
}, 600_000);

afterAll(async () => {
  for (const close of closers) await close().catch(() => undefined);
  for (const client of clients) await client.close().catch(() => undefined);
  await killAllSpawned();
  await introspection?.close();
  await upstream?.close();
  if (dir) removeDir(dir);
});

async function stdio(env: Record<string, string>) {
  const connection = await connectStdio(out, { LEDGER_API_BASE_URL: upstream.origin, LEDGER_API_QUERY_KEY: 'k-123', ...env }, 'modern');
  closers.push(() => connection.close());
  return connection.client;
}

const extras = async (client: Client) => (await client.listTools()).tools.map((t) => t.name).filter((name) => EXTRAS.includes(name)).sort();

describe('extra tools under the tool filters (stdio)', { timeout: 60_000 }, () => {
  it('without a filter every extra tool is listed', async () => {
    expect(await extras(await stdio({}))).toEqual(EXTRAS);
  });

  it('MCPGEN_TOOLSETS keeps an extra tool that declares the toolset and hides one that declares none; a hidden one cannot be called', async () => {
    const client = await stdio({ MCPGEN_TOOLSETS: 'accounts' });
    expect(await extras(client)).toEqual(['format_amount']);
    await expect(client.callTool({ name: 'close_books', arguments: {} })).rejects.toThrow(/Unknown tool: close_books/);
    expect(await extras(await stdio({ MCPGEN_TOOLSETS: 'reports' }))).toEqual(['audit_export']);
  });

  it('MCPGEN_TOOLS keeps an extra tool by name, and it is callable', async () => {
    const client = await stdio({ MCPGEN_TOOLS: 'close_books,get_health' });
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['get_health', 'close_books']);
    expect((await client.callTool({ name: 'close_books', arguments: {} })).content).toEqual([{ type: 'text', text: 'closed' }]);
  });

  it('a growing list (MCPGEN_DYNAMIC_TOOLSETS) starts with the undeclared extra tools, and enable_toolset adds a declared one', async () => {
    const client = await stdio({ MCPGEN_DYNAMIC_TOOLSETS: '1' });
    expect(await extras(client)).toEqual(['close_books']);
    const enabled = await client.callTool({ name: 'enable_toolset', arguments: { toolset: 'reports' } });
    expect(enabled.isError, JSON.stringify(enabled.content)).toBeFalsy();
    expect(await extras(client)).toEqual(['audit_export', 'close_books']);
  });

  it('MCPGEN_READ_ONLY keeps only the extra tools that say readOnlyHint', async () => {
    expect(await extras(await stdio({ MCPGEN_READ_ONLY: '1' }))).toEqual(['audit_export', 'format_amount']);
  });
});

const connect = (token: string, era: Era, query = ''): Promise<Client> => connectWithToken(`${http.mcpUrl}${query}`, token, era, clients);

describe.each(ERAS)('extra tools under per-caller scopes and URL filters (HTTP, %s era)', { timeout: 60_000 }, (era) => {
  it('a token without the extra tool’s scopes does not see it and is refused with 403 insufficient_scope', async () => {
    const reader = await connect('reader', era);
    expect(await extras(reader)).toEqual(['close_books', 'format_amount']);
    const error = await reader.callTool({ name: 'audit_export', arguments: {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InsufficientScopeError);
    expect((error as InsufficientScopeError).requiredScope).toBe('admin');
  });

  it('a token with the scopes sees and calls it', async () => {
    const admin = await connect('admin', era);
    expect(await extras(admin)).toEqual(EXTRAS);
    expect((await admin.callTool({ name: 'audit_export', arguments: {} })).content).toEqual([{ type: 'text', text: 'audit' }]);
  });

  it('?toolsets= and ?readonly= choose extra tools as the environment does', async () => {
    expect(await extras(await connect('admin', era, '?toolsets=reports'))).toEqual(['audit_export']);
    expect(await extras(await connect('admin', era, '?readonly=1'))).toEqual(['audit_export', 'format_amount']);
  });
});
