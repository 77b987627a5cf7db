// Per-caller permissions: the OAuth scopes a caller's token needs to see and call each tool
// (config "scopes": [{ "select": <selector>, "require": [...] }]). Every matching rule
// applies, so a rule can only add requirements; the runtime enforces them when inbound
// auth is on (templates/runtime/scopes.ts).

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

/** Operation → its required scopes, sorted (empty: any caller). */
export function planToolScopes(input: ScopeInput, diagnostics: Diagnostic[]): (op: OperationNode) => string[] {
  const rules = input.server.scopes.map((rule, index) => ({ rule, index, test: compileSelector(rule.select) }));
  const pointer = (index: number) => `#/servers/${input.serverIndex}/scopes/${index}/select`;
  for (const { rule, index, test } of rules) {
    if (!input.tools.some(test)) {
      diagnostics.push({
        code: 'MCPGEN_SELECTOR_UNMATCHED',
        severity: 'error',
        file: input.configFile,
        pointer: pointer(index),
        message: `Scope rule selector "${rule.select}" matches no tool.`,
        help: 'Selectors are an operationId, "METHOD /path" (with * globs) or "tag:NAME", of an operation that becomes a tool.',
      });
    }
    // Resources are read by any caller: a scope on a tool whose operation is also a resource
    // would be a door left open.
    for (const op of input.resources.filter(test)) {
      diagnostics.push({
        code: 'MCPGEN_SCOPED_RESOURCE',
        severity: 'warning',
        file: input.configFile,
        pointer: pointer(index),
        message: `Scope rule "${rule.select}" covers ${op.method} ${op.path}, which is also a resource: resources are not scope-checked, so any caller can read it.`,
        help: 'Make the operation a tool only with a resources rule { "select": …, "as": "tool" }, or leave it out of the scope rule.',
      });
    }
  }
  return (op) => [...new Set(rules.filter((r) => r.test(op)).flatMap((r) => r.rule.require))].sort();
}
