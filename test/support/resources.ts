// Helpers for the resource, template, completion and prompt behaviour suites.
// They derive expectations from the inputs (the OpenAPI spec, the prompt template
// files) independently of the compiler, so the suites compare against the source
// of truth rather than against the compiler's own output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT, type Era } from './mcp.js';

/**
 * The resource-not-found code on the wire. 2025-11-25 recommended -32002; SEP-2164
 * standardised -32602, and the SDK sends -32602 to clients of both eras.
 */
export function resourceNotFoundCode(_era: Era): number {
  return -32602;
}

export interface RpcError {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

/** Awaits a request that must fail with a JSON-RPC error and returns its code/message/data. */
export async function rpcError(promise: Promise<unknown>): Promise<RpcError> {
  let result: unknown;
  try {
    result = await promise;
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown; data?: unknown };
    if (typeof e.code !== 'number') throw new Error(`expected a JSON-RPC error, got ${String(error)}`);
    return { code: e.code, message: String(e.message), data: e.data };
  }
  throw new Error(`expected a JSON-RPC error, got a result: ${JSON.stringify(result)}`);
}

// ---------------------------------------------------------------------------
// The spec, read directly: which operations are GETs, and what they require.
// ---------------------------------------------------------------------------

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Obj = Record<string, unknown>;

export interface SpecOperation {
  readonly method: string;
  readonly path: string;
  readonly operationId?: string;
  readonly summary?: string;
  readonly description?: string;
  /** Required parameters as `in:name` (path-level and operation-level, refs resolved). */
  readonly required: readonly string[];
}

function resolveRef(root: Obj, value: unknown): Obj {
  let current = value as Obj;
  for (let i = 0; i < 16 && typeof current?.['$ref'] === 'string'; i++) {
    const ref = current['$ref'] as string;
    let target: unknown = root;
    for (const part of ref.replace(/^#\//, '').split('/')) target = (target as Obj)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    current = target as Obj;
  }
  return current;
}

/** Every operation of a YAML/JSON spec under the repository root. */
export function specOperations(specPath: string): SpecOperation[] {
  const root = parse(readFileSync(join(REPO_ROOT, specPath), 'utf8')) as Obj;
  const out: SpecOperation[] = [];
  for (const [path, rawItem] of Object.entries(root['paths'] as Obj)) {
    const item = resolveRef(root, rawItem);
    const shared = ((item['parameters'] as unknown[] | undefined) ?? []).map((p) => resolveRef(root, p));
    for (const method of METHODS) {
      const op = item[method] as Obj | undefined;
      if (!op) continue;
      const own = ((op['parameters'] as unknown[] | undefined) ?? []).map((p) => resolveRef(root, p));
      const byKey = new Map<string, Obj>();
      for (const p of [...shared, ...own]) byKey.set(`${String(p['in'])}:${String(p['name'])}`, p);
      const required = [...byKey.entries()].filter(([, p]) => p['required'] === true).map(([key]) => key);
      out.push({
        method: method.toUpperCase(),
        path,
        ...(typeof op['operationId'] === 'string' ? { operationId: op['operationId'] } : {}),
        ...(typeof op['summary'] === 'string' ? { summary: op['summary'] } : {}),
        ...(typeof op['description'] === 'string' ? { description: op['description'] } : {}),
        required,
      });
    }
  }
  return out;
}

/** The default: a GET whose required parameters are all (and at least one) path parameters. */
export function isDefaultTemplate(op: SpecOperation): boolean {
  return op.method === 'GET' && op.required.length > 0 && op.required.every((r) => r.startsWith('path:'));
}

// ---------------------------------------------------------------------------
// Prompt templates, rendered by a deliberately tiny reference renderer.
// ---------------------------------------------------------------------------

/**
 * The text of the `{{#role}}…{{/role}}` blocks of a prompt template file, in order,
 * with `{{tool "x"}}` → `x` and `{{arg}}` → the argument value (missing → ''),
 * trimmed. Enough for the repository's own templates, nothing more.
 */
export function renderRoleBlocks(templateFile: string, args: Record<string, string>): Array<{ role: string; text: string }> {
  const source = readFileSync(join(REPO_ROOT, 'templates', 'prompts', templateFile), 'utf8');
  const blocks: Array<{ role: string; text: string }> = [];
  for (const match of source.matchAll(/\{\{#(user|assistant)\}\}([\s\S]*?)\{\{\/\1\}\}/g)) {
    // One pass over the source: substituted values are never re-read as template syntax.
    const text = match[2]!.replace(/\{\{\s*(?:tool\s+"([^"]+)"|([A-Za-z_][\w]*))\s*\}\}/g, (_all, tool: string | undefined, arg: string | undefined) =>
      tool !== undefined ? tool : (args[arg!] ?? ''),
    );
    blocks.push({ role: match[1]!, text: text.trim() });
  }
  return blocks;
}

// ---------------------------------------------------------------------------
// Wire tap: the SDK client rebuilds a resource-not-found error as
// ResourceNotFoundError (code -32602) whatever code was on the wire, so the
// code the server actually sent is read from the raw JSON-RPC message.
// ---------------------------------------------------------------------------

export interface WireMessage {
  readonly id?: unknown;
  readonly result?: unknown;
  readonly error?: { code: number; message: string; data?: unknown };
}

type Handler = (message: unknown, extra?: unknown) => void;
type Tappable = { onmessage?: Handler; [ORIGINAL]?: Handler };
const ORIGINAL = Symbol('mcpgen-test-original-onmessage');

/**
 * Records every JSON-RPC message the client's transport delivers (as parsed from the
 * wire, before the SDK's era codec sees it). Observation only: each message is still
 * handed on unchanged.
 */
export function tapIncoming(client: { transport?: unknown }): WireMessage[] {
  const transport = client.transport as Tappable | undefined;
  if (!transport?.onmessage) throw new Error('the client is not connected');
  if (transport[ORIGINAL]) throw new Error('the client transport is already tapped');
  const seen: WireMessage[] = [];
  const forward = transport.onmessage;
  transport[ORIGINAL] = forward;
  transport.onmessage = (message, extra) => {
    seen.push(JSON.parse(JSON.stringify(message)) as WireMessage);
    forward.call(transport, message, extra);
  };
  return seen;
}

/** The single error response among the tapped messages. */
export function onlyWireError(seen: readonly WireMessage[]): { code: number; message: string; data?: unknown } {
  const errors = seen.filter((m) => m.error !== undefined);
  if (errors.length !== 1) throw new Error(`expected exactly one error response on the wire, saw ${JSON.stringify(seen)}`);
  return errors[0]!.error!;
}

/** Undoes tapIncoming (restores the transport's original handler). */
export function untap(client: { transport?: unknown }): void {
  const transport = client.transport as Tappable | undefined;
  const original = transport?.[ORIGINAL];
  if (transport && original) {
    transport.onmessage = original;
    delete transport[ORIGINAL];
  }
}
