// The config's `outputSchemas: false`: tools/list carries no outputSchema, and a call answers
// with the upstream body as text and no structuredContent. Driven through the real SDK client
// over stdio and Streamable HTTP in both protocol eras, against a real upstream on 127.0.0.1,
// with the server generated from specs/ledger-api.yaml into a temporary folder.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATRIX, type CallResult } from '../support/assertions.js';
import { connectOver, killAllSpawned, REPO_ROOT, type TransportConnection } from '../support/mcp.js';
import { LEDGER_ACCOUNTS, LEDGER_BASE_PATH, ledgerAccount, startUpstream, type Upstream } from '../support/upstream.js';
import { removeDir, repoTmpDir, runCli, writeConfig } from '../cli/helpers.js';

const CREDS = { LEDGER_API_API_KEY: 'hdr-key-123', LEDGER_API_BEARER_AUTH: 'bearer-tok-abc' };

let dir: string;
let serverDir: string;
let upstream: Upstream;
let generateOutput: string;

beforeAll(async () => {
  dir = repoTmpDir();
  copyFileSync(join(REPO_ROOT, 'specs', 'ledger-api.yaml'), join(dir, 'ledger-api.yaml'));
  writeConfig(dir, [{ name: 'ledger-api', spec: 'ledger-api.yaml', output: 'out', discovery: 'off', outputSchemas: false }]);
  const generated = runCli(['generate'], dir);
  if (generated.status !== 0) throw new Error(`generate failed (${generated.status}):\n${generated.stderr}`);
  generateOutput = generated.stderr;
  const built = runCli(['build', '--quiet'], dir);
  if (built.status !== 0) throw new Error(`build failed (${built.status}):\n${built.stderr}\n${built.stdout}`);
  serverDir = join(dir, 'out');
  upstream = await startUpstream();
}, 300_000);

afterAll(async () => {
  await killAllSpawned();
  await upstream?.close();
  if (dir !== undefined) removeDir(dir);
});

const env = () => ({ LEDGER_API_BASE_URL: upstream.url + LEDGER_BASE_PATH, ...CREDS });

it('the budget report gives what output schemas cost when they are published, and nothing when they are not', () => {
  expect(generateOutput).toContain('tools/list:');
  expect(generateOutput).not.toContain('output schemas:');
  const published = repoTmpDir();
  try {
    copyFileSync(join(REPO_ROOT, 'specs', 'ledger-api.yaml'), join(published, 'ledger-api.yaml'));
    writeConfig(published, [{ name: 'ledger-api', spec: 'ledger-api.yaml', output: 'out', discovery: 'off' }]);
    const run = runCli(['generate', '--dry-run'], published);
    expect(run.status, run.stderr).toBe(0);
    const listed = Number(/tools\/list: ([\d,]+) tokens/.exec(run.stderr)?.[1]?.replace(/,/g, ''));
    const line = /output schemas: ([\d,]+) tokens of that \((\d+) %\); "outputSchemas": false leaves them out/.exec(run.stderr);
    expect(line, run.stderr).not.toBeNull();
    const schemas = Number(line![1]!.replace(/,/g, ''));
    expect(schemas).toBeGreaterThan(0);
    expect(schemas).toBeLessThan(listed);
    expect(Number(line![2])).toBe(Math.round((100 * schemas) / listed));
  } finally {
    removeDir(published);
  }
});

describe.each(MATRIX)('outputSchemas: false over %s, %s era', (transport, era) => {
  let conn: TransportConnection;

  beforeAll(async () => {
    conn = await connectOver(transport, serverDir, env(), era);
  });

  afterAll(() => conn?.close());

  it('lists no tool with an outputSchema', async () => {
    const { tools } = await conn.client.listTools();
    expect(tools.length).toBeGreaterThan(5);
    expect(tools.filter((t) => t.outputSchema !== undefined).map((t) => t.name)).toEqual([]);
  });

  it('answers an object with the upstream JSON as text and no structuredContent', async () => {
    const result = (await conn.client.callTool({ name: 'get_account', arguments: { accountId: 'acc_1' } })) as CallResult;
    expect(result.isError ?? false).toBe(false);
    expect(result.structuredContent).toBeUndefined();
    const [content] = result.content as Array<{ type: string; text: string }>;
    expect(JSON.parse(content!.text)).toEqual(ledgerAccount('acc_1'));
  });

  it('answers an array as the upstream array itself, not wrapped in items', async () => {
    const result = (await conn.client.callTool({ name: 'list_accounts', arguments: {} })) as CallResult;
    expect(result.isError ?? false).toBe(false);
    expect(result.structuredContent).toBeUndefined();
    const [content] = result.content as Array<{ type: string; text: string }>;
    expect(JSON.parse(content!.text)).toEqual(LEDGER_ACCOUNTS);
  });
});
