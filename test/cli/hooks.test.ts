// `mcpgen generate` / `check` / `build` with a hooks module: generation never writes it,
// and a hooks module that is missing, does not parse or does not type-check is a
// diagnostic naming the hooks file and line, with nothing written.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySpec, removeDir, repoTmpDir, runCli, snapshot, writeConfig } from './helpers.js';

const GOOD = `import type { ServerHooks } from '../out/good/src/runtime/hooks.js';
const hooks: ServerHooks = {
  beforeRequest(request) {
    request.headers.set('X-Trace', '1');
  },
};
export default hooks;
`;

// Line 4: a header value must be a string.
const TYPE_ERROR = `import type { ServerHooks } from '../out/typed/src/runtime/hooks.js';
const hooks: ServerHooks = {
  beforeRequest(request) {
    request.headers.set('X-Trace', 42);
  },
};
export default hooks;
`;

// Line 3: an unterminated call.
const SYNTAX_ERROR = `import type { ServerHooks } from '../out/broken/src/runtime/hooks.js';
const hooks: ServerHooks = {
  beforeRequest(request) { request.headers.set('X-Trace', '1';
};
export default hooks;
`;

// Not a ServerHooks: beforeRequest is a string.
const WRONG_EXPORT = `export default { beforeRequest: 'yes' };
`;

let dir: string;

beforeAll(() => {
  dir = repoTmpDir();
  copySpec('ledger-api.yaml', dir);
  mkdirSync(path.join(dir, 'hooks'));
  const files: Record<string, string> = { 'good.ts': GOOD, 'typed.ts': TYPE_ERROR, 'broken.ts': SYNTAX_ERROR, 'wrong.ts': WRONG_EXPORT };
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, 'hooks', name), text);
});

afterAll(() => {
  if (dir) removeDir(dir);
});

const server = (name: string, hooks: string) => ({ name, spec: 'ledger-api.yaml', output: `out/${name}`, hooks });

describe('hooks module in the CLI', { timeout: 300_000 }, () => {
  it('a missing hooks file or a non-TypeScript one is a config diagnostic at its line', () => {
    const config = writeConfig(dir, [server('good', 'hooks/missing.ts'), server('typed', 'hooks/good.js')], 'missing.config.json');
    const run = runCli(['generate', '--config', config], dir);
    expect(run.status).toBe(1);
    const lines = readFileSync(config, 'utf8').split('\n');
    const line = (text: string) => lines.findIndex((l) => l.includes(text)) + 1;
    expect(run.stderr).toContain(`missing.config.json:${line('hooks/missing.ts')}:`);
    expect(run.stderr).toMatch(/#\/servers\/0\/hooks MCPGEN_HOOKS_UNREADABLE Hooks module hooks\/missing\.ts cannot be read/);
    expect(run.stderr).toMatch(/#\/servers\/1\/hooks MCPGEN_HOOKS_UNREADABLE Hooks module hooks\/good\.js must be a TypeScript file/);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('a type error, a syntax error and a wrong default export each name the hooks file (and line); nothing is written', () => {
    const config = writeConfig(dir, [server('typed', 'hooks/typed.ts'), server('broken', 'hooks/broken.ts'), server('wrong', 'hooks/wrong.ts')], 'bad.config.json');
    const before = snapshot(path.join(dir, 'hooks'));
    const run = runCli(['generate', '--config', config], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/error: hooks\/typed\.ts:4:\d+ MCPGEN_HOOKS_TYPECHECK The hooks module does not type-check: .*number.*string/);
    expect(run.stderr).toMatch(/error: hooks\/broken\.ts:3:\d+ MCPGEN_HOOKS_TYPECHECK The hooks module does not type-check: '\)' expected/);
    expect(run.stderr).toMatch(/error: hooks\/wrong\.ts MCPGEN_HOOKS_TYPECHECK The default export of the hooks module is not a ServerHooks/);
    expect(run.stderr).not.toMatch(/bug in mcpgen/);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
    expect(snapshot(path.join(dir, 'hooks'))).toEqual(before);
  });

  it('generate never writes the hooks file; check stays clean; build (and build --typecheck) bundles it; --no-bundle refuses', () => {
    const config = writeConfig(dir, [server('good', 'hooks/good.ts')], 'good.config.json');
    const before = snapshot(path.join(dir, 'hooks'));
    const generate = runCli(['generate', '--quiet', '--config', config], dir);
    expect(generate.status, generate.stderr).toBe(0);
    expect(snapshot(path.join(dir, 'hooks'))).toEqual(before);
    expect(readFileSync(path.join(dir, 'out', 'good', 'src', 'server.ts'), 'utf8')).toContain("import hooks from '../../../hooks/good.js';");
    const check = runCli(['check', '--config', config], dir);
    expect(check.status, check.stderr).toBe(0);
    const build = runCli(['build', '--quiet', '--config', config], dir);
    expect(build.status, build.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'out', 'good', 'dist', 'stdio.js'), 'utf8')).toMatch(/\.set\(\s*["']X-Trace["']/);
    // The full type-check takes the hooks module outside src/ in its stride.
    const typechecked = runCli(['build', '--typecheck', '--quiet', '--config', config], dir);
    expect(typechecked.status, typechecked.stderr).toBe(0);
    const unbundled = runCli(['build', '--no-bundle', '--config', config], dir);
    expect(unbundled.status).toBe(1);
    expect(unbundled.stderr).toMatch(/MCPGEN_BUILD_FAILED .*hooks module .*build without --no-bundle/);
    expect(snapshot(path.join(dir, 'hooks'))).toEqual(before);
  });
});
