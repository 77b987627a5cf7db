import { createHash } from 'node:crypto';

export const MAX_TOOL_NAME = 64;

/** `listAccounts` → `list_accounts`, `getHTTPStatus` → `get_http_status`, `v2/foo-bar` → `v2_foo_bar`. */
export function toSnakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/** The tool name an operation gets before collisions and length are handled. */
export function toolNameFromOperation(method: string, path: string, operationId?: string): string {
  const base = operationId ? toSnakeCase(operationId) : toSnakeCase(`${method.toLowerCase()} ${path.replace(/[{}]/g, '')}`);
  const name = base === '' ? method.toLowerCase() : base;
  return /^[A-Za-z]/.test(name) ? name : `op_${name}`;
}

/** Deterministic shortening: a prefix plus a hash of the full name, so two long names stay distinct. */
export function shortenName(name: string, max = MAX_TOOL_NAME): string {
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, max - 9).replace(/_+$/, '')}_${hash}`;
}

/** Claude Code shows a tool as `mcp__<server>__<tool>`, and clients cap names at 64 characters. */
const CLIENT_PREFIX = (server: string): string => `mcp__${server}__`;

/** No default budget goes below this: shorter names stop saying what the tool does. */
export const MIN_TOOL_NAME_BUDGET = 32;

/**
 * Longest tool name mcpgen makes for a server: the configured budget, else what still fits
 * `mcp__<server>__<tool>` in 64 characters (the server as clients name it: the package name
 * without its npm scope), never below MIN_TOOL_NAME_BUDGET.
 */
export function toolNameBudget(serverName: string, configured?: number): number {
  if (configured !== undefined) return configured;
  const unscoped = serverName.replace(/^@[^/]*\//, '');
  return Math.max(MIN_TOOL_NAME_BUDGET, Math.min(MAX_TOOL_NAME, MAX_TOOL_NAME - CLIENT_PREFIX(unscoped).length));
}

/** `list_accounts` → `List accounts`; a shortened name's hash suffix is left out. */
export function titleFromName(name: string): string {
  const words = name.replace(/_[0-9a-f]{8}$/, '').split('_').filter((word) => word !== '');
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const TOOL_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Upper snake case for environment variables: `ledger-api` → `LEDGER_API`, `apiKey` → `API_KEY`. */
export function toEnvName(text: string): string {
  return toSnakeCase(text).toUpperCase();
}

/** Server name → env prefix: upper-cased, every other character as `_` (`ledger-api` → `LEDGER_API`). */
export function envPrefix(serverName: string): string {
  return serverName.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** Argument names clients accept everywhere: `[A-Za-z0-9_.-]{1,64}`. */
export function toArgumentName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64);
  return cleaned === '' ? '_' : cleaned;
}

/** A file-name slug for a tag: lower-case kebab. */
export function toSlug(text: string): string {
  const slug = toSnakeCase(text).replace(/_/g, '-');
  // tools/index.ts aggregates the groups, so no group may be called index.
  return slug === '' ? 'default' : slug === 'index' ? 'index-tools' : slug;
}

/** Levenshtein distance, for did-you-mean hints. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

export function closestMatch(target: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(target.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(3, Math.floor(target.length / 2)) ? best : undefined;
}
