// Small, dependency-free helpers shared by the behaviour suites.
import { expect } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import type { Era } from './mcp.js';
import type { RecordedRequest, Upstream } from './upstream.js';

export type TransportKind = 'stdio' | 'http';
/** Every transport × era combination a generated server must serve. */
export const MATRIX: ReadonlyArray<readonly [TransportKind, Era]> = [
  ['stdio', 'legacy'],
  ['stdio', 'modern'],
  ['http', 'legacy'],
  ['http', 'modern'],
];

export type CallResult = Awaited<ReturnType<Client['callTool']>>;
export type ToolInfo = Awaited<ReturnType<Client['listTools']>>['tools'][number];

/** Asserts the upstream received exactly one request and returns it. */
export function onlyRequest(upstream: Upstream): RecordedRequest {
  expect(
    upstream.requests.map((r) => `${r.method} ${r.path}?${r.rawQuery}`),
    'the upstream must receive exactly one request',
  ).toHaveLength(1);
  return upstream.requests[0]!;
}

/** Query pairs stably sorted by name (the relative order of repeated names is kept). */
export function sortedQuery(req: RecordedRequest): Array<[string, string]> {
  return req.query.map(([k, v]) => [k, v] as [string, string]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Cookie header parsed into name → value (a repeated name keeps all values, joined by ','). */
export function cookies(req: RecordedRequest): Record<string, string> {
  const out: Record<string, string> = {};
  const header = req.headers['cookie'];
  if (header === undefined) return out;
  for (const part of header.split(';')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    const name = eq === -1 ? trimmed : trimmed.slice(0, eq);
    const value = eq === -1 ? '' : trimmed.slice(eq + 1);
    out[name] = name in out ? `${out[name]},${value}` : value;
  }
  return out;
}

/**
 * Every credential-bearing part of a request, keyed by where it was found; absent ones are left out.
 * Comparing with toEqual therefore also proves that nothing else was sent.
 */
export function credentials(
  req: RecordedRequest,
  spec: { headerKey?: string; queryKey?: string; cookieKey?: string } = {},
): Record<string, string> {
  const headerKey = (spec.headerKey ?? 'x-api-key').toLowerCase();
  const queryKey = spec.queryKey ?? 'api_key';
  const cookieKey = spec.cookieKey ?? 'session';
  const out: Record<string, string> = {};
  const h = req.headers[headerKey];
  if (h !== undefined) out[`header:${headerKey}`] = h;
  if (req.headers['authorization'] !== undefined) out['header:authorization'] = req.headers['authorization'];
  const q = req.query.filter(([k]) => k === queryKey).map(([, v]) => v);
  if (q.length > 0) out[`query:${queryKey}`] = q.join(',');
  const c = cookies(req)[cookieKey];
  if (c !== undefined) out[`cookie:${cookieKey}`] = c;
  return out;
}

/** Query pairs without the query API key (for operations whose auth may add one). */
export function queryWithout(req: RecordedRequest, name: string): Array<[string, string]> {
  return sortedQuery(req).filter(([k]) => k !== name);
}

/** Asserts the full observable tool result. */
export function expectResult(
  result: CallResult,
  expected: { content: unknown[]; structuredContent?: unknown; isError?: boolean },
): void {
  expect(result.content).toEqual(expected.content);
  expect(result.structuredContent).toEqual(expected.structuredContent);
  expect(result.isError ?? false).toBe(expected.isError ?? false);
}

/** The single text of a result (asserts there is exactly one text block). */
export function onlyText(result: CallResult): string {
  expect(result.content).toHaveLength(1);
  const block = result.content[0] as { type: string; text?: string };
  expect(block.type).toBe('text');
  return block.text ?? '';
}

type Schema = Record<string, unknown>;

/**
 * Follows local `$ref`s (`#/...`, e.g. into `$defs`) so assertions don't depend on
 * whether the compiler inlined or referenced sub-schemas. Bounded depth.
 */
export function deref(schema: unknown, root: unknown): Schema {
  let current = schema;
  for (let i = 0; i < 16; i++) {
    if (typeof current !== 'object' || current === null) break;
    const ref = (current as Schema)['$ref'];
    if (typeof ref !== 'string' || !ref.startsWith('#')) break;
    let target: unknown = root;
    for (const raw of ref.slice(1).split('/').filter((s) => s !== '')) {
      const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      target = typeof target === 'object' && target !== null ? (target as Schema)[key] : undefined;
    }
    current = target;
  }
  expect(current, 'schema must resolve to an object').toBeTypeOf('object');
  return current as Schema;
}

/** The (dereferenced) schema of a property, walking a path of property names from `schema`. */
export function prop(root: unknown, ...path: string[]): Schema {
  let current = deref(root, root);
  for (const name of path) {
    const props = current['properties'] as Record<string, unknown> | undefined;
    expect(props, `schema has properties (looking for "${name}")`).toBeTypeOf('object');
    expect(Object.keys(props!), `property "${name}"`).toContain(name);
    current = deref(props![name], root);
  }
  return current;
}

/** Sorted `required` list of a (dereferenced) object schema ([] when absent). */
export function requiredOf(schema: Schema): string[] {
  return [...((schema['required'] as string[] | undefined) ?? [])].sort();
}

/** Sorted property names of a (dereferenced) object schema. */
export function propertyNames(schema: Schema): string[] {
  return Object.keys((schema['properties'] as Record<string, unknown> | undefined) ?? {}).sort();
}

/** True when a JSON schema admits `null` (type array, `nullable`, or an anyOf/oneOf branch). */
export function admitsNull(schema: Schema, root: unknown): boolean {
  const type = schema['type'];
  if (type === 'null' || (Array.isArray(type) && type.includes('null'))) return true;
  if (schema['nullable'] === true) return true;
  for (const key of ['anyOf', 'oneOf']) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.some((b) => admitsNull(deref(b, root), root))) return true;
  }
  return false;
}

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
