import { describe, expect, it } from 'vitest';
import type { HttpMethod, OperationNode } from '../../src/ir/types.js';
import { compileSelector, operationKey, selectOperations } from '../../src/plan/select.js';

function operation(method: HttpMethod, path: string, operationId?: string, tags: string[] = []): OperationNode {
  return {
    kind: 'operation',
    pointer: `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method.toLowerCase()}`,
    method,
    path,
    ...(operationId ? { operationId } : {}),
    tags,
    deprecated: false,
    parameters: [],
    responses: [],
    security: [],
  };
}

const operations: OperationNode[] = [
  operation('GET', '/accounts', 'listAccounts', ['accounts']),
  operation('POST', '/accounts', 'createAccount', ['accounts']),
  operation('GET', '/accounts/{id}', 'getAccount', ['accounts']),
  operation('DELETE', '/accounts/{id}', 'deleteAccount', ['accounts', 'admin']),
  operation('GET', '/accounts/{id}/cards', undefined, ['cards']),
  operation('GET', '/health'),
];

const ids = (ops: readonly OperationNode[]) => ops.map(operationKey);

describe('compileSelector', () => {
  it.each([
    ['operationId', { selector: 'getAccount', want: ['GET /accounts/{id}'] }],
    ['operationId is case sensitive', { selector: 'getaccount', want: [] }],
    ['exact METHOD /path', { selector: 'GET /accounts', want: ['GET /accounts'] }],
    ['lower-case method', { selector: 'get /accounts', want: ['GET /accounts'] }],
    ['method glob', { selector: '* /accounts', want: ['GET /accounts', 'POST /accounts'] }],
    ['path glob', { selector: 'GET /accounts/*', want: ['GET /accounts/{id}', 'GET /accounts/{id}/cards'] }],
    ['both globs', { selector: '* /accounts/*', want: ['GET /accounts/{id}', 'DELETE /accounts/{id}', 'GET /accounts/{id}/cards'] }],
    ['path with braces matched literally', { selector: 'DELETE /accounts/{id}', want: ['DELETE /accounts/{id}'] }],
    ['tag', { selector: 'tag:accounts', want: ['GET /accounts', 'POST /accounts', 'GET /accounts/{id}', 'DELETE /accounts/{id}'] }],
    ['second tag counts too', { selector: 'tag:admin', want: ['DELETE /accounts/{id}'] }],
    ['unknown tag', { selector: 'tag:nope', want: [] }],
    ['operation without operationId is reachable by path', { selector: 'GET /accounts/{id}/cards', want: ['GET /accounts/{id}/cards'] }],
    ['regex metacharacters in a path are literal', { selector: 'GET /accounts/(id)', want: [] }],
  ])('%s', (_name, { selector, want }) => {
    const test = compileSelector(selector);
    expect(ids(operations.filter(test))).toEqual(want);
  });
});

describe('selectOperations', () => {
  const base = { configPointer: '#/servers/0', configFile: 'mcpgen.config.json' };

  it.each([
    ['no include selects everything', { include: undefined, exclude: [], want: ids(operations) }],
    ['include by operationId', { include: ['listAccounts', 'getAccount'], exclude: [], want: ['GET /accounts', 'GET /accounts/{id}'] }],
    ['include keeps spec order', { include: ['getAccount', 'listAccounts'], exclude: [], want: ['GET /accounts', 'GET /accounts/{id}'] }],
    ['exclude only', { include: undefined, exclude: ['tag:accounts'], want: ['GET /accounts/{id}/cards', 'GET /health'] }],
    ['exclude wins over include', { include: ['tag:accounts'], exclude: ['DELETE /accounts/*'], want: ['GET /accounts', 'POST /accounts', 'GET /accounts/{id}'] }],
    ['exclude wins for the same operation', { include: ['getAccount'], exclude: ['getAccount'], want: [] }],
    ['empty include selects nothing', { include: [], exclude: [], want: [] }],
  ])('%s', (_name, { include, exclude, want }) => {
    const { selected, diagnostics } = selectOperations(operations, { ...base, include, exclude });
    expect(diagnostics).toEqual([]);
    expect(ids(selected)).toEqual(want);
  });

  it.each([
    ['a misspelt operationId', { include: ['listAcounts'], exclude: [], pointer: '#/servers/0/include/0', help: 'Did you mean "listAccounts"?' }],
    ['a misspelt path', { include: ['getAccount', 'GET /acounts'], exclude: [], pointer: '#/servers/0/include/1', help: 'Did you mean "GET /accounts"?' }],
    ['a misspelt tag', { include: ['tag:acounts'], exclude: [], pointer: '#/servers/0/include/0', help: 'Did you mean "tag:accounts"?' }],
    ['an exclude selector', { include: undefined, exclude: ['deleteAcount'], pointer: '#/servers/0/exclude/0', help: 'Did you mean "deleteAccount"?' }],
  ])('reports %s with a did-you-mean', (_name, { include, exclude, pointer, help }) => {
    const { diagnostics } = selectOperations(operations, { ...base, include, exclude });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'MCPGEN_SELECTOR_UNMATCHED', severity: 'error', file: 'mcpgen.config.json', pointer, help });
    expect(diagnostics[0]!.message).toContain(`"${(include ?? exclude).at(-1)}"`);
  });

  it('explains the selector forms when nothing is close', () => {
    const { diagnostics } = selectOperations(operations, { ...base, include: ['completelyUnrelatedName'], exclude: [] });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.pointer).toBe('#/servers/0/include/0');
    expect(diagnostics[0]!.help).toMatch(/operationId.*METHOD \/path.*tag:NAME/);
  });

  it('uses the server index of the config pointer', () => {
    const { diagnostics } = selectOperations(operations, { ...base, configPointer: '#/servers/3', include: ['nope'], exclude: [] });
    expect(diagnostics[0]!.pointer).toBe('#/servers/3/include/0');
  });
});
