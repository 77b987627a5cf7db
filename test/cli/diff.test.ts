// `mcpgen diff OLD NEW`: the MCP-surface changelog of two spec versions as Markdown and JSON,
// the suggested bump, --fail-on-breaking's exit code, a config's mapping, and bad input.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copySpec, errorLines, removeDir, replaceOnce, runCli, tmpDir, writeConfig } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d);
});

/** ledger-api.yaml as old.yaml, and new.yaml made from it by `edit`. */
function versions(edit: (text: string) => string): string {
  const dir = tmpDir();
  dirs.push(dir);
  const old = copySpec('ledger-api.yaml', dir, 'old.yaml');
  writeFileSync(path.join(dir, 'new.yaml'), edit(readFileSync(old, 'utf8')));
  return dir;
}

/** getAccount renamed, an enum value dropped from listAccounts' status, the health check summary reworded. */
const breakingEdit = (text: string) =>
  replaceOnce(replaceOnce(replaceOnce(text, 'operationId: getAccount', 'operationId: fetchAccount'), 'enum: [open, frozen, closed]\n            default: open', 'enum: [open, frozen]\n            default: open'), 'summary: Service health', 'summary: Service health probe');

interface JsonReport {
  ok: boolean;
  bump: string;
  counts: { major: number; minor: number; patch: number };
  entries: { area: string; kind: string; name: string; detail?: string; level: string }[];
}

describe('mcpgen diff', { timeout: 300_000 }, () => {
  it('prints the changelog as Markdown with a major bump; exit 0 without --fail-on-breaking, 3 with it', () => {
    const dir = versions(breakingEdit);
    const run = runCli(['diff', 'old.yaml', 'new.yaml'], dir);
    expect(run.status, run.stderr).toBe(0);
    const md = run.stdout;
    expect(md).toContain('# MCP surface changes: old.yaml → new.yaml');
    expect(md).toMatch(/Suggested version bump: \*\*major\*\* \(2 breaking changes, /);
    expect(md).toContain('## Breaking changes\n');
    expect(md).toContain('- tool `get_account` renamed to `fetch_account`');
    expect(md).toContain('- tool `list_accounts`: argument "status" no longer accepts "closed"');
    expect(md).toContain('## Other changes\n');
    expect(md).toContain('- tool `get_health`: title changed');
    const strict = runCli(['diff', 'old.yaml', 'new.yaml', '--fail-on-breaking'], dir);
    expect(strict.status).toBe(3);
    expect(strict.stdout).toBe(md);
  });

  it('--json has the bump, counts and entries; additions only are a minor bump and pass --fail-on-breaking', () => {
    const dir = versions((t) => replaceOnce(t, '  /accounts:\n', '  /ping:\n    get:\n      operationId: ping\n      responses:\n        "204":\n          description: Pong\n  /accounts:\n'));
    const run = runCli(['diff', 'old.yaml', 'new.yaml', '--json', '--fail-on-breaking'], dir);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.ok).toBe(true);
    expect(report.bump).toBe('minor');
    expect(report.counts).toEqual({ major: 0, minor: 1, patch: 0 });
    expect(report.entries).toEqual([{ area: 'tool', kind: 'added', name: 'ping', level: 'minor' }]);
  });

  it('the same spec twice: no change, no bump', () => {
    const dir = versions((t) => t);
    const run = runCli(['diff', 'old.yaml', 'new.yaml', '--fail-on-breaking'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('No change to the MCP surface: no version bump needed.');
  });

  it("--config applies a server's mapping: an excluded operation's changes do not count", () => {
    const dir = versions(breakingEdit);
    writeConfig(dir, [{ name: 'ledger', spec: 'new.yaml', output: 'out', exclude: ['GET /accounts/{accountId}', 'GET /accounts'] }]);
    const run = runCli(['diff', 'old.yaml', 'new.yaml', '--config', 'mcpgen.config.json', '--json', '--fail-on-breaking'], dir);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.bump).toBe('patch');
    expect(report.entries.map((e) => `${e.name}: ${e.detail}`)).toEqual(['get_health: title changed', 'get_health: description changed']);
  });

  it('a missing spec: a diagnostic naming it, exit 1, no changelog', () => {
    const dir = versions((t) => t);
    const run = runCli(['diff', 'old.yaml', 'gone.yaml', '--fail-on-breaking'], dir);
    expect(run.status).toBe(1);
    expect(errorLines(run.stderr)).toEqual([`error: gone.yaml MCPGEN_SPEC_NOT_FOUND Spec file not found: ${path.join(dir, 'gone.yaml')}`]);
    expect(run.stdout).toBe('');
  });

  it('an unparsable spec: a diagnostic at its file:line, exit 1', () => {
    const dir = versions((t) => replaceOnce(t, '  /accounts:\n', '  /accounts: [\n'));
    const run = runCli(['diff', 'old.yaml', 'new.yaml'], dir);
    expect(run.status).toBe(1);
    const errors = errorLines(run.stderr);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error: new\.yaml:\d+:\d+ MCPGEN_SPEC_PARSE /);
    expect(run.stdout).toBe('');
  });

  it('needs two files, and --server only with --config', () => {
    const dir = versions((t) => t);
    const run = runCli(['diff', 'old.yaml'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('mcpgen: diff needs two spec files: mcpgen diff OLD NEW.');
    const server = runCli(['diff', 'old.yaml', 'new.yaml', '--server', 'ledger'], dir);
    expect(server.status).toBe(1);
    expect(server.stderr).toContain('mcpgen: diff --server needs --config: it names a server of that config.');
    expect(server.stdout).toBe('');
  });
});
