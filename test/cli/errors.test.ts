// Broken inputs: each prints `error: file:line:col pointer CODE message` + help, exits 1,
// and leaves a previously generated output folder byte-for-byte unchanged.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contents, copySpec, editFile, errorLines, lineOf, removeDir, replaceOnce, runCli, snapshot, tmpDir, writeConfig, type CliRun } from './helpers.js';

const dirs: string[] = [];
let baseline: string;

interface Project {
  dir: string;
  out: string;
  spec: string;
  config: string;
}

function project(): Project {
  const dir = tmpDir();
  dirs.push(dir);
  cpSync(baseline, dir, { recursive: true });
  return { dir, out: path.join(dir, 'out', 'ledger'), spec: path.join(dir, 'ledger-api.yaml'), config: path.join(dir, 'mcpgen.config.json') };
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

interface Parsed {
  file: string;
  line?: number;
  column?: number;
  pointer?: string;
  code: string;
  message: string;
  help?: string;
}

/** Parses every `error: file[:line[:col]] [pointer] CODE message` line and its `  help:` line. */
function parseErrors(stderr: string): Parsed[] {
  const lines = stderr.split('\n');
  const out: Parsed[] = [];
  lines.forEach((line, i) => {
    const m = /^error: (\S+?)(?::(\d+))?(?::(\d+))? (?:(#\S*) )?(MCPGEN_[A-Z_]+) (.*)$/.exec(line);
    if (!m) return;
    const help = /^ {2}help: (.*)$/.exec(lines[i + 1] ?? '')?.[1];
    out.push({
      file: m[1]!,
      line: m[2] === undefined ? undefined : Number(m[2]),
      column: m[3] === undefined ? undefined : Number(m[3]),
      pointer: m[4],
      code: m[5]!,
      message: m[6]!,
      help,
    });
  });
  return out;
}

/** Runs generate and check; both must fail with exit 1, write nothing, and report `code`. */
function expectFailure(p: Project, args: string[], code: string): Parsed {
  const before = snapshot(p.out);
  const run: CliRun = runCli(['generate', ...args], p.dir);
  expect(run.stderr).not.toMatch(/internal error/);
  expect(run.status, run.stderr).toBe(1);
  const errors = parseErrors(run.stderr);
  expect(errors.map((e) => e.code), run.stderr).toContain(code);
  expect(errorLines(run.stderr).length, 'every error line has the file:line:col pointer CODE form').toBe(errors.length);
  const after = snapshot(p.out);
  expect(contents(after), 'the output folder must be byte-for-byte unchanged').toEqual(contents(before));
  for (const [file, state] of before) expect(after.get(file)!.mtimeMs, `${file} must not be touched`).toBe(state.mtimeMs);
  // check fails the same way (and never writes either).
  const check = runCli(['check', ...args], p.dir);
  expect(check.status, check.stderr).toBe(1);
  expect(parseErrors(check.stderr).map((e) => e.code)).toContain(code);
  return errors.find((e) => e.code === code)!;
}

describe('broken spec', { timeout: 300_000 }, () => {
  it('(a) $ref to a missing component → MCPGEN_REF_NOT_FOUND at the line of that $ref', () => {
    const p = project();
    editFile(p.spec, (t) => t.replace("$ref: '#/components/schemas/Health'", "$ref: '#/components/schemas/Nope'"));
    const text = readFileSync(p.spec, 'utf8');
    const e = expectFailure(p, [], 'MCPGEN_REF_NOT_FOUND');
    expect(e.file).toBe('ledger-api.yaml');
    expect(e.line).toBe(lineOf(text, "$ref: '#/components/schemas/Nope'"));
    expect(e.column).toBe(lineOf(text, '$ref') && text.split('\n')[e.line! - 1]!.indexOf('$ref') + 1);
    expect(e.pointer).toBe('#/paths/~1health/get/responses/200/content/application~1json/schema/$ref');
    expect(e.message).toContain('#/components/schemas/Nope');
    expect(e.help).toBeTruthy();
  });

  it('(a) a missing component referenced twice is reported at both places', () => {
    const p = project();
    editFile(p.spec, (t) => t.replace(/\$ref: '#\/components\/schemas\/Health'/g, "$ref: '#/components/schemas/Nope'"));
    const run = runCli(['generate'], p.dir);
    expect(run.status).toBe(1);
    const refs = parseErrors(run.stderr).filter((e) => e.code === 'MCPGEN_REF_NOT_FOUND');
    const text = readFileSync(p.spec, 'utf8');
    const expected = text.split('\n').flatMap((l, i) => (l.includes('#/components/schemas/Nope') ? [i + 1] : []));
    expect(refs.map((e) => e.line).sort((a, b) => a! - b!)).toEqual(expected);
  });

  it('(b) a response without description → MCPGEN_SPEC_INVALID with pointer and line', () => {
    const p = project();
    editFile(p.spec, (t) => replaceOnce(t, '          description: The service is up.\n', ''));
    const text = readFileSync(p.spec, 'utf8');
    const e = expectFailure(p, [], 'MCPGEN_SPEC_INVALID');
    expect(e.file).toBe('ledger-api.yaml');
    expect(e.pointer).toBe('#/paths/~1health/get/responses/200');
    expect(e.line).toBe(lineOf(text, "'200':", lineOf(text, '/health:')));
    expect(e.message).toContain('description');
  });

  it('(b) a parameter with `in: body` → MCPGEN_SPEC_INVALID pointing at parameters[0].in', () => {
    const p = project();
    editFile(p.spec, (t) => replaceOnce(t, '        - name: status\n          in: query\n          description: Only accounts', '        - name: status\n          in: body\n          description: Only accounts'));
    const text = readFileSync(p.spec, 'utf8');
    const e = expectFailure(p, [], 'MCPGEN_SPEC_INVALID');
    expect(e.pointer).toBe('#/paths/~1accounts/get/parameters/0/in');
    expect(e.line).toBe(lineOf(text, 'in: body'));
    expect(e.column).toBe(text.split('\n')[e.line! - 1]!.indexOf('in: body') + 1);
  });

  // Regression: oneOf branches each reported their own `in` values; they are now merged.
  it('(b) the message for an invalid `in` lists the values that are allowed', () => {
    const p = project();
    editFile(p.spec, (t) => replaceOnce(t, '        - name: status\n          in: query\n          description: Only accounts', '        - name: status\n          in: body\n          description: Only accounts'));
    const run = runCli(['generate'], p.dir);
    const e = parseErrors(run.stderr).find((d) => d.code === 'MCPGEN_SPEC_INVALID')!;
    expect(e.message).toMatch(/query/);
  });

  it('(d) a YAML syntax error → MCPGEN_SPEC_PARSE with the line', () => {
    const p = project();
    editFile(p.spec, (t) => replaceOnce(t, '      summary: Service health\n', '      summary: [Service health\n'));
    const text = readFileSync(p.spec, 'utf8');
    const e = expectFailure(p, [], 'MCPGEN_SPEC_PARSE');
    expect(e.file).toBe('ledger-api.yaml');
    expect(e.line).toBeGreaterThanOrEqual(lineOf(text, 'summary: [Service health'));
    expect(e.line).toBeLessThanOrEqual(lineOf(text, 'summary: [Service health') + 2);
  });

  it('(d) a JSON syntax error → MCPGEN_SPEC_PARSE with the line', () => {
    const p = project();
    copySpec('media-api.json', p.dir);
    writeConfig(p.dir, [{ name: 'ledger', spec: 'media-api.json', output: 'out/ledger' }]);
    const file = path.join(p.dir, 'media-api.json');
    const text = readFileSync(file, 'utf8').split('\n');
    const target = text.findIndex((l, i) => i > 3 && /^\s+"[^"]+": "/.test(l));
    text[target] = text[target]!.replace(/": "/, '" "');
    writeFileSync(file, text.join('\n'));
    const e = expectFailure(p, [], 'MCPGEN_SPEC_PARSE');
    expect(e.file).toBe('media-api.json');
    expect(e.line).toBe(target + 1);
  });

  it('(e) a missing spec file → MCPGEN_SPEC_NOT_FOUND', () => {
    const p = project();
    writeConfig(p.dir, [{ name: 'ledger', spec: 'no-such.yaml', output: 'out/ledger' }]);
    const e = expectFailure(p, [], 'MCPGEN_SPEC_NOT_FOUND');
    expect(e.file).toBe('no-such.yaml');
  });
});

describe('broken config', { timeout: 300_000 }, () => {
  it('(c) an unknown include selector → MCPGEN_SELECTOR_UNMATCHED in the config, with a "Did you mean" help', () => {
    const p = project();
    writeConfig(p.dir, [{ name: 'ledger', spec: 'ledger-api.yaml', output: 'out/ledger', include: ['listAcounts', 'tag:accounts'] }]);
    const text = readFileSync(p.config, 'utf8');
    const e = expectFailure(p, [], 'MCPGEN_SELECTOR_UNMATCHED');
    expect(e.file).toBe('mcpgen.config.json');
    expect(e.pointer).toBe('#/servers/0/include/0');
    expect(e.line).toBe(lineOf(text, '"listAcounts"'));
    expect(e.column).toBe(text.split('\n')[e.line! - 1]!.indexOf('"listAcounts"') + 1);
    expect(e.help).toBe('Did you mean "listAccounts"?');
  });

  it('(c) an unknown exclude tag selector suggests the closest tag', () => {
    const p = project();
    writeConfig(p.dir, [{ name: 'ledger', spec: 'ledger-api.yaml', output: 'out/ledger', exclude: ['tag:acounts'] }]);
    const e = expectFailure(p, [], 'MCPGEN_SELECTOR_UNMATCHED');
    expect(e.pointer).toBe('#/servers/0/exclude/0');
    expect(e.help).toBe('Did you mean "tag:accounts"?');
  });

  it('(e) a missing config → MCPGEN_CONFIG_NOT_FOUND', () => {
    const p = project();
    const e = expectFailure(p, ['--config', 'nope.json'], 'MCPGEN_CONFIG_NOT_FOUND');
    expect(e.file).toBe('nope.json');
  });

  it('(e) a config with an unknown key → MCPGEN_CONFIG_INVALID naming the key, with its line', () => {
    const p = project();
    writeConfig(p.dir, [{ name: 'ledger', spec: 'ledger-api.yaml', output: 'out/ledger', bogus: true }]);
    const e = expectFailure(p, [], 'MCPGEN_CONFIG_INVALID');
    expect(e.file).toBe('mcpgen.config.json');
    expect(e.message).toContain('bogus');
    expect(e.pointer).toMatch(/^#\/servers\/0/);
    expect(e.line).toBeGreaterThan(1);
  });

  it('(e) a config with a wrongly typed value → MCPGEN_CONFIG_INVALID at that value', () => {
    const p = project();
    writeConfig(p.dir, [{ name: 'ledger', spec: 'ledger-api.yaml', output: 'out/ledger', exclude: 'tag:journal' }]);
    const text = readFileSync(p.config, 'utf8');
    const e = expectFailure(p, [], 'MCPGEN_CONFIG_INVALID');
    expect(e.pointer).toBe('#/servers/0/exclude');
    expect(e.line).toBe(lineOf(text, '"exclude"'));
  });

  it('(e) a config that is not JSON → MCPGEN_CONFIG_PARSE', () => {
    const p = project();
    writeFileSync(p.config, '{\n  "servers": [\n    { "name": "ledger" "spec": "ledger-api.yaml" }\n  ]\n}\n');
    const e = expectFailure(p, [], 'MCPGEN_CONFIG_PARSE');
    expect(e.file).toBe('mcpgen.config.json');
  });

  it('(f) --server with an unknown name exits 1 for generate, check and build', () => {
    const p = project();
    const e = expectFailure(p, ['--server', 'nope'], 'MCPGEN_SERVER_UNKNOWN');
    expect(e.message).toContain('nope');
    const build = runCli(['build', '--server', 'nope'], p.dir);
    expect(build.status).toBe(1);
    expect(build.stderr).toContain('nope');
    expect(existsSync(path.join(p.out, 'dist'))).toBe(false);
  });
});

describe('usage errors', { timeout: 300_000 }, () => {
  it('(g) an unknown command exits 1 with the usage', () => {
    const p = project();
    const run = runCli(['frobnicate'], p.dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('frobnicate');
    expect(run.stderr).toContain('Usage: mcpgen <command>');
    expect(run.stdout).toBe('');
  });

  it('(g) an unknown flag exits 1 with the usage and writes nothing', () => {
    const p = project();
    const before = snapshot(p.out);
    const run = runCli(['generate', '--frobnicate'], p.dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--frobnicate');
    expect(run.stderr).toContain('Usage: mcpgen <command>');
    expect(contents(snapshot(p.out))).toEqual(contents(before));
  });

  it('(g) a stray positional argument exits 1 with the usage', () => {
    const p = project();
    const run = runCli(['generate', 'extra'], p.dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Usage: mcpgen <command>');
  });
});

describe('all or nothing across servers', { timeout: 300_000 }, () => {
  function twoServers(): Project & { otherOut: string; otherSpec: string } {
    const p = project();
    copySpec('media-api.json', p.dir);
    const otherSpec = path.join(p.dir, 'broken.yaml');
    cpSync(p.spec, otherSpec);
    editFile(otherSpec, (t) => t.replace("$ref: '#/components/schemas/Health'", "$ref: '#/components/schemas/Nope'"));
    writeConfig(p.dir, [
      { name: 'media', spec: 'media-api.json', output: 'out/media' },
      { name: 'ledger', spec: 'broken.yaml', output: 'out/ledger' },
    ]);
    return { ...p, otherOut: path.join(p.dir, 'out', 'media'), otherSpec };
  }

  it('when the second server is broken, the first server\'s output folder is not written either', () => {
    const p = twoServers();
    const e = expectFailure(p, [], 'MCPGEN_REF_NOT_FOUND');
    expect(e.file).toBe('broken.yaml');
    expect(existsSync(p.otherOut)).toBe(false);
  });

  it('when the second server is broken, the first server\'s existing output keeps its old content', () => {
    const p = twoServers();
    // Generate media alone first, then change its spec so a full run would rewrite it.
    expect(runCli(['generate', '--quiet', '--server', 'media'], p.dir).status).toBe(0);
    const mediaBefore = snapshot(p.otherOut);
    expect(mediaBefore.size).toBeGreaterThan(0);
    const mediaSpec = path.join(p.dir, 'media-api.json');
    const doc = JSON.parse(readFileSync(mediaSpec, 'utf8')) as { info: { description?: string; title: string } };
    doc.info.title = `${doc.info.title} (changed)`;
    writeFileSync(mediaSpec, JSON.stringify(doc, null, 2));
    expectFailure(p, [], 'MCPGEN_REF_NOT_FOUND');
    expect(contents(snapshot(p.otherOut))).toEqual(contents(mediaBefore));
    // …and --server selects only the healthy one, which then succeeds.
    const only = runCli(['generate', '--quiet', '--server', 'media'], p.dir);
    expect(only.status, only.stderr).toBe(0);
    expect(contents(snapshot(p.otherOut))).not.toEqual(contents(mediaBefore));
  });

  it('collects diagnostics from every broken server, not only the first', () => {
    const p = twoServers();
    editFile(path.join(p.dir, 'media-api.json'), (t) => t.replace(/"openapi": "3\.[0-9.]+"/, '"openapi": "3.1.0",\n  "x-broken": ['));
    const run = runCli(['generate'], p.dir);
    expect(run.status).toBe(1);
    const codes = parseErrors(run.stderr).map((e) => `${e.file} ${e.code}`);
    expect(codes).toContain('media-api.json MCPGEN_SPEC_PARSE');
    expect(codes).toContain('broken.yaml MCPGEN_REF_NOT_FOUND');
    rmSync(path.join(p.dir, 'media-api.json'));
  });
});

describe('known defects', { timeout: 300_000 }, () => {
  // Fixed in bc246ba (was: pointer of the enclosing object, `#/servers/0`).
  it('an unknown config key is reported at the key itself', () => {
    const p = project();
    writeConfig(p.dir, [{ name: 'ledger', spec: 'ledger-api.yaml', output: 'out/ledger', bogus: true }]);
    const text = readFileSync(p.config, 'utf8');
    const run = runCli(['generate'], p.dir);
    const e = parseErrors(run.stderr).find((d) => d.code === 'MCPGEN_CONFIG_INVALID')!;
    expect(e.pointer).toBe('#/servers/0/bogus');
    expect(e.line).toBe(lineOf(text, '"bogus"'));
  });

  // Regression: build printed a bare message instead of a diagnostic.
  it('build --server nope reports MCPGEN_SERVER_UNKNOWN in the diagnostic format', () => {
    const p = project();
    const run = runCli(['build', '--server', 'nope'], p.dir);
    expect(run.status).toBe(1);
    expect(parseErrors(run.stderr).map((e) => e.code)).toEqual(['MCPGEN_SERVER_UNKNOWN']);
  });

  // Regression: folders were written one after another; staging now makes a write failure change nothing.
  it('a write failure in one output folder leaves every output folder as it was', () => {
    const p = project();
    copySpec('media-api.json', p.dir);
    writeConfig(p.dir, [
      { name: 'media', spec: 'media-api.json', output: 'out/media' },
      { name: 'ledger2', spec: 'ledger-api.yaml', output: 'out/ledger2' },
    ]);
    const blocked = path.join(p.dir, 'out', 'ledger2', 'README.md');
    cpSync(p.out, path.join(p.dir, 'out', 'ledger2'), { recursive: true });
    rmSync(blocked);
    writeFileSync(path.join(p.dir, 'out', 'ledger2', '.gitignore'), 'old\n');
    // A directory where a generated file must go: the write of that file fails.
    cpSync(path.join(p.out, 'data', 'tools'), blocked, { recursive: true });
    const before = snapshot(path.join(p.dir, 'out'));
    const run = runCli(['generate'], p.dir);
    expect(run.status).toBe(1);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(contents(snapshot(path.join(p.dir, 'out')))).toEqual(contents(before));
  });

  // Regression: two servers could share (and clobber) one output folder.
  it('two servers with the same output folder are rejected', () => {
    const p = project();
    copySpec('media-api.json', p.dir);
    writeConfig(p.dir, [
      { name: 'media', spec: 'media-api.json', output: 'out/shared' },
      { name: 'ledger', spec: 'ledger-api.yaml', output: 'out/shared' },
    ]);
    const text = readFileSync(p.config, 'utf8');
    const run = runCli(['generate'], p.dir);
    expect(run.status).toBe(1);
    const e = parseErrors(run.stderr).find((d) => d.code === 'MCPGEN_CONFIG_INVALID')!;
    expect(e.pointer).toBe('#/servers/1/output');
    expect(e.line).toBe(lineOf(text, '"output"', lineOf(text, '"ledger"')));
    expect(existsSync(path.join(p.dir, 'out', 'shared'))).toBe(false);
  });
});
