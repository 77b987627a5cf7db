// Which tools OpenAI strict mode cannot take, and why. The rules are those the OpenAI Agents
// SDK applies when it converts an MCP tool with `convertSchemasToStrict` (its
// utils/strictToolSchema: the keywords strict mode has no place for, `$ref` and `anyOf`
// with constraining siblings, open objects, `anyOf` branches with optional properties it
// would have to strip nulls from); a refused tool still works, as a non-strict tool. The
// rewrites that keep the accepted values (portable.ts) and the nullable branch properties
// whose null the server drops (strict-nullable.ts) have already run: what is left would
// change what the API accepts. The client matrix checks the count against the SDK.
import type { JsonSchema } from './json-schema.js';
import type { StrictRefusal, StrictReport, ToolDefinition } from './types.js';

/** Reasons kept per tool: enough to see the pattern. */
const MAX_REASONS = 3;
/** The SDK refuses schemas nested deeper than this. */
const MAX_DEPTH = 100;

/** Keywords strict mode has no place for. */
const UNSUPPORTED = [
  '$dynamicRef', '$recursiveRef', 'additionalItems', 'allOf', 'contains', 'contentSchema', 'dependencies', 'dependentRequired',
  'dependentSchemas', 'else', 'if', 'maxContains', 'minContains', 'not', 'oneOf', 'patternProperties', 'prefixItems',
  'propertyNames', 'then', 'unevaluatedItems', 'unevaluatedProperties',
];
/** Keywords that may stand beside `$ref` (and, with `anyOf` itself, beside `anyOf`). */
const METADATA = new Set(['$anchor', '$comment', '$defs', '$id', '$ref', '$schema', 'default', 'deprecated', 'description', 'definitions', 'examples', 'readOnly', 'title', 'writeOnly']);

export type Nullability = 'allows' | 'disallows' | 'unknown';

export function strictReport(tools: readonly ToolDefinition[], definitions: Readonly<Record<string, JsonSchema>>): StrictReport {
  const refused: StrictRefusal[] = [];
  for (const tool of tools) {
    const reasons = strictRefusalReasons(tool.inputSchema, pick(definitions, tool.defs ?? []));
    if (reasons.length) refused.push({ tool: tool.name, reasons: reasons.slice(0, MAX_REASONS) });
  }
  return { convertible: tools.length - refused.length, tools: tools.length, refused };
}

function pick(definitions: Readonly<Record<string, JsonSchema>>, names: readonly string[]): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const name of names) if (Object.hasOwn(definitions, name)) Object.defineProperty(out, name, { value: definitions[name], enumerable: true });
  return out;
}

/** Every reason (deduplicated, in schema order) the schema cannot convert; empty when it can. */
export function strictRefusalReasons(inputSchema: JsonSchema, defs: Record<string, JsonSchema> = {}): string[] {
  // What the SDK converts: the schema with the definitions linked in, an object root.
  const root: JsonSchema = {
    ...inputSchema,
    ...(Object.keys(defs).length ? { $defs: { ...((inputSchema.$defs as Record<string, JsonSchema> | undefined) ?? {}), ...defs } } : {}),
    type: inputSchema.type ?? 'object',
    properties: inputSchema.properties ?? {},
    required: inputSchema.required ?? [],
  };
  if (Object.keys(inputSchema).length === 0) root.additionalProperties = false;
  const reasons = new Set<string>();
  if (nestingDepth(root) > MAX_DEPTH) reasons.add(`nested deeper than ${MAX_DEPTH} levels of JSON`);
  walk(root, '', root, new Set(), 1, (reason) => reasons.add(reason));
  return [...reasons];
}

/** How deep objects and arrays nest in the JSON text (each `properties` map is a level too). */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth);
    if (depth > MAX_DEPTH) break;
    for (const inner of Object.values(current)) pending.push([inner, depth + 1]);
  }
  return deepest;
}

export const isRecord = (value: unknown): value is JsonSchema => typeof value === 'object' && value !== null && !Array.isArray(value);
const at = (path: string) => (path === '' ? 'the root' : path);
export const child = (path: string, ...segments: (string | number)[]) => path + segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

function walk(node: unknown, path: string, root: JsonSchema, seen: Set<object>, depth: number, refuse: (reason: string) => void): void {
  if (typeof node === 'boolean') return;
  if (!isRecord(node)) return refuse(`a schema that is not an object at ${at(path)}`);
  if (seen.has(node)) return;
  if (depth > MAX_DEPTH) return refuse(`nested deeper than ${MAX_DEPTH} levels at ${at(path)}`);
  seen.add(node);
  if (node !== root && '$id' in node) refuse(`a nested \`$id\` at ${at(path)}`);
  for (const keyword of UNSUPPORTED) if (keyword in node) refuse(`\`${keyword}\` at ${at(path)}`);
  if ('$ref' in node) {
    const sibling = Object.keys(node).find((key) => !METADATA.has(key));
    if (sibling) refuse(`\`$ref\` beside \`${sibling}\` at ${at(path)}`);
    const target = resolve(node.$ref, root);
    if (target === undefined) refuse(`an unresolved \`$ref\` at ${at(path)}`);
    else walk(target, path, root, seen, depth + 1, refuse);
  }
  if ('anyOf' in node) {
    const branches = node.anyOf;
    if (!Array.isArray(branches) || branches.length === 0) refuse(`an empty \`anyOf\` at ${at(path)}`);
    else {
      const sibling = Object.keys(node).find((key) => key !== 'anyOf' && !METADATA.has(key));
      if (sibling) refuse(`\`anyOf\` beside \`${sibling}\` at ${at(path)}`);
      branches.forEach((branch, index) => walk(branch, child(path, 'anyOf', index), root, seen, depth + 1, refuse));
      branches.forEach((branch, index) => {
        if (hasOptionalNonNullable(branch, root, new Set(), depth + 1)) refuse(`an \`anyOf\` branch with optional properties at ${child(path, 'anyOf', index)}`);
      });
    }
  }
  const properties = isRecord(node.properties) ? node.properties : undefined;
  const objectType = node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object'));
  const declared = properties !== undefined && Object.keys(properties).length > 0;
  if (objectType && node.additionalProperties !== false && (!declared || 'additionalProperties' in node)) {
    refuse(isRecord(node.additionalProperties) || node.additionalProperties === true ? `an open map at ${at(path)}` : `an object with no declared properties at ${at(path)}`);
  }
  if (node.type === undefined && (properties !== undefined || 'additionalProperties' in node) && node.additionalProperties !== false) {
    refuse(`an object without \`type\` at ${at(path)}`);
  }
  if (properties && convertsProperties(node)) {
    const required = new Set(Array.isArray(node.required) ? node.required.map(String) : []);
    for (const [name, property] of Object.entries(properties)) {
      walk(property, child(path, 'properties', name), root, seen, depth + 1, refuse);
      if (!required.has(name) && nullability(property, root, new Set(), depth + 1) === 'unknown') {
        refuse(`an optional property whose null-ness cannot be told at ${child(path, 'properties', name)}`);
      }
    }
  }
  if (Array.isArray(node.items)) node.items.forEach((item, index) => walk(item, child(path, 'items', index), root, seen, depth + 1, refuse));
  else if (node.items !== undefined) walk(node.items, child(path, 'items'), root, seen, depth + 1, refuse);
  if (isRecord(node.additionalProperties)) walk(node.additionalProperties, child(path, 'additionalProperties'), root, seen, depth + 1, refuse);
  for (const key of ['$defs', 'definitions']) {
    const map = node[key];
    if (isRecord(map)) for (const [name, definition] of Object.entries(map)) walk(definition, child(path, key, name), root, seen, depth + 1, refuse);
  }
}

export function convertsProperties(node: JsonSchema): boolean {
  return isRecord(node.properties) && (node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object')) || node.type === undefined);
}

function resolve(ref: unknown, root: JsonSchema): unknown {
  if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined;
  if (ref === '#') return root;
  let current: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isRecord(current) && !Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Whether a schema accepts null, as the SDK decides it (it strips nulls it added for optional properties). */
export function nullability(schema: unknown, root: JsonSchema, refs: Set<string> = new Set(), depth = 1): Nullability {
  if (depth > MAX_DEPTH) return 'unknown';
  if (schema === true) return 'allows';
  if (schema === false) return 'disallows';
  if (!isRecord(schema)) return 'unknown';
  if ('type' in schema) {
    const type = schema.type;
    if (typeof type !== 'string' && !Array.isArray(type)) return 'unknown';
    if (type !== 'null' && !(Array.isArray(type) && type.includes('null'))) return 'disallows';
  }
  if ('enum' in schema) {
    if (!Array.isArray(schema.enum)) return 'unknown';
    if (!schema.enum.includes(null)) return 'disallows';
  }
  if ('const' in schema && schema.const !== null) return 'disallows';
  if ('$ref' in schema) {
    const ref = schema.$ref;
    const target = typeof ref === 'string' && !refs.has(ref) ? resolve(ref, root) : undefined;
    const referenced = target === undefined ? 'unknown' : nullability(target, root, new Set([...refs, ref as string]), depth + 1);
    if (referenced !== 'allows') return referenced;
  }
  if ('anyOf' in schema) {
    if (!Array.isArray(schema.anyOf)) return 'unknown';
    const entries = schema.anyOf.map((entry) => nullability(entry, root, refs, depth + 1));
    if (entries.includes('allows')) return 'allows';
    return entries.every((entry) => entry === 'disallows') ? 'disallows' : 'unknown';
  }
  if (!('type' in schema) && isRecord(schema.properties)) return 'disallows';
  return 'allows';
}

/** An optional property that does not accept null, anywhere inside (the SDK cannot pick the branch to strip it from). */
function hasOptionalNonNullable(schema: unknown, root: JsonSchema, seen: Set<object>, depth: number): boolean {
  if (!isRecord(schema) || seen.has(schema) || depth > MAX_DEPTH) return false;
  seen.add(schema);
  if (typeof schema.$ref === 'string') return hasOptionalNonNullable(resolve(schema.$ref, root), root, seen, depth + 1);
  if (Array.isArray(schema.anyOf)) return schema.anyOf.some((branch) => hasOptionalNonNullable(branch, root, seen, depth + 1));
  const properties = convertsProperties(schema) ? (schema.properties as JsonSchema) : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  for (const [name, property] of Object.entries(properties)) {
    if (!required.has(name) && nullability(property, root, new Set(), depth + 1) === 'disallows') return true;
    if (hasOptionalNonNullable(property, root, seen, depth + 1)) return true;
  }
  const items = schema.items;
  return Array.isArray(items) ? items.some((item) => hasOptionalNonNullable(item, root, seen, depth + 1)) : hasOptionalNonNullable(items, root, seen, depth + 1);
}
