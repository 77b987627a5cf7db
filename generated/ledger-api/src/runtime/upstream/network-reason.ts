// Words for a failed fetch, shared by the upstream exchange (call.ts) and the token client.

// undici reports "fetch failed" and hides the useful part (ECONNREFUSED, ENOTFOUND,
// certificate errors, ...) in `cause`, sometimes nested in an AggregateError.
export function networkReason(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth += 1) {
    if (!(current instanceof Error)) break;
    const cause: unknown = (current as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) {
      current = cause;
      continue;
    }
    if (current instanceof AggregateError && current.errors[0] instanceof Error) {
      current = current.errors[0];
      continue;
    }
    break;
  }
  const text = current instanceof Error ? current.message : String(current);
  const code = current instanceof Error ? (current as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text;
}
