/**
 * For an API too large to list whole (more tokens than the discovery budget, or more tools
 * than clients accept), the tags that cover the most operations and, taken together, still
 * fit: a starting point for `include`. Operations without tags (Stripe tags none) are grouped
 * by the first path segment after any version prefix (`* /v1/customers*`). Pure.
 */
import { CLIENT_TOOL_LIMITS, countJsonTokens, listedToolJson } from '../plan/budget.js';
import type { ServerPlan } from '../plan/types.js';

export interface GroupSize {
  /** The include selector of the group: `tag:NAME` or `* /prefix*`. */
  readonly selector: string;
  readonly tools: number;
  readonly tokens: number;
}

export interface IncludeSuggestion {
  /** Why the API counts as large, in words. */
  readonly reason: string;
  /** The largest groups, most tools first (at most TOP_GROUPS). */
  readonly groups: readonly GroupSize[];
  /** Selectors that fit both limits together (empty when no single group does). */
  readonly include: readonly string[];
  readonly includeTools: number;
  readonly includeTokens: number;
}

const TOP_GROUPS = 10;
/** The strictest limit a client enforces (VS Code Copilot, the OpenAI API). */
const MAX_TOOLS = Math.max(...CLIENT_TOOL_LIMITS.map((l) => l.limit));

/** `* /v1/customers*` for `/v1/customers/{customer}/sources`: the prefix up to the first segment that is not a version. */
export function pathSelector(path: string): string {
  const segments = path.split('/').filter(Boolean);
  const index = segments.findIndex((s) => !/^(v\d+(\.\d+)*|api)$/i.test(s) && !s.includes('{'));
  const prefix = index === -1 ? segments : segments.slice(0, index + 1);
  return `* /${prefix.join('/')}*`;
}

export function suggestInclude(plan: ServerPlan, tokenBudget: number): IncludeSuggestion | undefined {
  const { listTokens, tools } = plan.budget;
  if (listTokens <= tokenBudget && tools <= MAX_TOOLS) return undefined;
  const reason = [
    ...(tools > MAX_TOOLS ? [`${tools} tools is more than the ${MAX_TOOLS} some clients accept`] : []),
    ...(listTokens > tokenBudget ? [`listing every tool costs ${listTokens} tokens, more than the discovery budget of ${tokenBudget}`] : []),
  ].join('; ');
  const cost = new Map(plan.tools.map((t) => [t.definition.name, countJsonTokens(listedToolJson(t.definition, plan.definitions))]));
  const byGroup = new Map<string, string[]>();
  for (const tool of plan.tools) {
    const selectors = tool.tags.length ? new Set(tool.tags.map((t) => `tag:${t}`)) : [pathSelector(tool.definition.operation.path)];
    for (const selector of selectors) byGroup.set(selector, [...(byGroup.get(selector) ?? []), tool.definition.name]);
  }
  const tokensOf = (names: Iterable<string>) => [...names].reduce((sum, name) => sum + (cost.get(name) ?? 0), 0);
  const ranked = [...byGroup.entries()]
    .map(([selector, names]) => ({ selector, names, tools: names.length, tokens: tokensOf(names) }))
    .sort((a, b) => b.tools - a.tools || a.tokens - b.tokens || a.selector.localeCompare(b.selector, 'en'));
  // Greedy, largest group first: a group joins when the union still fits both limits.
  const chosen = new Set<string>();
  const include: string[] = [];
  for (const group of ranked) {
    const union = new Set([...chosen, ...group.names]);
    if (union.size === chosen.size || union.size > MAX_TOOLS || tokensOf(union) > tokenBudget) continue;
    for (const name of group.names) chosen.add(name);
    include.push(group.selector);
  }
  return {
    reason,
    groups: ranked.slice(0, TOP_GROUPS).map(({ selector, tools: count, tokens }) => ({ selector, tools: count, tokens })),
    include,
    includeTools: chosen.size,
    includeTokens: tokensOf(chosen),
  };
}
