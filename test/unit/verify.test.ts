// The verify stage must catch generated code that does not type-check: a verify that
// always passed would let broken servers be written.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/index.js';
import type { VirtualFile } from '../../src/emit/emit.js';
import { verifyServer } from '../../src/verify/verify.js';

const fixture = fileURLToPath(new URL('../fixtures/naming/', import.meta.url));
const outputPath = join(fixture, 'out');
let files: VirtualFile[];

beforeAll(async () => {
  const result = await generate({ configPath: join(fixture, 'mcpgen.config.json'), cwd: fixture, dryRun: true, verify: false });
  files = result.servers[0]!.files.map((f) => ({ path: f.path, text: f.text }));
}, 60_000);

function replaced(path: string, edit: (text: string) => string): VirtualFile[] {
  const target = files.find((f) => f.path === path);
  if (!target) throw new Error(`no ${path} among ${files.map((f) => f.path).join(', ')}`);
  return files.map((f) => (f === target ? { path: f.path, text: edit(f.text) } : f));
}

describe('verifyServer', () => {
  it('accepts the generated files as they are', () => {
    expect(verifyServer('naming', outputPath, files)).toEqual([]);
  }, 60_000);

  it('names the file and line of a type error in a file made from the spec', () => {
    const broken = replaced('src/api.ts', (text) => text.replace(/version: '[^']*'/, 'version: 42'));
    const diagnostics = verifyServer('naming', outputPath, broken);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'MCPGEN_TYPECHECK', severity: 'error' });
    expect(diagnostics[0]!.file).toMatch(/^src\/api\.ts:\d+$/);
    expect(diagnostics[0]!.message).toContain("Type 'number' is not assignable to type 'string'");
  }, 60_000);

  it('checks calls into the runtime against its declarations', () => {
    const broken = replaced('src/stdio.ts', (text) => text.replace('runStdio(createServer, { name: api.name })', 'runStdio(createServer, { name: api.name, colour: 1 })'));
    const diagnostics = verifyServer('naming', outputPath, broken);
    expect(diagnostics.map((d) => d.file)).toEqual([expect.stringMatching(/^src\/stdio\.ts:\d+$/)]);
  }, 60_000);

  it('checks the files as ES modules, as Node will load them', () => {
    // Under CommonJS rules an extensionless relative import would pass; Node's ESM loader rejects it.
    const broken = replaced('src/stdio.ts', (text) => text.replace("from './api.js'", "from './api'"));
    const diagnostics = verifyServer('naming', outputPath, broken);
    expect(diagnostics.map((d) => d.message).join('\n')).toMatch(/Relative import paths need explicit file extensions/);
  }, 60_000);

  it('reports a syntax error anywhere, the runtime included', () => {
    const broken = replaced('src/runtime/upstream/errors.ts', (text) => `${text}\nexport const = ;\n`);
    const diagnostics = verifyServer('naming', outputPath, broken);
    expect(diagnostics.length).toBeGreaterThan(0);
  }, 60_000);
});
