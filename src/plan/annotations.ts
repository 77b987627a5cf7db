import type { HttpMethod } from '../ir/types.js';
import type { ToolOverride } from '../config/schema.js';

export interface Annotations {
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

/**
 * Hints from HTTP method semantics (RFC 9110 §9.2): safe methods are read-only,
 * PUT and DELETE are idempotent, PUT/PATCH/DELETE may overwrite or remove data
 * (destructive), POST is taken as additive. Every tool reaches an external API,
 * so openWorldHint is true.
 */
const BY_METHOD: Record<HttpMethod, Omit<Annotations, 'openWorldHint'>> = {
  GET: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  HEAD: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  OPTIONS: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  TRACE: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  PUT: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  DELETE: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  PATCH: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
  POST: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
};

export function annotationsFor(method: HttpMethod, override?: ToolOverride['annotations']): Annotations {
  return { ...BY_METHOD[method], openWorldHint: true, ...override };
}

/**
 * A POST or PATCH the retry policy may repeat: the spec says so (`x-idempotent: true`) or the
 * mapping's annotations do (`idempotentHint: true`), the latter winning. Other methods are
 * idempotent or not by HTTP semantics alone, so nothing is recorded for them.
 */
export function declaredIdempotent(op: { readonly method: HttpMethod; readonly idempotent?: true }, override?: ToolOverride['annotations']): boolean {
  if (BY_METHOD[op.method].idempotentHint) return false;
  return override?.idempotentHint ?? op.idempotent === true;
}
