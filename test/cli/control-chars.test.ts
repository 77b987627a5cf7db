// Control characters and terminal escape sequences in a spec never reach the terminal or
// a generated text file raw: the CLI prints them, and the README and code show them, as
// literal \u001b escapes. JSON output stays valid and carries the original text.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, runCli, tmpDir, writeConfig, type CliRun } from './helpers.js';

/** What must never appear raw: C0 but the line feed, DEL, C1, bidi marks and overrides. */
const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const CLEAR = '\u001b[2J';
const TITLE = '\u001b]0;pwned\u0007';
const EVIL = `Pets${CLEAR}\r${TITLE} \u009b31m \u202eyppah\u202c \u0000 \u007f`;

function spec(): object {
  return {
    openapi: '3.0.3',
    info: { title: EVIL, version: `1${CLEAR}`, description: EVIL },
    servers: [{ url: 'https://pets.example.com' }],
    components: { securitySchemes: { [`digest${CLEAR}`]: { type: 'http', scheme: 'digest' } } },
    paths: {
      '/pets': {
        get: {
          operationId: 'listPets',
          summary: EVIL,
          description: EVIL,
          parameters: [
            { name: `X-Evil${CLEAR}`, in: 'header', schema: { type: 'string' } },
            { name: 'limit', in: 'query', description: EVIL, schema: { type: 'integer' } },
          ],
          responses: { '200': { description: EVIL, content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' } } } } } } },
        },
      },
    },
  };
}

let dir: string;
let run: CliRun;

beforeAll(() => {
  dir = tmpDir();
  writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec(), null, 2));
  writeConfig(dir, [{ name: 'pets', spec: 'spec.json', output: 'out' }]);
  run = runCli(['generate'], dir);
});

afterAll(() => {
  if (dir) removeDir(dir);
});

describe('control characters from a spec', { timeout: 300_000 }, () => {
  it('generation succeeds, printing warnings that quote the spec with every control character escaped', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('MCPGEN_SECURITY_UNSUPPORTED');
    expect(run.stderr).toContain('MCPGEN_HEADER_NAME_INVALID');
    expect(run.stderr).toContain('digest\\u001b[2J');
    expect(run.stderr).not.toMatch(UNPRINTABLE);
    expect(run.stdout).not.toMatch(UNPRINTABLE);
  });

  it('the generated README shows them as literal escapes', () => {
    const readme = readFileSync(path.join(dir, 'out', 'README.md'), 'utf8');
    expect(readme).not.toMatch(UNPRINTABLE);
    expect(readme).toContain('Pets\\u001b[2J');
    expect(readme).toContain('\\u202eyppah\\u202c');
    expect(readme).toContain('\\u009b31m');
  });

  it('no generated text file or code holds one raw', () => {
    for (const file of ['src/api.ts', 'src/server.ts', 'package.json', 'README.md']) {
      expect(readFileSync(path.join(dir, 'out', file), 'utf8'), file).not.toMatch(UNPRINTABLE);
    }
  });

  it('the data files still carry the text exactly', () => {
    const tools = JSON.parse(readFileSync(path.join(dir, 'out', 'data', 'tools', 'default.json'), 'utf8')) as { title?: string; inputSchema: { properties: Record<string, { description?: string }> } }[];
    expect(tools[0]!.title).toBe(EVIL);
    expect(tools[0]!.inputSchema.properties.limit!.description).toBe(EVIL);
  });

  it('an error quoting config text is escaped too, exits 1 and writes nothing', () => {
    const failing = tmpDir();
    try {
      writeFileSync(path.join(failing, 'spec.json'), JSON.stringify(spec(), null, 2));
      writeConfig(failing, [{ name: 'pets', spec: 'spec.json', output: 'out', security: { [`nope${CLEAR}\r`]: { env: 'PETS_X' } } }]);
      const result = runCli(['generate'], failing);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^error: mcpgen\.config\.json:\d+:\d+ #\/servers\/0\/security\/nope\\u001b\[2J\\u000d MCPGEN_SECURITY_CONFIG "security" names "nope\\u001b\[2J\\u000d"/m);
      expect(result.stderr).toContain('\n  help: ');
      expect(result.stderr).not.toMatch(UNPRINTABLE);
      expect(existsSync(path.join(failing, 'out'))).toBe(false);

      // A line break in quoted text continues the diagnostic, indented: it cannot pass for an error line.
      writeConfig(failing, [{ name: 'pets', spec: 'spec.json', output: 'out', security: { 'x\u202e\u009b\nerror: forged': { env: 'PETS_X' } } }]);
      const forged = runCli(['generate'], failing);
      expect(forged.status).toBe(1);
      expect(forged.stderr).toContain('\n    error: forged');
      expect(forged.stderr.split('\n').filter((l) => l.startsWith('error: forged'))).toEqual([]);

      // --json escapes what JSON.stringify leaves raw (C1, bidi) and still parses to the original.
      const json = runCli(['generate', '--json'], failing);
      expect(json.stdout).not.toMatch(UNPRINTABLE);
      const parsed = JSON.parse(json.stdout) as { diagnostics: { code: string; message: string }[] };
      expect(parsed.diagnostics.find((d) => d.code === 'MCPGEN_SECURITY_CONFIG')!.message).toContain('x\u202e\u009b\nerror: forged');
    } finally {
      removeDir(failing);
    }
  });
});
