import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagnosticCatalog } from '../../src/diagnostics/catalog.js';
import { escapePointerToken, formatDiagnostic, parsePointer, pointerOf, type Diagnostic } from '../../src/diagnostics/diagnostic.js';

describe('formatDiagnostic', () => {
  it.each<[string, { given: Diagnostic; want: string }]>([
    [
      'full place with help',
      {
        given: { code: 'MCPGEN_REF_NOT_FOUND', severity: 'error', file: 'specs/petstore.yaml', line: 42, column: 7, pointer: '#/paths/~1pets/get', message: '$ref "#/x" points at nothing.', help: 'Fix the reference.' },
        want: 'specs/petstore.yaml:42:7 #/paths/~1pets/get MCPGEN_REF_NOT_FOUND $ref "#/x" points at nothing.\n  help: Fix the reference.',
      },
    ],
    [
      'no help',
      {
        given: { code: 'MCPGEN_SPEC_PARSE', severity: 'error', file: 'a.yaml', line: 3, column: 1, message: 'Bad indentation' },
        want: 'a.yaml:3:1 MCPGEN_SPEC_PARSE Bad indentation',
      },
    ],
    [
      'line without column',
      {
        given: { code: 'MCPGEN_CONFIG_PARSE', severity: 'error', file: 'mcpgen.config.json', line: 5, message: 'Unexpected token' },
        want: 'mcpgen.config.json:5 MCPGEN_CONFIG_PARSE Unexpected token',
      },
    ],
    [
      'file and pointer without position',
      {
        given: { code: 'MCPGEN_SELECTOR_UNMATCHED', severity: 'error', file: 'mcpgen.config.json', pointer: '#/servers/0/include/0', message: 'No match.', help: 'Did you mean "x"?' },
        want: 'mcpgen.config.json #/servers/0/include/0 MCPGEN_SELECTOR_UNMATCHED No match.\n  help: Did you mean "x"?',
      },
    ],
    [
      'no file at all',
      {
        given: { code: 'MCPGEN_TYPECHECK', severity: 'error', message: 'Broken.' },
        want: 'mcpgen MCPGEN_TYPECHECK Broken.',
      },
    ],
  ])('%s', (_name, { given, want }) => {
    expect(formatDiagnostic(given)).toBe(want);
  });
});

describe('the diagnostic catalog', () => {
  const srcRoot = fileURLToPath(new URL('../../src/', import.meta.url));
  const catalogFile = join(srcRoot, 'diagnostics', 'catalog.ts');
  const sources = (function walk(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? walk(path) : entry.name.endsWith('.ts') ? [path] : [];
    });
  })(srcRoot);
  const codePattern = /MCPGEN_[A-Z_]+/g;
  const used = new Map<string, string[]>();
  for (const file of sources) {
    if (file === catalogFile) continue;
    for (const code of readFileSync(file, 'utf8').match(codePattern) ?? []) used.set(code, [...(used.get(code) ?? []), relative(srcRoot, file)]);
  }
  const catalog = diagnosticCatalog as Record<string, { cause: string; fix: string }>;

  it('reads the source tree', () => {
    expect(sources.length).toBeGreaterThan(20);
    expect(used.size).toBeGreaterThan(10);
  });

  it.each([...used.keys()].sort().map((code) => [code, used.get(code)!]))('%s (used in %s) is documented', (code) => {
    expect(Object.keys(catalog)).toContain(code);
    expect(catalog[code]!.cause.trim()).not.toBe('');
    expect(catalog[code]!.fix.trim()).not.toBe('');
  });

  it.each(Object.keys(catalog).sort())('%s is emitted somewhere in src', (code) => {
    expect(used.has(code), `${code} is in the catalog but no source file uses it`).toBe(true);
  });

  it('every entry has a non-empty cause and fix ending in a full stop', () => {
    for (const [code, entry] of Object.entries(catalog)) {
      expect(code).toMatch(/^MCPGEN_[A-Z_]+$/);
      expect(entry.cause, code).toMatch(/\S.*\.$/);
      expect(entry.fix, code).toMatch(/\S.*\.$/);
    }
  });
});

describe('JSON pointers', () => {
  it.each<[string, { tokens: (string | number)[]; pointer: string }]>([
    ['root', { tokens: [], pointer: '#' }],
    ['plain tokens', { tokens: ['components', 'schemas', 'Pet'], pointer: '#/components/schemas/Pet' }],
    ['a path with slashes', { tokens: ['paths', '/pets/{id}', 'get'], pointer: '#/paths/~1pets~1{id}/get' }],
    ['a tilde', { tokens: ['a~b'], pointer: '#/a~0b' }],
    ['tilde followed by 1 is not a slash', { tokens: ['~1'], pointer: '#/~01' }],
    ['slash then zero', { tokens: ['/0'], pointer: '#/~10' }],
    ['a media type', { tokens: ['content', 'application/vnd.api+json'], pointer: '#/content/application~1vnd.api+json' }],
    ['array indexes', { tokens: ['servers', 0, 'include', 12], pointer: '#/servers/0/include/12' }],
    ['an empty token', { tokens: ['properties', ''], pointer: '#/properties/' }],
  ])('%s', (_name, { tokens, pointer }) => {
    expect(pointerOf(...tokens)).toBe(pointer);
    expect(parsePointer(pointer)).toEqual(tokens.map(String));
  });

  it('parses a pointer without the leading #', () => {
    expect(parsePointer('/paths/~1a~0b')).toEqual(['paths', '/a~b']);
    expect(parsePointer('')).toEqual([]);
  });

  it('escapes ~ before / so the encoding is reversible', () => {
    expect(escapePointerToken('~/')).toBe('~0~1');
  });

  // Regression: parsePointer percent-decoded tokens, which mangled `%` in names and crashed on a lone `%`.
  it.each<[string, string[]]>([
    ['a lone percent sign', ['paths', '/discount/50%']],
    ['a percent escape', ['properties', 'a%20b']],
  ])('round-trips %s', (_name, tokens) => {
    expect(parsePointer(pointerOf(...tokens))).toEqual(tokens);
  });
});
