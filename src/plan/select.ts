import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { OperationNode } from '../ir/types.js';
import { closestMatch } from './naming.js';

/** `"METHOD /path"` as users write it in selectors and override keys. */
export function operationKey(op: OperationNode): string {
  return `${op.method} ${op.path}`;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** Compiles one selector: an operationId, `"METHOD /path"` with `*` globs, or `"tag:NAME"`. */
export function compileSelector(selector: string): (op: OperationNode) => boolean {
  if (selector.startsWith('tag:')) {
    const tag = selector.slice(4);
    return (op) => op.tags.includes(tag);
  }
  const match = /^([A-Za-z*]+)\s+(\/.*)$/.exec(selector);
  if (match) {
    const method = globToRegExp(match[1]!.toUpperCase());
    const path = globToRegExp(match[2]!);
    return (op) => method.test(op.method) && path.test(op.path);
  }
  return (op) => op.operationId === selector;
}

function candidatesFor(selector: string, operations: readonly OperationNode[]): string[] {
  if (selector.startsWith('tag:')) return [...new Set(operations.flatMap((op) => op.tags.map((t) => `tag:${t}`)))];
  if (/^[A-Za-z*]+\s+\//.test(selector)) return operations.map(operationKey);
  return operations.flatMap((op) => (op.operationId ? [op.operationId] : []));
}

export interface SelectionInput {
  readonly include?: readonly string[];
  readonly exclude: readonly string[];
  /** Where the selectors live, for diagnostics (`#/servers/0`). */
  readonly configPointer: string;
  readonly configFile: string;
}

/** Applies include then exclude (exclude wins); a selector that matches nothing is an error. */
export function selectOperations(operations: readonly OperationNode[], input: SelectionInput): { selected: OperationNode[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const check = (list: readonly string[], field: 'include' | 'exclude') =>
    list.map((selector, index) => {
      const test = compileSelector(selector);
      if (!operations.some(test)) {
        const suggestion = closestMatch(selector, candidatesFor(selector, operations));
        diagnostics.push({
          code: 'MCPGEN_SELECTOR_UNMATCHED',
          severity: 'error',
          file: input.configFile,
          pointer: `${input.configPointer}/${field}/${index}`,
          message: `${field} selector "${selector}" matches no operation.`,
          help: suggestion ? `Did you mean "${suggestion}"?` : 'Selectors are an operationId, "METHOD /path" (with * globs) or "tag:NAME".',
        });
      }
      return test;
    });
  const includes = input.include ? check(input.include, 'include') : undefined;
  const excludes = check(input.exclude, 'exclude');
  const selected = operations.filter((op) => (!includes || includes.some((t) => t(op))) && !excludes.some((t) => t(op)));
  return { selected, diagnostics };
}
