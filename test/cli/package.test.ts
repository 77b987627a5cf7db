// Packaging a generated server: the npm tarball installs offline in an empty folder and
// `npx <name>` starts the stdio server; server.json follows the MCP registry's shape; the
// MCP Bundle manifest validates with @anthropic-ai/mcpb, and the packed .mcpb runs unpacked.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { packExtension, unpackExtension, validateManifest } from '@anthropic-ai/mcpb';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStdio, killAllSpawned } from '../support/mcp.js';
import { copySpec, removeDir, repoTmpDir, runCli, tmpDir, writeConfig } from './helpers.js';

let dir: string;
let out: string;
let outside: string;

beforeAll(() => {
  dir = repoTmpDir();
  outside = tmpDir();
  out = path.join(dir, 'out', 'ledger');
  copySpec('ledger-api.yaml', dir);
  writeConfig(dir, [{ name: '@acme/ledger', spec: 'ledger-api.yaml', output: 'out/ledger', version: '2.3.4', author: 'ACME Finance' }]);
  for (const args of [['generate', '--quiet'], ['build', '--quiet']]) {
    const run = runCli(args, dir);
    if (run.status !== 0) throw new Error(`${args[0]} failed:\n${run.stderr}`);
  }
});

afterAll(async () => {
  await killAllSpawned();
  if (dir) removeDir(dir);
  if (outside) removeDir(outside);
});

const npm = (args: string[], cwd: string): string => execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });

describe('packaging', { timeout: 300_000 }, () => {
  it('npm pack → npm install --offline in an empty folder → npx starts the stdio server', async () => {
    const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', outside], out)) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]!.files.map((f) => f.path).sort();
    expect(files).toEqual(expect.arrayContaining(['dist/stdio.js', 'dist/http.js', 'data/definitions.json', 'package.json', 'README.md']));
    expect(files.filter((f) => f.startsWith('src/'))).toEqual([]);
    const app = path.join(outside, 'app');
    execFileSync('mkdir', [app]);
    writeFileSync(path.join(app, 'package.json'), '{ "name": "app", "version": "1.0.0", "private": true }\n');
    npm(['install', '--offline', '--no-audit', '--no-fund', path.join(outside, packed[0]!.filename)], app);
    const transport = new StdioClientTransport({ command: 'npx', args: ['--offline', '--no-install', 'ledger'], cwd: app, env: getDefaultEnvironment(), stderr: 'pipe' });
    const client = new Client({ name: 'package-test', version: '0.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(12);
      expect(client.getServerVersion()).toMatchObject({ name: '@acme/ledger', version: '2.3.4' });
    } finally {
      await client.close();
    }
  });

  it('server.json names the npm package, its version, stdio and every environment variable', () => {
    const server = JSON.parse(readFileSync(path.join(out, 'server.json'), 'utf8'));
    const pkg = JSON.parse(readFileSync(path.join(out, 'package.json'), 'utf8'));
    expect(server).toMatchObject({
      $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
      name: 'io.github.acme/ledger',
      version: '2.3.4',
      packages: [{ registryType: 'npm', identifier: '@acme/ledger', version: '2.3.4', transport: { type: 'stdio' } }],
    });
    // The registry checks ownership of an npm package through package.json's mcpName.
    expect(pkg.mcpName).toBe(server.name);
    expect(server.description.length).toBeLessThanOrEqual(100);
    const variables = server.packages[0].environmentVariables as { name: string; isSecret: boolean; default?: string }[];
    // Names as the generated README lists them (the prefix comes from the package name).
    const readme = readFileSync(path.join(out, 'README.md'), 'utf8');
    expect(variables[0]).toMatchObject({ isSecret: false, default: 'https://ledger.example.com/v1' });
    expect(variables[0]!.name).toMatch(/_BASE_URL$/);
    expect(variables.length).toBe(7);
    for (const v of variables) expect(readme).toContain(`| \`${v.name}\` |`);
    expect(variables.slice(1).every((v) => v.isSecret)).toBe(true);
  });

  it('manifest.json validates with @anthropic-ai/mcpb; the packed .mcpb holds the bundle and data, and runs unpacked', async () => {
    expect(validateManifest(path.join(out, 'manifest.json'))).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'ledger', version: '2.3.4', author: { name: 'ACME Finance' }, server: { type: 'node', entry_point: 'dist/stdio.js' } });
    const apiKey = Object.keys(manifest.server.mcp_config.env).find((name) => name.endsWith('_API_KEY'))!;
    expect(manifest.server.mcp_config.env[apiKey]).toBe(`\${user_config.${apiKey.toLowerCase()}}`);
    expect(manifest.user_config[apiKey.toLowerCase()]).toMatchObject({ title: apiKey, sensitive: true, required: false });
    const bundle = path.join(outside, 'ledger.mcpb');
    expect(await packExtension({ extensionPath: out, outputPath: bundle, silent: true })).toBe(true);
    const unpacked = path.join(outside, 'unpacked');
    expect(await unpackExtension({ mcpbPath: bundle, outputDir: unpacked, silent: true })).toBe(true);
    expect(readdirSync(unpacked).sort()).toEqual(expect.arrayContaining(['data', 'dist', 'manifest.json']));
    expect(existsSync(path.join(unpacked, 'src'))).toBe(false);
    expect(existsSync(path.join(unpacked, 'node_modules'))).toBe(false);
    // The bundle runs without node_modules, as Claude Desktop starts it.
    const conn = await connectStdio(unpacked, {}, 'modern');
    try {
      expect((await conn.client.listTools()).tools).toHaveLength(12);
    } finally {
      await conn.close();
    }
  });
});
