// `mcpgen init [SPEC]`: writes a starter config that generates, shows what the server offers,
// never overwrites a config, and writes nothing for a missing or broken spec.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copySpec, errorLines, lineOf, removeDir, runCli, tmpDir } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d);
});

function project(): string {
  const dir = tmpDir();
  dirs.push(dir);
  return dir;
}

describe('mcpgen init', { timeout: 300_000 }, () => {
  it('writes a config with $schema for the spec, prints what the server offers, and that config generates', () => {
    const dir = project();
    copySpec('ledger-api.yaml', dir);
    const run = runCli(['init', 'ledger-api.yaml'], dir);
    expect(run.status, run.stderr).toBe(0);
    const config = JSON.parse(readFileSync(path.join(dir, 'mcpgen.config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toEqual({ $schema: './node_modules/mcpgen/mcpgen.schema.json', servers: [{ name: 'ledger-api', spec: 'ledger-api.yaml', output: 'generated/ledger-api' }] });
    expect(run.stdout).toContain('Wrote mcpgen.config.json: server "ledger-api" from ledger-api.yaml');
    expect(run.stdout).toContain('The server would offer 12 tools, 1 resource, 4 resource templates, 0 prompts.');
    expect(run.stdout).toMatch(/tools\/list: [\d,]+ tokens \(o200k_base\); discovery off/);
    expect(run.stdout).not.toContain('Large API');
    expect(readdirSync(dir).sort()).toEqual(['ledger-api.yaml', 'mcpgen.config.json']);
    const generate = runCli(['generate', '--quiet'], dir);
    expect(generate.status, generate.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'generated', 'ledger-api', 'data', 'tools', 'accounts.json'))).toBe(true);
  });

  it('finds openapi.yaml when no spec is named, and --json describes the server', () => {
    const dir = project();
    copySpec('ledger-api.yaml', dir, 'openapi.yaml');
    const run = runCli(['init', '--json'], dir);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { ok: boolean; config: string; server: { name: string; tools: number; resourceTemplates: number; budget: { tools: number } } };
    expect(report.ok).toBe(true);
    expect(report.config).toBe(path.join(dir, 'mcpgen.config.json'));
    // openapi.yaml names nothing: the folder names the server.
    expect(report.server.name).toBe(path.basename(dir).toLowerCase());
    expect(report.server.tools).toBe(12);
    expect(report.server.budget.tools).toBe(12);
  });

  it('refuses to overwrite an existing config: exit 1, the file unchanged', () => {
    const dir = project();
    copySpec('ledger-api.yaml', dir);
    writeFileSync(path.join(dir, 'mcpgen.config.json'), '{ "mine": true }\n');
    const run = runCli(['init', 'ledger-api.yaml'], dir);
    expect(run.status).toBe(1);
    expect(errorLines(run.stderr)).toEqual(['error: mcpgen.config.json MCPGEN_CONFIG_EXISTS mcpgen.config.json already exists; mcpgen init never overwrites a config.']);
    expect(run.stderr).toContain('mcpgen init: nothing was written.');
    expect(readFileSync(path.join(dir, 'mcpgen.config.json'), 'utf8')).toBe('{ "mine": true }\n');
  });

  it('a missing spec: a diagnostic naming it, exit 1, nothing written', () => {
    const dir = project();
    const run = runCli(['init', 'specs/nope.yaml'], dir);
    expect(run.status).toBe(1);
    expect(errorLines(run.stderr)).toEqual([`error: specs/nope.yaml MCPGEN_SPEC_NOT_FOUND Spec file not found: ${path.join(dir, 'specs', 'nope.yaml')}`]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('no spec named and none found: says how to name one, exit 1', () => {
    const dir = project();
    const run = runCli(['init'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('MCPGEN_SPEC_NOT_FOUND No spec named and none of openapi.yaml');
    expect(run.stderr).toContain('help: Name the spec: mcpgen init path/to/openapi.yaml');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an unparsable spec: a diagnostic at its file:line, exit 1, nothing written', () => {
    const dir = project();
    const text = 'openapi: 3.0.3\ninfo:\n  title: Broken\n  version: "1"\npaths:\n  /a: [\n    get: 1\n';
    writeFileSync(path.join(dir, 'broken.yaml'), text);
    const run = runCli(['init', 'broken.yaml'], dir);
    expect(run.status).toBe(1);
    const errors = errorLines(run.stderr);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error: broken\.yaml:\d+:\d+ MCPGEN_SPEC_PARSE /);
    const line = Number(/broken\.yaml:(\d+)/.exec(errors[0]!)![1]);
    expect(line).toBeGreaterThanOrEqual(lineOf(text, '/a: ['));
    expect(readdirSync(dir)).toEqual(['broken.yaml']);
  });

  it('for a large API suggests include selectors by tag with their counts', () => {
    const dir = project();
    const paths: Record<string, unknown> = {};
    for (const [tag, count] of [['repos', 90], ['issues', 60], ['users', 10]] as const) {
      for (let i = 0; i < count; i++) paths[`/${tag}/op${i}`] = { get: { operationId: `${tag}Op${i}`, tags: [tag], summary: `Op ${i}`, responses: { '200': { description: 'OK' } } } };
    }
    writeFileSync(path.join(dir, 'big.json'), JSON.stringify({ openapi: '3.0.3', info: { title: 'Big', version: '1' }, servers: [{ url: 'https://api.example.com' }], paths }));
    const run = runCli(['init', 'big.json'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('Large API: 160 tools is more than the 128 some clients accept');
    expect(run.stdout).toContain('  tag:repos: 90 tools');
    expect(run.stdout).toContain('  tag:issues: 60 tools');
    expect(run.stdout).toContain('  tag:users: 10 tools');
    expect(run.stdout).toContain('"include": ["tag:repos","tag:users"]');
  });
});
