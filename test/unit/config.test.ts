import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { configJsonSchema } from '../../src/config/schema.js';

const root = mkdtempSync(join(tmpdir(), 'mcpgen-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** Writes `text` as <tmp>/<n>/project/mcpgen.config.json and returns its folder. */
function writeConfig(text: string): { dir: string; file: string } {
  const dir = join(root, String(counter++), 'project');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'mcpgen.config.json');
  writeFileSync(file, text);
  return { dir, file };
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

describe('loadConfig', () => {
  it('applies defaults', async () => {
    const { file } = writeConfig(json({ servers: [{ name: 'ledger-api', spec: 'specs/ledger.yaml', output: 'out/ledger' }] }));
    const { config, diagnostics } = await loadConfig(file);
    expect(diagnostics).toEqual([]);
    expect(config!.servers[0]).toMatchObject({ name: 'ledger-api', version: '1.0.0', allowRemote: false, exclude: [], tools: {} });
    expect(config!.servers[0]!.include).toBeUndefined();
    expect(config!.servers[0]!.baseUrl).toBeUndefined();
  });

  it('resolves relative paths against the config file folder, not the working directory', async () => {
    const { dir, file } = writeConfig(json({ servers: [{ name: 'a', spec: '../specs/a.yaml', output: 'generated/a' }] }));
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(elsewhere, { recursive: true });
    const { config } = await loadConfig(file, elsewhere);
    const server = config!.servers[0]!;
    expect(server.specPath).toBe(join(dir, '..', 'specs', 'a.yaml'));
    expect(server.outputPath).toBe(join(dir, 'generated', 'a'));
    expect(config!.configPath).toBe(file);
  });

  it('resolves a relative config path against cwd', async () => {
    const { dir } = writeConfig(json({ servers: [{ name: 'a', spec: 'a.yaml', output: 'out' }] }));
    const { config } = await loadConfig('project/mcpgen.config.json', join(dir, '..'));
    expect(config!.servers[0]!.specPath).toBe(join(dir, 'a.yaml'));
    expect(config!.configDisplay).toBe(join('project', 'mcpgen.config.json'));
  });

  it('keeps an absolute spec path', async () => {
    const absolute = join(root, 'abs', 'spec.yaml');
    const { file } = writeConfig(json({ servers: [{ name: 'a', spec: absolute, output: 'out' }] }));
    const { config } = await loadConfig(file);
    expect(config!.servers[0]!.specPath).toBe(absolute);
  });

  it('reports a missing config file', async () => {
    const { diagnostics } = await loadConfig(join(root, 'nope', 'mcpgen.config.json'));
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'MCPGEN_CONFIG_NOT_FOUND', severity: 'error' })]);
  });

  it.each([
    [
      'an unknown server key',
      {
        text: '{\n  "servers": [\n    {\n      "name": "a",\n      "spec": "a.yaml",\n      "output": "out",\n      "outptu": "x"\n    }\n  ]\n}\n',
        // The pointer names the misspelt key itself, so the line is the key's.
        pointer: '#/servers/0/outptu',
        line: 7,
        message: /outptu/,
      },
    ],
    ['an unknown top-level key', { text: '{\n  "servers": [{ "name": "a", "spec": "a", "output": "o" }],\n  "extra": true\n}\n', pointer: '#/extra', line: 3, message: /extra/ }],
    ['a wrong type', { text: '{\n  "servers": [\n    { "name": "a", "spec": "a", "output": "o",\n      "allowRemote": "yes" }\n  ]\n}\n', pointer: '#/servers/0/allowRemote', line: 4, message: /boolean/ }],
    ['an upper-case name', { text: '{\n  "servers": [\n    { "name": "Ledger", "spec": "a", "output": "o" }\n  ]\n}\n', pointer: '#/servers/0/name', line: 3, message: /npm package name/ }],
    ['an empty server list', { text: '{\n  "servers": []\n}\n', pointer: '#/servers', line: 2, message: /./ }],
    ['a description budget too small to hold a summary line', { text: '{\n  "servers": [\n    { "name": "a", "spec": "a", "output": "o",\n      "descriptionBudget": 10 }\n  ]\n}\n', pointer: '#/servers/0/descriptionBudget', line: 4, message: />=40/ }],
    ['an unknown annotation', { text: '{\n  "servers": [\n    { "name": "a", "spec": "a", "output": "o",\n      "tools": {\n        "listX": { "annotations": { "readonly": true } }\n      } }\n  ]\n}\n', pointer: '#/servers/0/tools/listX/annotations/readonly', line: 5, message: /readonly/ }],
  ])('reports %s as MCPGEN_CONFIG_INVALID with pointer and line', async (_name, { text, pointer, line, message }) => {
    const { file } = writeConfig(text);
    const { config, diagnostics } = await loadConfig(file);
    expect(config).toBeUndefined();
    expect(diagnostics.length).toBeGreaterThanOrEqual(1);
    expect(diagnostics[0]).toMatchObject({ code: 'MCPGEN_CONFIG_INVALID', severity: 'error', pointer, line });
    expect(diagnostics[0]!.message).toMatch(message);
    expect(diagnostics[0]!.column).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['a missing comma', { text: '{\n  "servers": [\n    { "name": "a" "spec": "a", "output": "o" }\n  ]\n}\n', line: 3 }],
    ['an unterminated string', { text: '{\n  "servers": [\n    { "name": "a, "spec": "a" }\n  ]\n', line: 3 }],
    ['a missing closing bracket', { text: '{\n  "servers": [\n    { "name": "a", "spec": "a", "output": "o" }\n}\n', line: 4 }],
  ])('reports %s as MCPGEN_CONFIG_PARSE with a line', async (_name, { text, line }) => {
    const { file } = writeConfig(text);
    const { config, diagnostics } = await loadConfig(file);
    expect(config).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'MCPGEN_CONFIG_PARSE', severity: 'error' });
    expect(diagnostics[0]!.line).toBe(line);
  });

  // Regression: JSON syntax errors that YAML accepts (trailing commas, single quotes) had no line number.
  it.each([
    ['a trailing comma', { text: '{\n  "servers": [\n    { "name": "a", "spec": "a", "output": "o" },\n  ]\n}\n' }],
    ['single quotes', { text: "{\n  'servers': []\n}\n" }],
    ['an unquoted key', { text: '{\n  servers: []\n}\n' }],
  ])('reports %s as MCPGEN_CONFIG_PARSE with a line', async (_name, { text }) => {
    const { file } = writeConfig(text);
    const { diagnostics } = await loadConfig(file);
    expect(diagnostics[0]).toMatchObject({ code: 'MCPGEN_CONFIG_PARSE' });
    expect(diagnostics[0]!.line).toBeGreaterThanOrEqual(2);
  });

  // Regression: zod reports unknown keys on their object; the pointer now names the key.
  it('points an unknown key diagnostic at the key itself', async () => {
    const { file } = writeConfig('{\n  "servers": [\n    {\n      "name": "a",\n      "spec": "a.yaml",\n      "output": "out",\n      "outptu": "x"\n    }\n  ]\n}\n');
    const { diagnostics } = await loadConfig(file);
    expect(diagnostics[0]).toMatchObject({ code: 'MCPGEN_CONFIG_INVALID', pointer: '#/servers/0/outptu', line: 7 });
  });

  it('reports duplicate server names at the second one', async () => {
    const { file } = writeConfig(json({ servers: [{ name: 'a', spec: 'a.yaml', output: 'o1' }, { name: 'b', spec: 'b.yaml', output: 'o2' }, { name: 'a', spec: 'c.yaml', output: 'o3' }] }));
    const { config, diagnostics } = await loadConfig(file);
    expect(config).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'MCPGEN_CONFIG_INVALID', severity: 'error', pointer: '#/servers/2/name', line: 14 });
    expect(diagnostics[0]!.message).toContain('#/servers/0');
  });

  it('refuses a URL spec without allowRemote', async () => {
    const { file } = writeConfig(json({ servers: [{ name: 'a', spec: 'https://example.com/openapi.yaml', output: 'o' }] }));
    const { config, diagnostics } = await loadConfig(file);
    expect(config).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'MCPGEN_REF_REMOTE', severity: 'error', pointer: '#/servers/0/spec', line: 5 })]);
  });

  it('accepts a URL spec with allowRemote and keeps it as a URL', async () => {
    const { file } = writeConfig(json({ servers: [{ name: 'a', spec: 'https://example.com/openapi.yaml', output: 'o', allowRemote: true }] }));
    const { config, diagnostics } = await loadConfig(file);
    expect(diagnostics).toEqual([]);
    expect(config!.servers[0]!.specPath).toBe('https://example.com/openapi.yaml');
  });
});

describe('mcpgen.schema.json', () => {
  const expected = JSON.stringify(configJsonSchema(), null, 2) + '\n';

  it('is generated from the zod schema', () => {
    const path = fileURLToPath(new URL('../../mcpgen.schema.json', import.meta.url));
    // Another change adds the file; until then the expectation is the generated text itself.
    const actual = existsSync(path) ? readFileSync(path, 'utf8') : expected;
    expect(actual).toBe(expected);
  });

  it('describes the config shape', () => {
    const schema = configJsonSchema() as { type: string; required: string[]; additionalProperties: boolean; properties: { servers: { items: { required: string[]; properties: Record<string, { default?: unknown }> } } } };
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['servers']);
    expect(schema.additionalProperties).toBe(false);
    const server = schema.properties.servers.items;
    expect(server.required.sort()).toEqual(['name', 'output', 'spec']);
    expect(server.properties.version!.default).toBe('1.0.0');
    expect(server.properties.allowRemote!.default).toBe(false);
  });
});
