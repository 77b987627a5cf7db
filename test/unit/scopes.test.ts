import { describe, expect, it } from 'vitest';
import { serverConfigSchema, type ResolvedServerConfig, type ScopeRule } from '../../src/config/schema.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { HttpMethod, OperationNode } from '../../src/ir/types.js';
import { planToolScopes } from '../../src/plan/scopes.js';

function operation(method: HttpMethod, path: string, operationId: string, tags: string[] = []): OperationNode {
  return { kind: 'operation', pointer: `#/paths/${path.replace(/\//g, '~1')}/${method.toLowerCase()}`, method, path, operationId, tags, deprecated: false, parameters: [], responses: [], security: [], servers: [] };
}

const listNotes = operation('GET', '/notes', 'listNotes', ['notes']);
const createNote = operation('POST', '/notes', 'createNote', ['notes']);
const deleteNote = operation('DELETE', '/notes/{id}', 'deleteNote', ['notes', 'admin']);
const tools = [listNotes, createNote, deleteNote];

function plan(scopes: ScopeRule[], resources: OperationNode[] = []) {
  const diagnostics: Diagnostic[] = [];
  const server = { name: 'notes', scopes } as unknown as ResolvedServerConfig;
  const scopesOf = planToolScopes({ server, serverIndex: 0, configFile: 'mcpgen.config.json', tools, resources }, diagnostics);
  return { scopes: Object.fromEntries(tools.map((op) => [op.operationId, scopesOf(op)])), diagnostics };
}

describe('planToolScopes', () => {
  it.each([
    ['no rules: any caller', [], { listNotes: [], createNote: [], deleteNote: [] }],
    ['one rule by operationId', [{ select: 'createNote', require: ['write'] }], { listNotes: [], createNote: ['write'], deleteNote: [] }],
    [
      'every matching rule applies, scopes sorted and once each',
      [
        { select: '* /notes*', require: ['read'] },
        { select: 'DELETE /notes/*', require: ['write', 'read'] },
        { select: 'tag:admin', require: ['admin'] },
      ],
      { listNotes: ['read'], createNote: ['read'], deleteNote: ['admin', 'read', 'write'] },
    ],
  ] as const)('%s', (_name, rules, expected) => {
    const result = plan(rules.map((r) => ({ ...r, require: [...r.require] })));
    expect(result.scopes).toEqual(expected);
    expect(result.diagnostics).toEqual([]);
  });

  it('a selector that matches no tool is an error at its pointer', () => {
    const { diagnostics } = plan([{ select: 'tag:nothing', require: ['write'] }]);
    expect(diagnostics).toMatchObject([{ code: 'MCPGEN_SELECTOR_UNMATCHED', severity: 'error', pointer: '#/servers/0/scopes/0/select' }]);
  });

  it('a rule may select an operation served only as a resource: it is scoped, not unmatched', () => {
    const getNote = operation('GET', '/notes/{id}', 'getNote', ['notes']);
    const diagnostics: Diagnostic[] = [];
    const server = { name: 'notes', scopes: [{ select: 'getNote', require: ['read'] }] } as unknown as ResolvedServerConfig;
    const scopesOf = planToolScopes({ server, serverIndex: 0, configFile: 'mcpgen.config.json', tools, resources: [getNote] }, diagnostics);
    expect(diagnostics).toEqual([]);
    expect(scopesOf(getNote)).toEqual(['read']);
  });
});

describe('config "scopes"', () => {
  const parse = (require: unknown) => serverConfigSchema.safeParse({ name: 'notes', spec: 'notes.yaml', output: 'out', scopes: [{ select: 'createNote', require }] });
  it.each([[['write']], [['repo:write', 'https://api.example.com/notes.write']]])('accepts OAuth scope tokens %j', (require) => {
    expect(parse(require).success).toBe(true);
  });
  it.each([[[]], [['two words']], [['say"what']], [['back\\slash']], [['']]])('refuses %j', (require) => {
    expect(parse(require).success).toBe(false);
  });
});
