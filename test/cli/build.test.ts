// `mcpgen build`: bundles a generated server's entry points into dist/ and prints how to run it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStdio, killAllSpawned } from '../support/mcp.js';
import { copySpec, removeDir, repoTmpDir, runCli, tmpDir, writeConfig } from './helpers.js';

let dir: string;
let out: string;
let build: ReturnType<typeof runCli>;

beforeAll(() => {
  dir = repoTmpDir();
  out = path.join(dir, 'out', 'ledger');
  copySpec('ledger-api.yaml', dir);
  writeConfig(dir, [{ name: 'ledger', spec: 'ledger-api.yaml', output: 'out/ledger' }]);
  const gen = runCli(['generate', '--quiet'], dir);
  if (gen.status !== 0) throw new Error(`generate failed:\n${gen.stderr}`);
  build = runCli(['build', '--config', path.join(dir, 'mcpgen.config.json')], dir);
});

afterAll(async () => {
  await killAllSpawned();
  if (dir) removeDir(dir);
});

describe('mcpgen build', { timeout: 300_000 }, () => {
  it('exits 0 and writes one bundled file per entry point, without installing anything', () => {
    expect(build.stderr).not.toMatch(/internal error/);
    expect(build.status, build.stderr).toBe(0);
    expect(readdirSync(path.join(out, 'dist')).sort()).toEqual(['http.js', 'stdio.js']);
    // The SDK is inside the bundle: no import of a package is left.
    expect(readFileSync(path.join(out, 'dist', 'stdio.js'), 'utf8')).not.toMatch(/from ['"]@modelcontextprotocol\//);
    // Under the repository the SDK resolves from the repo's node_modules: no install.
    expect(existsSync(path.join(out, 'node_modules'))).toBe(false);
  });

  it('prints a summary with the server name, tool count and run commands', () => {
    const text = build.stdout;
    expect(text).toMatch(/Built 1 MCP server\b/);
    expect(text).toMatch(/^\s+ledger\s+12 tools\s+out\/ledger$/m);
    expect(text).toContain('node out/ledger/dist/stdio.js');
    expect(text).toMatch(/PORT=\d+ node out\/ledger\/dist\/http\.js/);
  });

  it('the built server starts and lists the 12 tools', async () => {
    const conn = await connectStdio(out, {}, 'legacy');
    try {
      const { tools } = await conn.client.listTools();
      expect(tools).toHaveLength(12);
    } finally {
      await conn.close();
    }
  });

  it('--no-bundle --typecheck compiles with the full type-checker to the same JavaScript as --no-bundle', () => {
    const read = (file: string) => readFileSync(path.join(out, 'dist', file), 'utf8');
    const unbundled = runCli(['build', '--no-bundle', '--quiet'], dir);
    expect(unbundled.status, unbundled.stderr).toBe(0);
    const transpiled = ['stdio.js', 'server.js', 'runtime/upstream/request.js'].map(read);
    const run = runCli(['build', '--no-bundle', '--typecheck', '--quiet', '--config', path.join(dir, 'mcpgen.config.json')], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(path.join(out, 'dist', 'server.d.ts'))).toBe(true);
    // Both paths emit ES2022 modules; tsc only adds declaration files beside them.
    expect(['stdio.js', 'server.js', 'runtime/upstream/request.js'].map(read)).toEqual(transpiled);
  });

  it('--typecheck with bundling checks, then bundles (no per-file output)', () => {
    const run = runCli(['build', '--typecheck', '--quiet'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(path.join(out, 'dist')).sort()).toEqual(['http.js', 'stdio.js']);
  });

  it('building does not make check report dist/ as extra', () => {
    const run = runCli(['check'], dir);
    expect(run.status, run.stderr).toBe(0);
  });

  it('--quiet --json prints a JSON report', () => {
    const run = runCli(['build', '--json'], dir);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { ok: boolean; servers: Array<{ name: string; installed: boolean }> };
    expect(report.ok).toBe(true);
    expect(report.servers).toEqual([expect.objectContaining({ name: 'ledger', installed: false })]);
  });

  it('fails with exit 1 when nothing was generated', () => {
    const empty = tmpDir();
    try {
      copySpec('ledger-api.yaml', empty);
      writeConfig(empty, [{ name: 'ledger', spec: 'ledger-api.yaml', output: 'out/ledger' }]);
      const run = runCli(['build'], empty);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('MCPGEN_BUILD_FAILED');
      expect(run.stderr).toMatch(/generate/);
      expect(readdirSync(empty).sort()).toEqual(['ledger-api.yaml', 'mcpgen.config.json']);
    } finally {
      removeDir(empty);
    }
  });
});
