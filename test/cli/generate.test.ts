// `mcpgen generate`: writes a server, is idempotent, --dry-run writes nothing, --json is machine-readable.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contents, copySpec, editFile, removeDir, replaceOnce, runCli, snapshot, tmpDir, writeConfig } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d);
});

function ledgerProject(): { dir: string; out: string; spec: string } {
  const dir = tmpDir();
  dirs.push(dir);
  const spec = copySpec('ledger-api.yaml', dir);
  writeConfig(dir, [{ name: 'ledger', spec: 'ledger-api.yaml', output: 'out/ledger' }]);
  return { dir, out: path.join(dir, 'out', 'ledger'), spec };
}

const LEDGER_TOOLS = [
  'create_account',
  'delete_account',
  'export_transactions',
  'get_account',
  'get_balance_chart',
  'get_health',
  'list_accounts',
  'list_transaction_links',
  'list_transactions',
  'post_journal_entry',
  'replace_account',
  'update_account',
];

describe('mcpgen generate', { timeout: 300_000 }, () => {
  it('writes a complete server folder with a manifest that lists exactly the files written', () => {
    const { dir, out } = ledgerProject();
    const run = runCli(['generate'], dir);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.status, run.stderr).toBe(0);
    const files = [...snapshot(out).keys()].sort();
    for (const f of ['package.json', 'tsconfig.json', 'README.md', '.mcpgen-manifest.json', 'src/server.ts', 'src/stdio.ts', 'src/http.ts', 'data/tools/accounts.json']) {
      expect(files).toContain(f);
    }
    const manifest = JSON.parse(readFileSync(path.join(out, '.mcpgen-manifest.json'), 'utf8')) as { generator: string; files: string[]; tools: string[] };
    expect(manifest.generator).toBe('mcpgen');
    expect([...manifest.files].sort()).toEqual(files);
    expect([...manifest.tools].sort()).toEqual(LEDGER_TOOLS);
    // Every written file is reported on stderr as new.
    for (const f of files) expect(run.stderr).toContain(`missing  out/ledger/${f}`);
    expect(run.stderr).toContain('ledger: 12 tools');
    expect(run.stderr).toContain('OpenAI strict mode: 11 of 12 tools (the others work as non-strict tools)');
    expect(run.stderr).toContain('not strict: update_account: an open map at /properties/body/properties/metadata');
    expect(run.stdout).toBe('');
  });

  it('a second generate reports no change and rewrites nothing (contents and mtimes identical)', async () => {
    const { dir, out } = ledgerProject();
    expect(runCli(['generate'], dir).status).toBe(0);
    const before = snapshot(out);
    // Make sure a rewrite would be visible in mtimes even on coarse-grained file systems.
    await new Promise((r) => setTimeout(r, 50));
    const again = runCli(['generate'], dir);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toContain('Up to date: no file changed.');
    expect(again.stderr).not.toMatch(/^\s+(missing|stale|extra)\s/m);
    const after = snapshot(out);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [file, state] of before) {
      expect(after.get(file)?.content, file).toBe(state.content);
      expect(after.get(file)?.mtimeMs, `${file} must not be rewritten`).toBe(state.mtimeMs);
    }
  });

  it('after a spec change, rewrites only the files whose content changed', async () => {
    const { dir, out, spec } = ledgerProject();
    expect(runCli(['generate'], dir).status).toBe(0);
    const before = snapshot(out);
    await new Promise((r) => setTimeout(r, 50));
    editFile(spec, (t) => replaceOnce(t, 'summary: Service health', 'summary: Service health probe'));
    const run = runCli(['generate'], dir);
    expect(run.status, run.stderr).toBe(0);
    const after = snapshot(out);
    const changed = [...after.keys()].filter((f) => after.get(f)!.content !== before.get(f)?.content).sort();
    expect(changed).toContain('data/tools/system.json');
    expect(changed).not.toContain('data/tools/accounts.json');
    for (const f of changed) expect(run.stderr).toContain(`stale    out/ledger/${f}`);
    for (const [file, state] of after) {
      if (changed.includes(file)) expect(state.mtimeMs, file).not.toBe(before.get(file)!.mtimeMs);
      else expect(state.mtimeMs, `${file} is unchanged and must not be rewritten`).toBe(before.get(file)!.mtimeMs);
    }
    expect(Buffer.from(after.get('data/tools/system.json')!.content, 'base64').toString()).toContain('Service health probe');
  });

  it('--dry-run on a fresh project writes nothing and lists every file it would write', () => {
    const { dir, out } = ledgerProject();
    const dry = runCli(['generate', '--dry-run'], dir);
    expect(dry.status, dry.stderr).toBe(0);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
    expect(dry.stderr).toMatch(/files would change/);
    const listed = [...dry.stderr.matchAll(/^\s+missing\s+out\/ledger\/(\S+)$/gm)].map((m) => m[1]!).sort();
    // The real run writes exactly the listed files.
    expect(runCli(['generate'], dir).status).toBe(0);
    expect(listed).toEqual([...snapshot(out).keys()].sort());
  });

  it('--dry-run on an existing project lists the stale file and leaves the folder byte-for-byte unchanged', () => {
    const { dir, out, spec } = ledgerProject();
    expect(runCli(['generate'], dir).status).toBe(0);
    const before = snapshot(out);
    editFile(spec, (t) => replaceOnce(t, 'summary: Service health', 'summary: Health of the service'));
    const dry = runCli(['generate', '--dry-run'], dir);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('stale    out/ledger/data/tools/system.json');
    const after = snapshot(out);
    expect(contents(after)).toEqual(contents(before));
    for (const [file, state] of before) expect(after.get(file)!.mtimeMs, file).toBe(state.mtimeMs);
  });

  it('--json prints one valid JSON document on stdout with ok, servers[].tools and changes', () => {
    const { dir, out } = ledgerProject();
    const run = runCli(['generate', '--json'], dir);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      servers: Array<{ name: string; tools: number; output: string; strict: { convertible: number; tools: number; refused: { tool: string; reasons: string[] }[] } }>;
      changes: Array<{ name: string; missing: string[]; stale: string[]; extra: string[] }>;
      diagnostics: Array<{ code: string; severity: string }>;
    };
    expect(report.ok).toBe(true);
    expect(report.servers).toHaveLength(1);
    expect(report.servers[0]!.name).toBe('ledger');
    expect(report.servers[0]!.tools).toBe(LEDGER_TOOLS.length);
    expect(path.resolve(report.servers[0]!.output)).toBe(out);
    // Which tools OpenAI strict mode cannot take, and why (src/plan/strict.ts).
    expect(report.servers[0]!.strict).toEqual({
      convertible: LEDGER_TOOLS.length - 1,
      tools: LEDGER_TOOLS.length,
      refused: [{ tool: 'update_account', reasons: ['an open map at /properties/body/properties/metadata'] }],
    });
    expect(report.changes).toHaveLength(1);
    expect([...report.changes[0]!.missing].sort()).toEqual([...snapshot(out).keys()].sort());
    expect(report.changes[0]!.stale).toEqual([]);
    expect(Array.isArray(report.diagnostics)).toBe(true);
    // Nothing human-readable is mixed into stderr when --json is given, apart from nothing at all.
    expect(run.stderr).toBe('');

    const again = JSON.parse(runCli(['generate', '--json'], dir).stdout) as typeof report;
    expect(again.ok).toBe(true);
    expect(again.changes[0]).toMatchObject({ missing: [], stale: [], extra: [] });
  });

  it('--json on a failed run still prints valid JSON with ok: false and the error diagnostic, and exits 1', () => {
    const { dir, out, spec } = ledgerProject();
    editFile(spec, (t) => t.replace("$ref: '#/components/schemas/Health'", "$ref: '#/components/schemas/Nope'"));
    const run = runCli(['generate', '--json'], dir);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { ok: boolean; diagnostics: Array<{ code: string; severity: string; line?: number }> };
    expect(report.ok).toBe(false);
    expect(report.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['MCPGEN_REF_NOT_FOUND']);
    expect(existsSync(out)).toBe(false);
  });

  it('--quiet prints nothing on success', () => {
    const { dir } = ledgerProject();
    const run = runCli(['generate', '--quiet'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('');
  });

  it('reports how a regeneration changes the MCP surface: renames, removals, breaking input changes', () => {
    const { dir, spec } = ledgerProject();
    expect(runCli(['generate', '--quiet'], dir).status).toBe(0);
    editFile(spec, (t) => replaceOnce(replaceOnce(t, 'operationId: listTransactionLinks', 'operationId: listLinks'), 'enum: [open, frozen, closed]\n            default: open\n        - name: limit', 'enum: [open, closed]\n            default: open\n        - name: limit'));
    writeConfig(dir, [{ name: 'ledger', spec: 'ledger-api.yaml', output: 'out/ledger', exclude: ['DELETE /accounts/{accountId}'] }]);
    const check = runCli(['check'], dir);
    expect(check.status).toBe(1);
    const run = runCli(['generate'], dir);
    expect(run.status, run.stderr).toBe(0);
    const expected = [
      'ledger: MCP surface changed (3 changes, 3 breaking existing callers):',
      '  removed  delete_account',
      '  renamed  list_transaction_links → list_links',
      '  breaking list_accounts: argument "status" no longer accepts "frozen"',
    ];
    for (const stderr of [check.stderr, run.stderr]) expect(stderr.split('\n').filter((l) => expected.includes(l))).toEqual(expected);
    // The report names what changed since the output on disk: a second run has nothing to say.
    expect(runCli(['generate'], dir).stderr).not.toContain('MCP surface changed');
    const json = JSON.parse(runCli(['check', '--json'], dir).stdout) as { changes: { surface: unknown[] }[] };
    expect(json.changes[0]!.surface).toEqual([]);
  });
});
