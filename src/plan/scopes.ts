// Per-caller permissions: the OAuth scopes a caller's token needs to see and call each tool,
// and to see and read each resource (config "scopes": [{ "select": <selector>, "require": [...] }]).
// Every matching rule applies, so a rule can only add requirements. A resource follows the rule
// of its operation, as the tool of the same operation does: a scope cannot be walked around by
// reading instead of calling. The runtime enforces them when inbound auth is on
// (templates/runtime/inbound/scopes.ts).

import type { ResolvedServerConfig } from '../config/schema.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { OperationNode } from '../ir/types.js';
import { compileSelector } from './select.js';

export interface ScopeInput {
  readonly server: ResolvedServerConfig;
  readonly serverIndex: number;
  readonly configFile: string;
  /** Operations that become tools. */
  readonly tools: readonly OperationNode[];
  /** Operations that are also served as resources or resource templates. */
  readonly resources: readonly OperationNode[];
}

/** Operation (of a tool, resource or resource template) → its required scopes, sorted (empty: any caller). */
export function planToolScopes(input: ScopeInput, diagnostics: Diagnostic[]): (op: OperationNode) => string[] {
  const rules = input.server.scopes.map((rule, index) => ({ rule, index, test: compileSelector(rule.select) }));
  const pointer = (index: number) => `#/servers/${input.serverIndex}/scopes/${index}/select`;
  for (const { rule, index, test } of rules) {
    if (!input.tools.some(test) && !input.resources.some(test)) {
      diagnostics.push({
        code: 'MCPGEN_SELECTOR_UNMATCHED',
        severity: 'error',
        file: input.configFile,
        pointer: pointer(index),
        message: `Scope rule selector "${rule.select}" matches no tool or resource.`,
        help: 'Selectors are an operationId, "METHOD /path" (with * globs) or "tag:NAME", of an operation that becomes a tool or a resource.',
      });
    }
  }
  return (op) => [...new Set(rules.filter((r) => r.test(op)).flatMap((r) => r.rule.require))].sort();
}
