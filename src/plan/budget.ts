// What a server's tools/list costs a model: tokens counted with the o200k_base encoding
// (GPT-4o and later; other vendors' tokenizers land within a few percent on JSON), over
// exactly the JSON the generated server sends (schemas with their shared $defs linked in).

import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { JsonSchema } from './json-schema.js';
import type { TokenBudget, ToolDefinition } from './types.js';

export type { BudgetWarning, TokenBudget, ToolCost } from './types.js';

/** Clients that cap the number of tools they pass to a model. */
export const CLIENT_TOOL_LIMITS = [
  { limit: 40, clients: 'Cursor', effect: 'sends only the first 40 tools to its model' },
  { limit: 128, clients: 'VS Code Copilot and the OpenAI API', effect: 'refuse requests with more than 128 tools' },
] as const;

/** A tool as tools/list publishes it (see templates/runtime/protocol/server.ts listedTool and linkDefinitions). */
export function listedToolJson(tool: ToolDefinition, definitions: Readonly<Record<string, JsonSchema>>): Record<string, unknown> {
  const inputSchema = tool.defs?.length ? { ...tool.inputSchema, $defs: Object.fromEntries(tool.defs.map((d) => [d, definitions[d]])) } : tool.inputSchema;
  return {
    name: tool.name,
    description: tool.listedDescription ?? tool.description,
    inputSchema,
    annotations: tool.annotations,
    _meta: tool._meta,
    ...(tool.title !== undefined ? { title: tool.title } : {}),
    ...(tool.outputSchema !== undefined ? { outputSchema: tool.outputSchema } : {}),
  };
}

export function countJsonTokens(value: unknown): number {
  return countTokens(JSON.stringify(value));
}

/**
 * The cost of listing every tool, the ten dearest tools and the client limits it passes; with
 * a descriptionBudget, what shortening the descriptions saved.
 */
export function measureToolBudget(tools: readonly ToolDefinition[], definitions: Readonly<Record<string, JsonSchema>>, descriptionBudget?: number): TokenBudget {
  const costs = tools.map((tool) => ({ name: tool.name, tokens: countJsonTokens(listedToolJson(tool, definitions)) }));
  // {"tools":[…]} adds a key, brackets and one comma per tool: counted, not tokenized again
  // (Graph's listing is tens of megabytes).
  const listTokens = costs.reduce((sum, cost) => sum + cost.tokens, 0) + countTokens('{"tools":[]}') + Math.max(0, costs.length - 1);
  const top = [...costs].sort((a, b) => b.tokens - a.tokens || (a.name < b.name ? -1 : 1)).slice(0, 10);
  const warnings = CLIENT_TOOL_LIMITS.filter((l) => tools.length > l.limit).map((l) => ({
    limit: l.limit,
    clients: l.clients,
    message: `${tools.length} tools is more than ${l.limit}: ${l.clients} ${l.effect}. Turn on discovery, select fewer operations, or choose toolsets, tools or read-only at run time (see the generated README).`,
  }));
  // Each schema's own tokens; the "outputSchema": key around it adds a few more per tool.
  const outputSchemaTokens = tools.reduce((sum, tool) => sum + (tool.outputSchema === undefined ? 0 : countJsonTokens(tool.outputSchema)), 0);
  const budget: TokenBudget = { encoding: 'o200k_base', tools: tools.length, listTokens, outputSchemaTokens, top, warnings };
  if (descriptionBudget === undefined) return budget;
  const shortened = tools.filter((tool) => tool.listedDescription !== undefined);
  // Only the description differs: the saving is the difference of the two descriptions' tokens.
  const savedTokens = shortened.reduce((sum, tool) => sum + countTokens(JSON.stringify(tool.description)) - countTokens(JSON.stringify(tool.listedDescription)), 0);
  return { ...budget, descriptions: { budget: descriptionBudget, shortened: shortened.length, savedTokens } };
}
