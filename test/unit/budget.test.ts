// The token budget: o200k counts of exactly what tools/list sends, the dearest tools, and
// warnings at the client limits (40: Cursor; 128: VS Code and OpenAI).
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { listedToolJson, measureToolBudget } from '../../src/plan/budget.js';
import type { ToolDefinition } from '../../src/plan/types.js';

function tool(name: string, description: string, defs?: string[]): ToolDefinition {
  return {
    name,
    description,
    inputSchema: { type: 'object', properties: { id: { $ref: '#/$defs/Id' } } },
    ...(defs ? { defs } : {}),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    _meta: { 'mcpgen/operation': { method: 'GET', path: `/${name}` } },
    operation: { method: 'GET', path: `/${name}`, parameters: [], security: [], response: { structured: false } },
  };
}

const DEFINITIONS = { Id: { type: 'string', description: 'An identifier of quite some length to count.' } };

describe('measureToolBudget', () => {
  it('counts each tool as listed, shared $defs linked in', () => {
    const t = tool('get_thing', 'Gets a thing.', ['Id']);
    const listed = listedToolJson(t, DEFINITIONS);
    expect((listed['inputSchema'] as { $defs: unknown }).$defs).toEqual(DEFINITIONS);
    const budget = measureToolBudget([t], DEFINITIONS);
    expect(budget.top).toEqual([{ name: 'get_thing', tokens: countTokens(JSON.stringify(listed)) }]);
    expect(budget.listTokens).toBe(countTokens(JSON.stringify({ tools: [listed] })));
  });

  it('counts shortened descriptions as listed, and reports what the description budget saved', () => {
    const full = tool('get_thing', 'Gets a thing. '.repeat(30).trim());
    const short = { ...full, listedDescription: 'Gets a thing.' };
    const plain = measureToolBudget([full], {});
    const budget = measureToolBudget([short, tool('other', 'Other.')], {}, 40);
    expect(listedToolJson(short, {})['description']).toBe('Gets a thing.');
    expect(budget.descriptions).toEqual({ budget: 40, shortened: 1, savedTokens: countTokens(JSON.stringify(full.description)) - countTokens(JSON.stringify('Gets a thing.')) });
    expect(budget.top.find((t) => t.name === 'get_thing')!.tokens).toBe(plain.top[0]!.tokens - budget.descriptions!.savedTokens);
    expect(plain.descriptions).toBeUndefined();
  });

  it('counts the output schemas within the listing, and none when a tool has none', () => {
    const outputSchema = { type: 'object', properties: { id: { type: 'string' }, balance: { type: 'integer', description: 'Minor units.' } } };
    const withOutput = { ...tool('get_thing', 'Gets a thing.'), outputSchema };
    const budget = measureToolBudget([withOutput, tool('other', 'Other.')], {});
    expect(budget.outputSchemaTokens).toBe(countTokens(JSON.stringify(outputSchema)));
    expect(budget.outputSchemaTokens).toBeLessThan(budget.listTokens);
    expect(measureToolBudget([tool('other', 'Other.')], {}).outputSchemaTokens).toBe(0);
  });

  it('names the ten dearest tools, dearest first', () => {
    const tools = Array.from({ length: 12 }, (_, i) => tool(`tool_${i}`, 'word '.repeat(i * 10)));
    const budget = measureToolBudget(tools, {});
    expect(budget.top.map((t) => t.name)).toEqual(['tool_11', 'tool_10', 'tool_9', 'tool_8', 'tool_7', 'tool_6', 'tool_5', 'tool_4', 'tool_3', 'tool_2']);
  });

  it.each([
    [40, []],
    [41, [40]],
    [129, [40, 128]],
  ])('%i tools warn at limits %j', (count, limits) => {
    const budget = measureToolBudget(Array.from({ length: count }, (_, i) => tool(`t${i}`, 'x')), {});
    expect(budget.warnings.map((w) => w.limit)).toEqual(limits);
    for (const w of budget.warnings) expect(w.message).toContain(`more than ${w.limit}`);
  });
});
