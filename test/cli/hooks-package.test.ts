// A generated package with a hooks module builds and runs on its own: its `npm run build`
// bundles the hooks module (which lies outside src/, where tsc cannot emit it) into dist/,
// and `node dist/stdio.js` serves the extra tool. Its Dockerfile ships that bundle, since the
// hooks module is outside the Docker build context; a server without hooks keeps the tsc build.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStdio, killAllSpawned } from '../support/mcp.js';
import { copySpec, removeDir, repoTmpDir, REPO_ROOT, runCli, writeConfig } from './helpers.js';

let dir: string;
let withHooks: string;
let plain: string;

beforeAll(() => {
  dir = repoTmpDir();
  copySpec('ledger-api.yaml', dir);
  mkdirSync(path.join(dir, 'hooks'));
  copyFileSync(path.join(REPO_ROOT, 'examples', 'hooks', 'hooks', 'ledger-api.ts'), path.join(dir, 'hooks', 'ledger-api.ts'));
  writeConfig(dir, [
    { name: 'ledger-api', spec: 'ledger-api.yaml', output: 'generated/ledger-api', hooks: 'hooks/ledger-api.ts' },
    { name: 'plain', spec: 'ledger-api.yaml', output: 'generated/plain' },
  ]);
  const run = runCli(['generate', '--quiet'], dir);
  if (run.status !== 0) throw new Error(`generate failed:\n${run.stderr}`);
  withHooks = path.join(dir, 'generated', 'ledger-api');
  plain = path.join(dir, 'generated', 'plain');
}, 300_000);

afterAll(async () => {
  await killAllSpawned();
  if (dir) removeDir(dir);
});

const packageJson = (out: string) => JSON.parse(readFileSync(path.join(out, 'package.json'), 'utf8')) as { scripts: Record<string, string>; devDependencies: Record<string, string> };

describe('a package with a hooks module', { timeout: 300_000 }, () => {
  it('npm run build bundles the hooks module, and node dist/stdio.js serves its extra tool', async () => {
    rmSync(path.join(withHooks, 'dist'), { recursive: true, force: true });
    const build = spawnSync('npm', ['run', 'build'], { cwd: withHooks, encoding: 'utf8', timeout: 240_000 });
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
    expect(existsSync(path.join(withHooks, 'dist', 'stdio.js'))).toBe(true);
    const connection = await connectStdio(withHooks, { LEDGER_API_BASE_URL: 'http://127.0.0.1:9', LEDGER_API_QUERY_KEY: 'k' }, 'modern');
    try {
      const result = await connection.client.callTool({ name: 'format_amount', arguments: { amount: 1234, currency: 'EUR' } });
      expect(result.content).toEqual([{ type: 'text', text: '12.34 EUR' }]);
    } finally {
      await connection.close();
    }
  });

  it('its Dockerfile ships the prebuilt bundle instead of building without the hooks module', () => {
    const dockerfile = readFileSync(path.join(withHooks, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('COPY dist ./dist');
    expect(dockerfile).not.toContain('RUN npm');
    expect(readFileSync(path.join(withHooks, '.dockerignore'), 'utf8')).not.toContain('dist/');
    expect(packageJson(withHooks).scripts['build']).toBe('node build.mjs');
    expect(packageJson(withHooks).devDependencies).toHaveProperty('esbuild');
  });

  it('a package without hooks keeps the tsc build and the two-stage Dockerfile', () => {
    expect(packageJson(plain).scripts['build']).toBe('tsc -p tsconfig.json');
    expect(packageJson(plain).devDependencies).not.toHaveProperty('esbuild');
    expect(existsSync(path.join(plain, 'build.mjs'))).toBe(false);
    expect(readFileSync(path.join(plain, 'Dockerfile'), 'utf8')).toContain('RUN npm run build');
  });
});
