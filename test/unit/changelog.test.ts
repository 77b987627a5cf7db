// The MCP-surface changelog of `mcpgen diff`: each kind of change, its semver level, the bump,
// output-field comparison and the Markdown a reviewer reads.
import { describe, expect, it } from 'vitest';
import { diffMcpSurface, type McpSurface } from '../../src/diff/changelog.js';
import { changelogMarkdown } from '../../src/diff/markdown.js';
import { outputFieldChanges } from '../../src/diff/output-fields.js';
import type { SurfaceTool } from '../../src/diff/surface.js';
import type { PromptDefinition, ResourceDefinition, ResourceTemplateDefinition } from '../../src/plan/types.js';

function tool(name: string, path: string, extra: Partial<SurfaceTool> = {}): SurfaceTool {
  return { name, inputSchema: { properties: { id: { type: 'string' } }, required: ['id'] }, _meta: { 'mcpgen/operation': { method: 'GET', path } }, ...extra };
}

const operation = (path: string) => ({ method: 'GET', path, parameters: [], security: [], response: { structured: true } }) as unknown as ResourceDefinition['operation'];
const resource = (uri: string, path: string, description = 'Accounts'): ResourceDefinition => ({ uri, name: 'accounts', description, mimeType: 'application/json', operation: operation(path) });
const template = (uriTemplate: string, path: string): ResourceTemplateDefinition => ({ uriTemplate, name: 'account', mimeType: 'application/json', operation: operation(path), variables: [{ name: 'id', arg: 'id' }] });
const prompt = (name: string, args: PromptDefinition['arguments'], text = 'Hello'): PromptDefinition => ({ name, arguments: args, messages: [{ role: 'user', segments: [{ text }] }] });

const surface = (parts: Partial<McpSurface>): McpSurface => ({ tools: [], resources: [], resourceTemplates: [], prompts: [], ...parts });

const account = { type: 'object', properties: { id: { type: 'string' }, balance: { type: 'integer' }, owner: { type: 'object', properties: { name: { type: 'string' } } } } };

describe('diffMcpSurface', () => {
  it.each([
    ['nothing changed', surface({ tools: [tool('get_account', '/a/{id}')] }), surface({ tools: [tool('get_account', '/a/{id}')] }), 'none', []],
    ['a tool added is minor', surface({}), surface({ tools: [tool('get_account', '/a/{id}')] }), 'minor', ['minor tool added get_account']],
    ['a tool removed is major', surface({ tools: [tool('get_account', '/a/{id}')] }), surface({}), 'major', ['major tool removed get_account']],
    ['a rename (same operation, new name) is major', surface({ tools: [tool('get_account', '/a/{id}')] }), surface({ tools: [tool('fetch_account', '/a/{id}')] }), 'major', ['major tool renamed get_account fetch_account']],
    [
      'a new optional argument is minor, a new required one major',
      surface({ tools: [tool('t', '/t')] }),
      surface({ tools: [tool('t', '/t', { inputSchema: { properties: { id: { type: 'string' }, page: { type: 'integer' }, owner: { type: 'string' } }, required: ['id', 'owner'] } })] }),
      'major',
      ['major tool input t new required argument "owner"', 'minor tool input t new optional argument "page"'],
    ],
    [
      'a widened argument type is minor, a narrowed one major',
      surface({ tools: [tool('t', '/t', { inputSchema: { properties: { a: { type: 'integer' }, b: { type: 'number' } } } })] }),
      surface({ tools: [tool('t', '/t', { inputSchema: { properties: { a: { type: 'number' }, b: { type: 'integer' } } } })] }),
      'major',
      ['major tool input t argument "b" changed type from number to integer', 'minor tool input t argument "a" now accepts number (was integer)'],
    ],
    [
      'an enum value removed is major, one added minor',
      surface({ tools: [tool('t', '/t', { inputSchema: { properties: { s: { type: 'string', enum: ['open', 'closed'] } } } })] }),
      surface({ tools: [tool('t', '/t', { inputSchema: { properties: { s: { type: 'string', enum: ['open', 'frozen'] } } } })] }),
      'major',
      ['major tool input t argument "s" no longer accepts "closed"', 'minor tool input t argument "s" also accepts "frozen"'],
    ],
    [
      'output fields: removed major, added minor, nested paths named',
      surface({ tools: [tool('t', '/t', { outputSchema: account })] }),
      surface({ tools: [tool('t', '/t', { outputSchema: { type: 'object', properties: { id: { type: 'string' }, owner: { type: 'object', properties: { email: { type: 'string' } } }, labels: { type: 'array' } } } })] }),
      'major',
      ['major tool output t output field "balance" was removed', 'major tool output t output field "owner.name" was removed', 'minor tool output t new output field "owner.email"', 'minor tool output t new output field "labels"'],
    ],
    [
      'a description or title change is a patch',
      surface({ tools: [tool('t', '/t', { description: 'Old', title: 'T' })] }),
      surface({ tools: [tool('t', '/t', { description: 'New', title: 'T' })] }),
      'patch',
      ['patch tool changed t description changed'],
    ],
    [
      'resources and templates: removed, renamed by operation, added, changed',
      surface({ resources: [resource('x://accounts', '/accounts'), resource('x://gone', '/gone')], resourceTemplates: [template('x://a/{id}', '/a/{id}')] }),
      surface({ resources: [resource('x://accounts', '/accounts', 'All accounts'), resource('x://new', '/new')], resourceTemplates: [template('x://account/{id}', '/a/{id}')] }),
      'major',
      ['major resource removed x://gone', 'major resource template renamed x://a/{id} x://account/{id}', 'minor resource added x://new', 'patch resource changed x://accounts description changed'],
    ],
    [
      'prompts: argument now required and removed are major, messages a patch',
      surface({ prompts: [prompt('review', [{ name: 'account', required: false }, { name: 'period', required: false }])] }),
      surface({ prompts: [prompt('review', [{ name: 'account', required: true }], 'Hi'), prompt('summary', [])] }),
      'major',
      ['major prompt input review argument "period" was removed', 'major prompt input review argument "account" is now required', 'minor prompt added summary', 'patch prompt changed review messages changed'],
    ],
  ] as const)('%s', (_label, before, after, bump, want) => {
    const changelog = diffMcpSurface(before, after);
    expect(changelog.bump).toBe(bump);
    expect(changelog.entries.map((e) => [e.level, e.area, e.kind, e.name, e.detail].filter(Boolean).join(' '))).toEqual(want);
    expect(changelog.counts.major + changelog.counts.minor + changelog.counts.patch).toBe(changelog.entries.length);
  });
});

describe('outputFieldChanges', () => {
  it.each([
    ['no schema either side', undefined, undefined, []],
    ['structured output added breaks nobody', undefined, account, [{ detail: 'now returns structured content (outputSchema added)', breaks: false }]],
    ['structured output removed breaks readers', account, undefined, [{ detail: 'no longer returns structured content (outputSchema removed)', breaks: true }]],
    [
      'a field that may now be null breaks readers; one that no longer can breaks nobody',
      { type: 'object', properties: { a: { type: 'string' }, b: { type: ['string', 'null'] } } },
      { type: 'object', properties: { a: { type: ['string', 'null'] }, b: { type: 'string' } } },
      [
        { detail: 'output field "a" changed type from string to string | null', breaks: true },
        { detail: 'output field "b" changed type from string | null to string', breaks: false },
      ],
    ],
    [
      'array items are followed',
      { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } },
      { type: 'array', items: { type: 'object', properties: {} } },
      [{ detail: 'output field "[].id" was removed', breaks: true }],
    ],
  ] as const)('%s', (_label, before, after, want) => {
    expect(outputFieldChanges(before, after)).toEqual(want);
  });
});

describe('changelogMarkdown', () => {
  it('groups entries under breaking changes, additions and other changes, with the bump', () => {
    const changelog = diffMcpSurface(
      surface({ tools: [tool('get_account', '/a/{id}', { description: 'x' }), tool('gone', '/gone')] }),
      surface({ tools: [tool('get_account', '/a/{id}', { description: 'y' }), tool('added', '/added')] }),
    );
    expect(changelogMarkdown(changelog, 'MCP surface changes')).toBe(
      [
        '# MCP surface changes',
        '',
        'Suggested version bump: **major** (1 breaking change, 1 addition, 1 other change).',
        '',
        '## Breaking changes',
        '',
        '- tool `gone` removed',
        '',
        '## Additions',
        '',
        '- tool `added` added',
        '',
        '## Other changes',
        '',
        '- tool `get_account`: description changed',
      ].join('\n'),
    );
  });

  it('says when nothing changed', () => {
    expect(changelogMarkdown(diffMcpSurface(surface({}), surface({})), 'T')).toBe('# T\n\nNo change to the MCP surface: no version bump needed.');
  });

  it('keeps a name with backticks or a line break inside its code span', () => {
    const changelog = diffMcpSurface(surface({}), surface({ resources: [resource('x://a`b\nc', '/a')] }));
    expect(changelogMarkdown(changelog, 'T')).toContain('- resource ``x://a`b c`` added');
  });
});
