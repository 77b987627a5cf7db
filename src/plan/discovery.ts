// Whether a server starts in discovery mode, which tools stay listed in it, and the
// toolsets (one per tag) that run-time filters and search_tools' tag refer to.

import type { ResolvedServerConfig } from '../config/schema.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { TokenBudget } from './budget.js';
import { toSlug } from './naming.js';
import type { DiscoveryPlan, ToolPlan } from './types.js';

export type { DiscoveryPlan } from './types.js';


export function planDiscovery(server: ResolvedServerConfig, serverIndex: number, configFile: string, tools: readonly ToolPlan[], budget: TokenBudget, diagnostics: Diagnostic[]): DiscoveryPlan {
  const names = new Set(tools.map((t) => t.definition.name));
  const pinned: string[] = [];
  server.pinnedTools.forEach((name, index) => {
    if (names.has(name)) pinned.push(name);
    else
      diagnostics.push({
        code: 'MCPGEN_PINNED_TOOL_UNKNOWN',
        severity: 'error',
        file: configFile,
        pointer: `#/servers/${serverIndex}/pinnedTools/${index}`,
        message: `Pinned tool "${name}" is not a tool of server "${server.name}".`,
        help: 'Use a tool name as generated (see the README\'s tool table or `mcpgen generate --json`).',
      });
  });
  const over = budget.listTokens > server.discoveryTokenBudget;
  const enabled = server.discovery === 'on' || (server.discovery === 'auto' && over);
  const reason =
    server.discovery === 'auto'
      ? `auto: listing every tool costs ${budget.listTokens} tokens, ${over ? 'more' : 'not more'} than the budget of ${server.discoveryTokenBudget}`
      : `"discovery": "${server.discovery}" in the config`;
  return { mode: server.discovery, enabled, reason, pinned };
}

/** Toolset slug → tool names, one toolset per tag (tools without tags are in "default"); sorted. */
export function planToolsets(tools: readonly ToolPlan[]): Record<string, string[]> {
  const sets = new Map<string, string[]>();
  for (const tool of tools) {
    const slugs = new Set((tool.tags.length ? tool.tags : ['default']).map(toSlug));
    for (const slug of slugs) sets.set(slug, [...(sets.get(slug) ?? []), tool.definition.name]);
  }
  return Object.fromEntries([...sets.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).map((slug) => [slug, sets.get(slug)!]));
}
