// `mcpgen check`: exit 0 when the output is fresh; exit 1 listing stale, missing and extra files.
// `generate` removes files the old manifest owned and keeps the user's own files.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySpec, editFile, removeDir, replaceOnce, runCli, tmpDir, writeConfig } from './helpers.js';

const dirs: string[] = [];
let baseline: string;

/** A generated ledger project, copied from one generated in beforeAll. */
function project(): { dir: string; out: string; spec: string } {
  const dir = tmpDir();
  dirs.push(dir);
  cpSync(baseline, dir, { recursive: true });
  return { dir, out: path.join(dir, 'out', 'ledger'), spec: path.join(dir, 'ledger-api.yaml') };
}

beforeAll(() => {
  baseline = tmpDir();
  copySpec('ledger-api.yaml', baseline);
  writeConfig(baseline, [{ name: 'ledger', spec: 'ledger-api.yaml', output: 'out/ledger' }]);
  const run = runCli(['generate', '--quiet'], baseline);
  if (run.status !== 0) throw new Error(`baseline generate failed:\n${run.stderr}`);
});

afterAll(() => {
  for (const d of dirs.splice(0)) removeDir(d);
  removeDir(baseline);
});

describe('mcpgen check', { timeout: 300_000 }, () => {
  it('exits 0 right after generate', () => {
    const { dir } = project();
    const run = runCli(['check'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('up to date');
    expect(run.stderr).not.toContain('MCPGEN_OUTPUT_STALE');
  });

  it('exits 1 listing the stale tool file after a summary changes in the spec, and writes nothing', () => {
    const { dir, out, spec } = project();
    const before = readFileSync(path.join(out, 'data/tools/accounts.json'), 'utf8');
    editFile(spec, (t) => replaceOnce(t, 'summary: List accounts', 'summary: List every account'));
    const run = runCli(['check'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('MCPGEN_OUTPUT_STALE');
    expect(run.stderr).toMatch(/^\s+stale\s+out\/ledger\/data\/tools\/accounts\.json$/m);
    // Only files that really change are listed: other tag groups are untouched by this summary.
    expect(run.stderr).not.toMatch(/stale\s+out\/ledger\/data\/tools\/(system|journal|transactions)\.json/);
    expect(readFileSync(path.join(out, 'data/tools/accounts.json'), 'utf8')).toBe(before);
    // generate fixes it, and check agrees.
    expect(runCli(['generate', '--quiet'], dir).status).toBe(0);
    expect(runCli(['check'], dir).status).toBe(0);
  });

  it('reports a deleted generated file as missing', () => {
    const { dir, out } = project();
    rmSync(path.join(out, 'data/tools/system.json'));
    const run = runCli(['check'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('MCPGEN_OUTPUT_STALE');
    expect(run.stderr).toMatch(/^\s+missing\s+out\/ledger\/data\/tools\/system\.json$/m);
    expect(existsSync(path.join(out, 'data/tools/system.json'))).toBe(false);
  });

  it('reports a hand-edited generated file as stale', () => {
    const { dir, out } = project();
    writeFileSync(path.join(out, 'src/server.ts'), readFileSync(path.join(out, 'src/server.ts'), 'utf8') + '\n// edited by hand\n');
    const run = runCli(['check'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^\s+stale\s+out\/ledger\/src\/server\.ts$/m);
  });

  it('reports a file added under the output src/ as extra, and generate keeps it', () => {
    const { dir, out } = project();
    const mine = path.join(out, 'src', 'my-helper.ts');
    writeFileSync(mine, 'export const mine = 1;\n');
    const run = runCli(['check'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^\s+extra\s+out\/ledger\/src\/my-helper\.ts$/m);
    expect(runCli(['generate', '--quiet'], dir).status).toBe(0);
    expect(readFileSync(mine, 'utf8')).toBe('export const mine = 1;\n');
  });

  it('ignores dist/ and node_modules/ of the output folder', () => {
    const { dir, out } = project();
    cpSync(path.join(out, 'src'), path.join(out, 'dist'), { recursive: true });
    cpSync(path.join(out, 'package.json'), path.join(out, 'node_modules', 'x', 'package.json'));
    const run = runCli(['check'], dir);
    expect(run.status, run.stderr).toBe(0);
  });

  it('generate removes a file the old manifest owned that is no longer generated, but keeps the user\'s own file', () => {
    const { dir, out } = project();
    const userFile = path.join(out, 'data', 'tools', 'custom.json');
    writeFileSync(userFile, '// mine\n');
    const journal = path.join(out, 'data', 'tools', 'journal.json');
    expect(existsSync(journal)).toBe(true);
    writeConfig(dir, [{ name: 'ledger', spec: 'ledger-api.yaml', output: 'out/ledger', exclude: ['tag:journal'] }]);
    // check first: the owned file is reported as extra before generate removes it.
    const stale = runCli(['check'], dir);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toMatch(/^\s+extra\s+out\/ledger\/data\/tools\/journal\.json$/m);
    const run = runCli(['generate'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(existsSync(journal)).toBe(false);
    expect(readFileSync(userFile, 'utf8')).toBe('// mine\n');
    const manifest = JSON.parse(readFileSync(path.join(out, '.mcpgen-manifest.json'), 'utf8')) as { files: string[]; tools: string[] };
    expect(manifest.files).not.toContain('data/tools/journal.json');
    expect(manifest.files).not.toContain('data/tools/custom.json');
    expect(manifest.tools).not.toContain('post_journal_entry');
    expect(readFileSync(path.join(out, 'src/data.ts'), 'utf8')).not.toContain('journal');
    // The only thing check still reports is the user's own file.
    const after = runCli(['check'], dir);
    expect(after.status).toBe(1);
    expect(after.stderr.split('\n').filter((l) => /^\s+(missing|stale|extra)\s/.test(l)).map((l) => l.trim().replace(/\s+/g, ' '))).toEqual([
      'extra out/ledger/data/tools/custom.json',
    ]);
  });

  it('--json reports the changes in machine-readable form', () => {
    const { dir, out } = project();
    rmSync(path.join(out, 'README.md'));
    const run = runCli(['check', '--json'], dir);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { ok: boolean; changes: Array<{ missing: string[]; stale: string[]; extra: string[] }> };
    expect(report.ok).toBe(false);
    expect(report.changes[0]).toMatchObject({ missing: ['README.md'], stale: [], extra: [] });
  });
});
