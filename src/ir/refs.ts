import { parsePointer } from '../diagnostics/diagnostic.js';

/**
 * Follows a local `$ref` ("#/components/schemas/Pet") in the bundled document.
 * Returns undefined when the target does not exist; the caller reports it with
 * the pointer of the referring node.
 */
export function resolveLocalRef(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  // A $ref is a URI fragment, so it may be percent-encoded (RFC 6901 §6); pointers
  // made by mcpgen itself are not, and go through parsePointer as they are.
  let decoded = ref;
  try {
    decoded = decodeURI(ref);
  } catch {
    return undefined;
  }
  let node: unknown = document;
  for (const token of parsePointer(decoded)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

export function isRef(value: unknown): value is { $ref: string } {
  return value !== null && typeof value === 'object' && typeof (value as { $ref?: unknown }).$ref === 'string';
}
