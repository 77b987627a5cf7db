import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { isRef, resolveLocalRef } from './refs.js';

/** What IR builders share: the document, the file name and the diagnostics sink. */
export interface IrContext {
  readonly document: Record<string, unknown>;
  readonly file: string;
  readonly diagnostics: Diagnostic[];
}

/**
 * Follows `$ref` chains of a component (parameter, request body, response…) and
 * returns the object with the pointer it was found at. Reports a missing target.
 */
export function deref(ctx: IrContext, value: unknown, pointer: string): { value: Record<string, unknown>; pointer: string } | undefined {
  let current = value;
  let at = pointer;
  for (let hops = 0; isRef(current); hops++) {
    const ref = current.$ref;
    const target = hops < 32 ? resolveLocalRef(ctx.document, ref) : undefined;
    if (target === undefined) {
      ctx.diagnostics.push({
        code: 'MCPGEN_REF_NOT_FOUND',
        severity: 'error',
        file: ctx.file,
        pointer: at + '/$ref',
        message: hops < 32 ? `$ref "${ref}" points at nothing.` : `$ref chain through "${ref}" does not end.`,
        help: 'Fix the reference or add the missing component.',
      });
      return undefined;
    }
    current = target;
    at = ref;
  }
  if (current === null || typeof current !== 'object') return undefined;
  return { value: current as Record<string, unknown>, pointer: at };
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
