// The hooks module of examples/hooks, served by a generated server started as a real
// process: a header added before the upstream request, a result redacted after it, an
// extra tool called beside the generated ones, and failing hooks that become isError
// results while the server keeps serving.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySpec, removeDir, repoTmpDir, REPO_ROOT, runCli, writeConfig } from '../cli/helpers.js';
import { json, startRecordingUpstream, type RecordingUpstream } from '../security/support/recording.js';
import { connectStdio, killAllSpawned, type Connection } from '../support/mcp.js';

const ACCOUNT = { id: 'acc_1', name: 'Main', currency: 'EUR', balance: 1234, status: 'open', owner: { name: 'Ada', email: 'ada@example.com' } };

/** Throws in every hook, to show failures stay inside the call. */
const FAILING_HOOKS = `import type { ServerHooks } from '../generated/failing/src/runtime/hooks.js';
const hooks: ServerHooks = {
  beforeRequest() {
    throw new Error('signing key missing');
  },
  tools: [{ name: 'always_fails', description: 'Throws.', inputSchema: { type: 'object', properties: {} }, handler: () => { throw new Error('boom'); } }],
};
export default hooks;
`;

let dir: string;
let upstream: RecordingUpstream;
let example: Connection;
let failing: Connection;

beforeAll(async () => {
  dir = repoTmpDir();
  copySpec('ledger-api.yaml', dir);
  mkdirSync(path.join(dir, 'hooks'));
  copyFileSync(path.join(REPO_ROOT, 'examples', 'hooks', 'hooks', 'ledger-api.ts'), path.join(dir, 'hooks', 'ledger-api.ts'));
  writeFileSync(path.join(dir, 'hooks', 'failing.ts'), FAILING_HOOKS);
  writeConfig(dir, [
    { name: 'ledger-api', spec: 'ledger-api.yaml', output: 'generated/ledger-api', hooks: 'hooks/ledger-api.ts' },
    { name: 'failing', spec: 'ledger-api.yaml', output: 'generated/failing', hooks: 'hooks/failing.ts' },
  ]);
  for (const args of [['generate', '--quiet'], ['build', '--quiet']]) {
    const run = runCli(args, dir);
    if (run.status !== 0) throw new Error(`${args[0]} failed:\n${run.stderr}`);
  }
  upstream = await startRecordingUpstream();
  upstream.answer = (req, res) => (req.url.startsWith('/accounts/acc_1') ? json(res, 200, ACCOUNT) : json(res, 404, { message: 'no' }));
  example = await connectStdio(path.join(dir, 'generated', 'ledger-api'), { LEDGER_API_BASE_URL: upstream.origin, LEDGER_API_QUERY_KEY: 'k-123' }, 'legacy');
  failing = await connectStdio(path.join(dir, 'generated', 'failing'), { FAILING_BASE_URL: upstream.origin, FAILING_QUERY_KEY: 'k-123' }, 'modern');
}, 600_000);

afterAll(async () => {
  await example?.close();
  await failing?.close();
  await killAllSpawned();
  await upstream?.close();
  if (dir) removeDir(dir);
});

function text(result: { content?: unknown }): string {
  return (result.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('\n');
}

describe('hooks module (examples/hooks)', { timeout: 60_000 }, () => {
  it('lists the extra tool after the generated ones, with its schema from zod', async () => {
    const { tools } = await example.client.listTools();
    expect(tools).toHaveLength(13);
    const extra = tools.at(-1)!;
    expect(extra.name).toBe('format_amount');
    expect(extra.inputSchema).toMatchObject({ type: 'object', properties: { amount: { type: 'integer' }, currency: { type: 'string' } }, required: ['amount', 'currency'] });
    expect(extra.inputSchema).not.toHaveProperty('$schema');
    expect(extra.annotations).toMatchObject({ readOnlyHint: true });
  });

  it('beforeRequest adds a header to the upstream request; afterResponse redacts the owner e-mail', async () => {
    upstream.seen.length = 0;
    const result = await example.client.callTool({ name: 'get_account', arguments: { accountId: 'acc_1' } });
    expect(result.isError, text(result)).toBeFalsy();
    expect(upstream.seen).toHaveLength(1);
    expect(upstream.seen[0]!.headers['x-request-source']).toBe('mcp');
    // The generated request is otherwise unchanged: credentials still applied.
    expect(upstream.seen[0]!.url).toBe('/accounts/acc_1?api_key=k-123');
    expect(result.structuredContent).toMatchObject({ id: 'acc_1', owner: { name: 'Ada', email: 'redacted@example.invalid' } });
    expect(text(result)).not.toContain('ada@example.com');
  });

  it('afterResponse also runs on a resource read of the same operation: the e-mail is redacted there too', async () => {
    upstream.seen.length = 0;
    const read = await example.client.readResource({ uri: 'ledger-api://accounts/acc_1' });
    expect(upstream.seen).toHaveLength(1);
    expect(upstream.seen[0]!.headers['x-request-source']).toBe('mcp');
    expect(read.contents).toHaveLength(1);
    const contents = read.contents[0] as { uri: string; mimeType?: string; text: string };
    expect(contents).toMatchObject({ uri: 'ledger-api://accounts/acc_1', mimeType: 'application/json' });
    expect(JSON.parse(contents.text)).toMatchObject({ id: 'acc_1', owner: { name: 'Ada', email: 'redacted@example.invalid' } });
    expect(contents.text).not.toContain('ada@example.com');
  });

  it('afterResponse leaves other tools alone', async () => {
    upstream.answer = (_req, res) => json(res, 200, { items: [ACCOUNT] });
    try {
      const result = await example.client.callTool({ name: 'list_accounts', arguments: {} });
      expect(text(result)).toContain('ada@example.com');
    } finally {
      upstream.answer = (req, res) => (req.url.startsWith('/accounts/acc_1') ? json(res, 200, ACCOUNT) : json(res, 404, { message: 'no' }));
    }
  });

  it('the extra tool is callable, validates its arguments, and a throw is an isError result', async () => {
    const ok = await example.client.callTool({ name: 'format_amount', arguments: { amount: 1234, currency: 'EUR' } });
    expect(ok.isError).toBeFalsy();
    expect(text(ok)).toBe('12.34 EUR');
    const bad = await example.client.callTool({ name: 'format_amount', arguments: { amount: 'lots', currency: 'EUR' } });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/^Invalid arguments for format_amount: amount: /);
    const thrown = await example.client.callTool({ name: 'format_amount', arguments: { amount: 1, currency: 'XYZ' } });
    expect(thrown.isError).toBe(true);
    expect(text(thrown)).toBe("The hooks module's tool format_amount failed: unknown currency XYZ");
  });

  it('a throwing beforeRequest is an isError result naming the hook, and nothing is sent', async () => {
    upstream.seen.length = 0;
    const result = await failing.client.callTool({ name: 'get_account', arguments: { accountId: 'acc_1' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toBe('The beforeRequest hook failed: signing key missing');
    expect(upstream.seen).toHaveLength(0);
  });

  it('a throwing extra tool is an isError result, and the server keeps serving', async () => {
    const result = await failing.client.callTool({ name: 'always_fails', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toBe("The hooks module's tool always_fails failed: boom");
    const { tools } = await failing.client.listTools();
    expect(tools.map((t) => t.name)).toContain('always_fails');
  });
});
