// Optional properties inside `anyOf` branches, published as nullable so OpenAI strict mode
// can take the tool. Strict mode makes every property required; the OpenAI Agents SDK makes
// an optional one nullable and strips the null again before the call, but it will not do that
// inside `anyOf` branches (it cannot tell which branch a value took), and refuses the tool.
// Published with `null` already allowed, such a property needs no stripping; the generated
// server treats that null as absent (templates/runtime/protocol/coerce.ts, with the pointers this
// returns), so what reaches the API is what it accepted before, and a client that leaves
// the property out is still valid. Done only where it makes the tool convert: a tool strict
// mode refuses for another reason keeps its schema as it was.
import type { JsonSchema } from './json-schema.js';
import { child, convertsProperties, isRecord, nullability, strictRefusalReasons } from './strict.js';

/** The SDK refuses schemas nested deeper than this; the walk stops there too. */
const MAX_DEPTH = 100;

export interface StrictNullable {
  readonly schema: JsonSchema;
  /** JSON pointers (into the schema with its `$defs` linked) of the properties made nullable. */
  readonly nullMeansAbsent: readonly string[];
}

/** `schema` (its `$defs` beside it) with the branch properties strict mode needs nullable, when that is all it needs. */
export function strictNullable(schema: JsonSchema, defs: Readonly<Record<string, JsonSchema>>): StrictNullable {
  const root: JsonSchema = Object.keys(defs).length ? { ...schema, $defs: defs } : schema;
  const pointers: string[] = [];
  const nullable = visit(schema, '', false, root, pointers, 1) as JsonSchema;
  if (pointers.length === 0 || strictRefusalReasons(nullable, { ...defs }).length > 0) return { schema, nullMeansAbsent: [] };
  return { schema: nullable, nullMeansAbsent: pointers };
}

/** The node with its optional branch properties nullable (copied where changed); `$ref` targets and open maps are left alone. */
function visit(node: unknown, path: string, inBranch: boolean, root: JsonSchema, pointers: string[], depth: number): unknown {
  if (!isRecord(node) || depth > MAX_DEPTH) return node;
  const out: JsonSchema = { ...node };
  if (Array.isArray(node.anyOf)) out.anyOf = node.anyOf.map((branch, index) => visit(branch, child(path, 'anyOf', index), true, root, pointers, depth + 1));
  if (isRecord(node.properties) && convertsProperties(node)) {
    const required = new Set(Array.isArray(node.required) ? node.required.map(String) : []);
    const properties: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(node.properties)) {
      const at = child(path, 'properties', name);
      const wrap = inBranch && !required.has(name) && nullability(property, root) === 'disallows';
      const form = wrap ? nullForm(property) : undefined;
      const inner = visit(property, form === 'wrap' ? child(at, 'anyOf', 0) : at, inBranch, root, pointers, depth + 1);
      if (form !== undefined) pointers.push(at);
      Object.defineProperty(properties, name, { value: form === undefined ? inner : withNull(inner as JsonSchema, form), enumerable: true, writable: true, configurable: true });
    }
    out.properties = properties;
  }
  if (Array.isArray(node.items)) out.items = node.items.map((item, index) => visit(item, child(path, 'items', index), inBranch, root, pointers, depth + 1));
  else if (node.items !== undefined) out.items = visit(node.items, child(path, 'items'), inBranch, root, pointers, depth + 1);
  return out;
}

type NullForm = 'type' | 'branch' | 'wrap';

/** How null is added: to the `type` list (and `enum`), as one more `anyOf` branch, or around the schema. */
function nullForm(schema: unknown): NullForm {
  if (!isRecord(schema) || '$ref' in schema || 'const' in schema) return 'wrap';
  if (Array.isArray(schema.anyOf)) return 'anyOf' in schema && !('type' in schema) && !('enum' in schema) ? 'branch' : 'wrap';
  const type = schema.type;
  if (typeof type === 'string' || (Array.isArray(type) && type.every((t) => typeof t === 'string'))) return 'type';
  return 'wrap';
}

function withNull(schema: JsonSchema, form: NullForm): JsonSchema {
  if (form === 'type') {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    return { ...schema, type: [...types, 'null'], ...(Array.isArray(schema.enum) ? { enum: [...schema.enum, null] } : {}) };
  }
  if (form === 'branch') return { ...schema, anyOf: [...(schema.anyOf as JsonSchema[]), { type: 'null' }] };
  const { description, ...rest } = schema;
  return { ...(description === undefined ? {} : { description }), anyOf: [rest, { type: 'null' }] };
}
