// Prompt templates compiled at generation time: messages and segments, and the
// diagnostics that stop a prompt from rotting when the spec changes.
import { describe, expect, it } from 'vitest';
import type { ResolvedServerConfig } from '../../src/config/schema.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { planPrompts } from '../../src/plan/prompts.js';

const references = { tools: new Set(['list_accounts', 'get_account']), resources: new Set(['ledger://accounts', 'ledger://logo']) };

function plan(source: string, args: { name: string; required: boolean; enum?: string[] }[] = []) {
  const server = {
    prompts: [{ name: 'p', template: 'p.hbs', arguments: args }],
    promptSources: new Map([['p', { source, display: 'templates/prompts/p.hbs' }]]),
  } as unknown as ResolvedServerConfig;
  const diagnostics: Diagnostic[] = [];
  const prompts = planPrompts(server, 0, references, diagnostics);
  return { messages: prompts[0]?.messages, diagnostics };
}

describe('planPrompts', () => {
  it('compiles text, arguments and role blocks into message segments', () => {
    const { messages, diagnostics } = plan('Review {{account}}.\n{{#assistant}}Using {{tool "get_account"}}.{{/assistant}}', [{ name: 'account', required: true }]);
    expect(diagnostics).toEqual([]);
    expect(messages).toEqual([
      { role: 'user', segments: [{ text: 'Review ' }, { arg: 'account' }, { text: '.' }] },
      { role: 'assistant', segments: [{ text: 'Using get_account.' }] },
    ]);
  });

  it('embeds a resource as it is, and an image resource as an image', () => {
    const { messages, diagnostics } = plan('{{resource "ledger://accounts"}}{{image "ledger://logo"}}Describe both.');
    expect(diagnostics).toEqual([]);
    expect(messages).toEqual([
      { role: 'user', resource: 'ledger://accounts' },
      { role: 'user', image: 'ledger://logo' },
      { role: 'user', segments: [{ text: 'Describe both.' }] },
    ]);
  });

  it.each([
    ['a tool that does not exist', 'Use {{tool "get_acount"}}.', 'names tool "get_acount", which does not exist', 'Did you mean "get_account"?'],
    ['a resource that does not exist', '{{resource "ledger://acounts"}}', 'embeds resource "ledger://acounts", which does not exist', 'Did you mean "ledger://accounts"?'],
    ['an image that does not exist', 'x\n  {{image "ledger://logos"}}', 'embeds resource "ledger://logos", which does not exist', 'Did you mean "ledger://logo"?'],
    ['an argument that is not declared', 'Hello {{acount}}', 'uses {{acount}}, which is not one of its arguments', 'Did you mean "account"?'],
  ])('fails generation on %s, at the template line, with a hint', (_label, source, message, help) => {
    const { messages, diagnostics } = plan(source, [{ name: 'account', required: false }]);
    expect(messages).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'MCPGEN_PROMPT_REFERENCE', severity: 'error', file: 'templates/prompts/p.hbs', help });
    expect(diagnostics[0]!.message).toContain(message);
    expect(diagnostics[0]!.line).toBe(source.split('\n').length);
  });

  it('refuses helpers it does not know and templates that do not parse', () => {
    expect(plan('{{#each items}}x{{/each}}').diagnostics.map((d) => d.code)).toEqual(['MCPGEN_PROMPT_TEMPLATE']);
    const broken = plan('line one\n{{#user}}unclosed');
    expect(broken.diagnostics).toEqual([expect.objectContaining({ code: 'MCPGEN_PROMPT_TEMPLATE', line: 2 })]);
  });
});
