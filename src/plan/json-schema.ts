// Converts OpenAPI Schema Objects (3.0 and 3.1) into the portable JSON Schema
// subset MCP clients accept: object roots with `properties`, `items` on every
// array, no `$schema`, no `$ref` (inlined), cycles cut, constraints kept.
// https://spec.openapis.org/oas/v3.1.0#schema-object
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { specProse } from './text.js';
import { isRef, resolveLocalRef } from '../ir/refs.js';
import type { SchemaObject } from '../ir/types.js';

export type JsonSchema = Record<string, unknown>;

/**
 * Sets an own property even for names like `__proto__`, which plain assignment
 * would turn into a prototype change (spec text is hostile input).
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
export type Direction = 'input' | 'output';

/** Keywords whose value is one subschema, a list of them, or a map of names to them. */
const SUBSCHEMA_ONE = ['items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems'] as const;
const SUBSCHEMA_LIST = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;
const SUBSCHEMA_MAP = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'] as const;

function isSchemaValue(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of `schema` with every direct subschema replaced by `visit(subschema)`; names stay own properties. */
export function mapSubschemas(schema: JsonSchema, visit: (subschema: JsonSchema) => JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if ((SUBSCHEMA_ONE as readonly string[]).includes(keyword) && isSchemaValue(value)) setOwn<unknown>(out, keyword, visit(value));
    else if ((SUBSCHEMA_LIST as readonly string[]).includes(keyword) && Array.isArray(value)) {
      setOwn<unknown>(out, keyword, value.map((member: unknown) => (isSchemaValue(member) ? visit(member) : member)));
    } else if ((SUBSCHEMA_MAP as readonly string[]).includes(keyword) && isSchemaValue(value)) {
      const map: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(value)) setOwn(map, name, isSchemaValue(member) ? visit(member) : member);
      setOwn<unknown>(out, keyword, map);
    } else setOwn<unknown>(out, keyword, value);
  }
  return out;
}


/** Keywords copied as they are (their values are not schemas). */
const PLAIN_KEYWORDS = [
  'title', 'description', 'type', 'enum', 'const', 'format', 'default', 'examples', 'deprecated',
  'multipleOf', 'maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems',
  'maxProperties', 'minProperties', 'required', 'contentMediaType', 'contentEncoding',
] as const;

/** Keywords whose value is one schema. */
const SCHEMA_KEYWORDS = ['items', 'not', 'contains', 'propertyNames'] as const;
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;

export interface SchemaConverterOptions {
  readonly document: unknown;
  readonly file: string;
  readonly openapiVersion: '3.0' | '3.1';
  readonly diagnostics: Diagnostic[];
}

/** A converted schema and the recursive components it points at through `#/$defs/…`. */
export interface Converted {
  readonly schema: JsonSchema;
  readonly requires: readonly string[];
}

const NONE: readonly string[] = [];

function union(a: readonly string[], b: readonly string[]): readonly string[] {
  if (!b.length) return a;
  if (!a.length) return b;
  return [...new Set([...a, ...b])];
}

/**
 * One converter per document. Components that take part in a reference cycle
 * (a tree, a linked list) are published once under the tool schema's `$defs` and
 * referenced as `#/$defs/<Name>`: finite, exact, and valid JSON Schema 2020-12.
 * Every other `$ref` is inlined. Because no result depends on where it was reached
 * from, each component is converted once per direction and shared.
 */
export class SchemaConverter {
  private readonly memo = new Map<string, Converted>();
  private recursive?: Set<string>;
  private names?: Map<string, string>;

  constructor(private readonly options: SchemaConverterOptions) {}

  convert(schema: SchemaObject | undefined, direction: Direction, pointer: string): Converted {
    if (schema === undefined) return { schema: {}, requires: NONE };
    return this.walk(schema, direction, pointer);
  }

  /** The `$defs` a set of converted schemas needs, transitively, sorted by name. */
  definitions(requires: readonly string[], direction: Direction): Record<string, JsonSchema> | undefined {
    if (!requires.length) return undefined;
    const names = this.defNames();
    const seen = new Set<string>();
    const queue = [...requires];
    const defs: [string, JsonSchema][] = [];
    while (queue.length) {
      const ref = queue.shift()!;
      if (seen.has(ref)) continue;
      seen.add(ref);
      const converted = this.convertTarget(ref, direction, ref);
      defs.push([names.get(ref)!, converted.schema]);
      queue.push(...converted.requires);
    }
    return Object.fromEntries(defs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /**
   * `$defs` names for every `$ref` of the document, assigned in sorted order so a name
   * depends only on the document, never on which tool was converted first.
   */
  private defNames(): Map<string, string> {
    if (this.names) return this.names;
    const names = new Map<string, string>();
    const used = new Set<string>();
    for (const ref of [...this.allRefs()].sort()) {
      const base = (ref.split('/').pop() ?? 'Schema').replace(/~1/g, '_').replace(/~0/g, '_').replace(/[^A-Za-z0-9_.-]/g, '_') || 'Schema';
      let name = base;
      for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
      used.add(name);
      names.set(ref, name);
    }
    this.names = names;
    return names;
  }

  private refsCache?: Set<string>;

  private allRefs(): Set<string> {
    if (!this.refsCache) {
      const all = new Set<string>();
      collectRefs(this.options.document, all);
      this.refsCache = all;
    }
    return this.refsCache;
  }

  /** References that lie on a cycle (Tarjan's SCC over the ref graph). */
  private recursiveRefs(): Set<string> {
    if (this.recursive) return this.recursive;
    // Every $ref target's own references (not following them); all of them are in allRefs.
    const edges = new Map<string, string[]>();
    for (const ref of [...this.allRefs()].sort()) {
      const out = new Set<string>();
      const target = resolveLocalRef(this.options.document, ref);
      if (target && typeof target === 'object') collectRefs(Object.values(target), out);
      edges.set(ref, [...out]);
    }
    this.recursive = stronglyConnectedCycles(edges);
    return this.recursive;
  }

  private walk(schema: unknown, direction: Direction, pointer: string): Converted {
    if (schema === true || schema === undefined || schema === null) return { schema: {}, requires: NONE };
    if (schema === false) return { schema: { not: {} }, requires: NONE };
    if (typeof schema !== 'object' || Array.isArray(schema)) return { schema: {}, requires: NONE };
    if (isRef(schema)) return this.walkRef(schema, direction, pointer);
    return this.walkObject(schema as Record<string, unknown>, direction, pointer);
  }

  private walkRef(schema: { $ref: string }, direction: Direction, pointer: string): Converted {
    const ref = schema.$ref;
    let converted: Converted;
    if (this.recursiveRefs().has(ref)) {
      if (resolveLocalRef(this.options.document, ref) === undefined) return this.missing(ref, pointer);
      converted = this.reference(ref);
    } else {
      converted = this.convertTarget(ref, direction, pointer);
      // Large components are published once under $defs rather than copied at every use:
      // inlining shared trees multiplies a schema's size with each level of reuse.
      if (approximateSize(converted.schema) > LARGE_COMPONENT_CHARS) converted = { schema: this.reference(ref).schema, requires: union([ref], converted.requires) };
    }
    // 3.1 allows keywords beside $ref (e.g. a description); they refine the target.
    const siblings = Object.keys(schema).filter((k) => k !== '$ref');
    if (!siblings.length) return converted;
    const rest = this.walkObject(Object.fromEntries(siblings.map((k) => [k, (schema as Record<string, unknown>)[k]])), direction, pointer);
    return { schema: { ...converted.schema, ...rest.schema }, requires: union(converted.requires, rest.requires) };
  }

  private reference(ref: string): Converted {
    return { schema: { $ref: `#/$defs/${this.defNames().get(ref) ?? 'Schema'}` }, requires: [ref] };
  }

  /** The converted target of a reference, memoized per direction. */
  private convertTarget(ref: string, direction: Direction, pointer: string): Converted {
    const key = `${direction}:${ref}`;
    const memoized = this.memo.get(key);
    if (memoized) return memoized;
    const target = resolveLocalRef(this.options.document, ref);
    if (target === undefined) return this.missing(ref, pointer);
    // Placeholder first: a chain of $ref-only aliases that loops back must still end.
    this.memo.set(key, { schema: {}, requires: NONE });
    const converted = this.walk(target, direction, ref);
    this.memo.set(key, converted);
    return converted;
  }

  private missing(ref: string, pointer: string): Converted {
    this.options.diagnostics.push({
      code: 'MCPGEN_REF_NOT_FOUND',
      severity: 'error',
      file: this.options.file,
      pointer: `${pointer}/$ref`,
      message: `$ref "${ref}" points at nothing.`,
      help: 'Fix the reference or add the missing component.',
    });
    return { schema: {}, requires: NONE };
  }

  private walkObject(source: Record<string, unknown>, direction: Direction, pointer: string): Converted {
    const out: JsonSchema = {};
    let requires = NONE;
    const child = (value: unknown, suffix: string): JsonSchema => {
      const converted = this.walk(value, direction, `${pointer}/${suffix}`);
      requires = union(requires, converted.requires);
      return converted.schema;
    };
    for (const keyword of PLAIN_KEYWORDS) {
      if (source[keyword] !== undefined) out[keyword] = source[keyword];
    }
    if (typeof out.description === 'string') out.description = specProse(out.description);
    if (typeof out.pattern === 'string') {
      const pattern = unicodePattern(out.pattern);
      if (pattern !== out.pattern) {
        this.options.diagnostics.push({
          code: 'MCPGEN_PATTERN_REWRITTEN',
          severity: 'info',
          file: this.options.file,
          pointer: `${pointer}/pattern`,
          message: pattern === undefined ? `Pattern ${JSON.stringify(out.pattern)} is not a valid Unicode regular expression; it is left out.` : `Pattern ${JSON.stringify(out.pattern)} is published as ${JSON.stringify(pattern)} (needless escapes removed for Unicode mode).`,
        });
        if (pattern === undefined) delete out.pattern;
        else out.pattern = pattern;
      }
    }
    if (source.example !== undefined && out.examples === undefined) out.examples = [source.example];
    if (!Array.isArray(out.examples)) delete out.examples;
    this.normalizeNumericBounds(source, out);
    for (const keyword of SCHEMA_KEYWORDS) {
      if (source[keyword] !== undefined) out[keyword] = child(source[keyword], keyword);
    }
    for (const keyword of SCHEMA_LIST_KEYWORDS) {
      const list = source[keyword];
      if (Array.isArray(list)) out[keyword] = list.map((item, i) => child(item, `${keyword}/${i}`));
    }
    if (source.properties && typeof source.properties === 'object') {
      const properties: Record<string, JsonSchema> = {};
      const dropped: string[] = [];
      for (const [name, value] of Object.entries(source.properties as Record<string, unknown>)) {
        if (this.hiddenIn(value, direction)) {
          dropped.push(name);
          continue;
        }
        setOwn(properties, name, child(value, `properties/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`));
      }
      out.properties = properties;
      if (Array.isArray(out.required)) {
        const required = (out.required as unknown[]).filter((r) => typeof r === 'string' && !dropped.includes(r));
        if (required.length) out.required = required;
        else delete out.required;
      }
    }
    const additional = source.additionalProperties;
    if (typeof additional === 'boolean') out.additionalProperties = additional;
    else if (additional && typeof additional === 'object') out.additionalProperties = child(additional, 'additionalProperties');
    if (source.nullable === true) this.addNull(out);
    const types = Array.isArray(out.type) ? out.type : [out.type];
    if (types.includes('array') && out.items === undefined && out.prefixItems === undefined) out.items = {};
    if (source.readOnly === true) out.readOnly = true;
    if (source.writeOnly === true) out.writeOnly = true;
    return { schema: mergeAllOf(out), requires };
  }

  /** 3.0 writes exclusive bounds as booleans beside minimum/maximum; 2020-12 as numbers. */
  private normalizeNumericBounds(source: Record<string, unknown>, out: JsonSchema): void {
    for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
      if (typeof source[exclusive] !== 'boolean') continue;
      delete out[exclusive];
      if (source[exclusive] === true && typeof source[bound] === 'number') {
        out[exclusive] = source[bound];
        delete out[bound];
      }
    }
  }

  private addNull(out: JsonSchema): void {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.type) && !out.type.includes('null')) out.type = [...out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }

  /** readOnly properties are not sent by clients; writeOnly ones are not returned. */
  private hiddenIn(value: unknown, direction: Direction): boolean {
    let target = value;
    for (let hops = 0; isRef(target) && hops < 8; hops++) target = resolveLocalRef(this.options.document, target.$ref);
    if (!target || typeof target !== 'object') return false;
    const flags = target as { readOnly?: unknown; writeOnly?: unknown };
    return direction === 'input' ? flags.readOnly === true : flags.writeOnly === true;
  }
}

/** Components whose converted schema is larger than this are referenced from `$defs`, not inlined. */
export const LARGE_COMPONENT_CHARS = 2_000;

const sizeMemo = new WeakMap<object, number>();

/** Roughly the JSON length of a value; shared subtrees are measured once. */
export function approximateSize(value: unknown): number {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? value.length + 2 : String(value).length;
  const cached = sizeMemo.get(value);
  if (cached !== undefined) return cached;
  let size = 2;
  for (const [key, child] of Object.entries(value)) size += key.length + 4 + approximateSize(child);
  sizeMemo.set(value, size);
  return size;
}

function collectRefs(value: unknown, out: Set<string>): void {
  const stack = [value];
  while (stack.length) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (isRef(node)) out.add(node.$ref);
    for (const child of Object.values(node)) if (child && typeof child === 'object') stack.push(child);
  }
}

/** Nodes that lie on a cycle: members of a strongly connected component of size > 1, or with a self-edge. */
export function stronglyConnectedCycles(edges: ReadonlyMap<string, readonly string[]>): Set<string> {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result = new Set<string>();
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    // Iterative Tarjan: large specs nest deeper than the call stack allows.
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const successors = edges.get(frame.node) ?? [];
      if (frame.next < successors.length) {
        const next = successors[frame.next++]!;
        if (!index.has(next)) {
          index.set(next, counter);
          low.set(next, counter++);
          stack.push(next);
          onStack.add(next);
          work.push({ node: next, next: 0 });
        } else if (onStack.has(next)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(next)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1 || (edges.get(frame.node) ?? []).includes(frame.node)) for (const m of component) result.add(m);
      }
    }
  }
  return result;
}

/** Keywords that reject values; dropped from output schemas so an API's real answers always validate. */
const RESTRICTING_KEYWORDS = [
  'required', 'enum', 'const', 'format', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties',
  'not', 'oneOf', 'allOf', 'anyOf', 'default', 'examples', 'readOnly', 'writeOnly', 'contentMediaType', 'contentEncoding', 'prefixItems',
];

/** How many levels of an output schema are published; deeper levels accept anything. */
export const OUTPUT_SCHEMA_DEPTH = 1;

/**
 * An output schema that documents shape without rejecting what an upstream really
 * sends: no required lists, no closed objects, every type widened with null.
 * A client validates structuredContent against it, and APIs drift from their specs.
 */
export function relaxForOutput(schema: JsonSchema, defs: Record<string, JsonSchema> = {}, depth = 0): JsonSchema {
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/$defs/')) {
    // Own lookup: a definition called `constructor` must not find Object's.
    const name = schema.$ref.slice('#/$defs/'.length);
    const target = Object.hasOwn(defs, name) ? defs[name] : undefined;
    if (target) return relaxForOutput({ ...target, ...schema, $ref: undefined }, defs, depth);
  }
  // Types and structure only: descriptions and titles would be repeated in every tools/list
  // for text the model reads in the result itself (Stripe: 1.0 MB of its 2.5 MB listing).
  const out = relaxedType(schema, defs);
  const properties = collectProperties(schema);
  if (depth >= OUTPUT_SCHEMA_DEPTH) {
    // The last published level keeps its type; an array's items may be anything.
    if (Array.isArray(out.type) && out.type.includes('array')) out.items = {};
    return out;
  }
  if (properties) out.properties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, relaxForOutput(v, defs, depth + 1)]));
  // An array is a container, not a level: its items count half, so a collection's
  // items still show their fields, and arrays of arrays still end.
  if (schema.items && typeof schema.items === 'object') out.items = relaxForOutput(schema.items as JsonSchema, defs, depth + 0.5);
  else if (Array.isArray(out.type) && out.type.includes('array')) out.items = {};
  for (const keyword of RESTRICTING_KEYWORDS) delete out[keyword];
  return out;
}

/** `{ type }` of a schema widened for output (integer as number, null always), or `{}` when it names none. */
function relaxedType(schema: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema {
  const ref = typeof schema.$ref === 'string' && schema.$ref.startsWith('#/$defs/') ? schema.$ref.slice('#/$defs/'.length) : undefined;
  const resolved = ref !== undefined && Object.hasOwn(defs, ref) ? defs[ref]! : schema;
  const type = resolved.type ?? branchTypes(resolved, defs) ?? (collectProperties(resolved) ? 'object' : undefined);
  if (type === undefined) return {};
  // integer widens to number (an API's 1.0 is still a number); null is always allowed.
  const types = (Array.isArray(type) ? type : [type]).map((t) => (t === 'integer' ? 'number' : t));
  if (!types.includes('null')) types.push('null');
  return { type: [...new Set(types)] };
}

/**
 * The types an untyped `anyOf`/`oneOf` admits (the union of its branches' types), so its
 * output schema still names them; undefined when a branch does not say.
 */
function branchTypes(schema: JsonSchema, defs: Record<string, JsonSchema>, depth = 0): string[] | undefined {
  const branches = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (branches === undefined || branches.length === 0 || depth > 8) return undefined;
  const types = new Set<string>();
  for (const member of branches as JsonSchema[]) {
    const ref = typeof member.$ref === 'string' && member.$ref.startsWith('#/$defs/') ? member.$ref.slice('#/$defs/'.length) : undefined;
    const branch = ref !== undefined && Object.hasOwn(defs, ref) ? defs[ref]! : member;
    const own = branch.type ?? (collectProperties(branch) ? 'object' : branchTypes(branch, defs, depth + 1));
    if (own === undefined) return undefined;
    for (const t of Array.isArray(own) ? own : [own]) if (typeof t === 'string') types.add(t);
  }
  return [...types];
}

/** Properties of an object schema, including those its allOf members contribute. */
export function collectProperties(schema: JsonSchema): Record<string, JsonSchema> | undefined {
  let found: Record<string, JsonSchema> | undefined;
  if (schema.properties && typeof schema.properties === 'object') found = { ...(schema.properties as Record<string, JsonSchema>) };
  if (Array.isArray(schema.allOf)) {
    for (const member of schema.allOf as JsonSchema[]) {
      const inner = collectProperties(member);
      if (inner) found = { ...(found ?? {}), ...inner };
    }
  }
  return found;
}

/** True when a converted schema describes a JSON object (so it can be an outputSchema root). */
export function isObjectSchema(schema: JsonSchema): boolean {
  const type = schema.type;
  if (type === 'object' || (Array.isArray(type) && type.includes('object') && !type.includes('array'))) return true;
  return type === undefined && collectProperties(schema) !== undefined;
}

export function isArraySchema(schema: JsonSchema): boolean {
  const type = schema.type;
  return type === 'array' || (Array.isArray(type) && type.includes('array') && !type.includes('object'));
}

/** Keywords an allOf member may carry and still be folded into its parent. */
const MERGEABLE = new Set(['type', 'properties', 'required', 'description', 'title', 'additionalProperties']);

/**
 * Folds `allOf` members that only describe object properties into the parent
 * (properties and required lists united), the shape clients handle best. Members
 * with other keywords, a `$ref` to a recursive definition, or conflicting property
 * definitions keep the allOf, which means the same thing.
 */
export function mergeAllOf(schema: JsonSchema): JsonSchema {
  const members = schema.allOf;
  if (!Array.isArray(members) || !members.length) return schema;
  const objectLike = (m: JsonSchema) =>
    Object.keys(m).every((k) => MERGEABLE.has(k)) && (m.type === undefined || m.type === 'object') && m.additionalProperties !== false;
  if (!(members as JsonSchema[]).every(objectLike)) return schema;
  if (schema.type !== undefined && schema.type !== 'object') return schema;
  const properties: Record<string, JsonSchema> = { ...((schema.properties as Record<string, JsonSchema> | undefined) ?? {}) };
  const required = new Set<string>(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  for (const member of members as JsonSchema[]) {
    for (const [name, value] of Object.entries((member.properties as Record<string, JsonSchema> | undefined) ?? {})) {
      const existing = Object.hasOwn(properties, name) ? properties[name] : undefined;
      if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(value)) return schema;
      setOwn(properties, name, value);
    }
    for (const name of Array.isArray(member.required) ? (member.required as string[]) : []) required.add(name);
  }
  const { allOf: _merged, ...rest } = schema;
  const merged: JsonSchema = { ...rest, type: 'object', properties };
  const descriptions = (members as JsonSchema[]).map((m) => m.description).filter((d): d is string => typeof d === 'string');
  if (merged.description === undefined && descriptions.length) merged.description = descriptions.join('\n\n');
  if (required.size) merged.required = [...required];
  return merged;
}

/** Input schemas nest at most this deep (objects, arrays and combinators each count a level). */
export const MAX_INPUT_DEPTH = 32;

const depthMemo = new WeakMap<object, number>();

/** Nesting depth of a schema; shared subtrees are measured once. */
function schemaDepth(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const cached = depthMemo.get(value);
  if (cached !== undefined) return cached;
  depthMemo.set(value, 0);
  let deepest = 0;
  for (const child of Object.values(value)) deepest = Math.max(deepest, schemaDepth(child));
  const depth = deepest + 1;
  depthMemo.set(value, depth);
  return depth;
}

/**
 * Replaces what lies deeper than `max` levels with an open schema, so a pathological
 * (non-recursive) spec cannot produce a schema clients choke on. Returns the input
 * unchanged, without copying, in the normal case.
 */
export function boundDepth(schema: JsonSchema, max = MAX_INPUT_DEPTH * 2): { schema: JsonSchema; cut: boolean } {
  if (schemaDepth(schema) <= max) return { schema, cut: false };
  const copy = (value: unknown, budget: number): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (budget <= 0) return { description: 'Nested too deeply to describe here; any value is accepted.' };
    if (Array.isArray(value)) return value.map((item) => copy(item, budget - 1));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v, budget - 1)]));
  };
  return { schema: copy(schema, max) as JsonSchema, cut: true };
}

function compilesInUnicodeMode(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/** Characters a Unicode-mode regex may escape: syntax characters, `/`, and letters/digits with meaning. */
const ESCAPABLE = new Set('^$\\.*+?()[]{}|/'.split(''));

/**
 * JSON Schema patterns are ECMA-262 regexes in Unicode mode, where `\-` or `\:` outside
 * a class is a syntax error although every non-Unicode engine accepts it. Removes such
 * needless escapes (keeping `\-` inside a class, where it matters); undefined when the
 * pattern still does not compile.
 */
export function unicodePattern(pattern: string): string | undefined {
  if (compilesInUnicodeMode(pattern)) return pattern;
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      const next = pattern[i + 1]!;
      const keep = /[A-Za-z0-9]/.test(next) || ESCAPABLE.has(next) || (inClass && next === '-');
      out += keep ? c + next : next;
      i++;
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return compilesInUnicodeMode(out) ? out : undefined;
}
