import { describe, expect, it } from 'vitest';
import { diffSurface, type SurfaceTool } from '../../src/diff/surface.js';

function tool(name: string, method: string, path: string, properties: Record<string, unknown> = {}, required: string[] = []): SurfaceTool {
  return { name, inputSchema: { properties, ...(required.length ? { required } : {}) }, _meta: { 'mcpgen/operation': { method, path } } };
}

const listAccounts = tool('list_accounts', 'GET', '/accounts', { limit: { type: 'integer' }, status: { type: 'string', enum: ['open', 'closed', 'frozen'] } });
const getAccount = tool('get_account', 'GET', '/accounts/{id}', { id: { type: 'string' } }, ['id']);

describe('diffSurface', () => {
  it.each([
    ['nothing changed', [listAccounts, getAccount], [listAccounts, getAccount], []],
    ['a tool added', [listAccounts], [listAccounts, getAccount], [{ kind: 'added', tool: 'get_account', breaks: false }]],
    ['a tool removed', [listAccounts, getAccount], [listAccounts], [{ kind: 'removed', tool: 'get_account', breaks: true }]],
    [
      'same operation under a new name is a rename',
      [getAccount],
      [{ ...getAccount, name: 'fetch_account' }],
      [{ kind: 'renamed', tool: 'get_account', detail: 'fetch_account', breaks: true }],
    ],
    [
      'an optional argument added breaks nobody',
      [listAccounts],
      [tool('list_accounts', 'GET', '/accounts', { ...listAccounts.inputSchema.properties, cursor: { type: 'string' } })],
      [],
    ],
    [
      'a new required argument',
      [listAccounts],
      [tool('list_accounts', 'GET', '/accounts', { ...listAccounts.inputSchema.properties, owner: { type: 'string' } }, ['owner'])],
      [{ kind: 'breaking', tool: 'list_accounts', detail: 'new required argument "owner"', breaks: true }],
    ],
    [
      'an optional argument made required, another removed, a type changed, enum values dropped',
      [listAccounts],
      [tool('list_accounts', 'GET', '/accounts', { limit: { type: 'string' }, status: { type: 'string', enum: ['open', 'archived'] } }, ['status'])],
      [
        { kind: 'breaking', tool: 'list_accounts', detail: 'argument "status" is now required', breaks: true },
        { kind: 'breaking', tool: 'list_accounts', detail: 'argument "limit" changed type from integer to string', breaks: true },
        { kind: 'breaking', tool: 'list_accounts', detail: 'argument "status" no longer accepts "closed", "frozen"', breaks: true },
      ],
    ],
    [
      'a type widened (integer to number, a type made nullable) breaks nobody',
      [tool('t', 'GET', '/t', { a: { type: 'integer' }, b: { type: 'string' } })],
      [tool('t', 'GET', '/t', { a: { type: 'number' }, b: { type: ['string', 'null'] } })],
      [],
    ],
    [
      'an argument removed',
      [getAccount],
      [tool('get_account', 'GET', '/accounts/{id}', {}, [])],
      [{ kind: 'breaking', tool: 'get_account', detail: 'argument "id" was removed', breaks: true }],
    ],
    [
      'a rename that also breaks the input reports both',
      [getAccount],
      [tool('fetch_account', 'GET', '/accounts/{id}', { id: { type: 'integer' } }, ['id'])],
      [
        { kind: 'renamed', tool: 'get_account', detail: 'fetch_account', breaks: true },
        { kind: 'breaking', tool: 'fetch_account', detail: 'argument "id" changed type from string to integer', breaks: true },
      ],
    ],
  ] as const)('%s', (_label, before, after, want) => {
    expect(diffSurface(before, after)).toEqual(want);
  });

  it('orders removals, renames, breaking changes, then additions, each by tool name', () => {
    const before = [tool('b_old', 'GET', '/b'), tool('z_gone', 'GET', '/z'), listAccounts];
    const after = [tool('b_new', 'GET', '/b'), tool('a_added', 'POST', '/a'), tool('list_accounts', 'GET', '/accounts', {}, [])];
    expect(diffSurface(before, after).map((c) => `${c.kind} ${c.tool}`)).toEqual([
      'removed z_gone',
      'renamed b_old',
      'breaking list_accounts',
      'breaking list_accounts',
      'added a_added',
    ]);
  });
});
