// Arguments as models send them, made into what the tool's schema says, before validation.
// Non-strict models often send `null` for an argument they mean to leave out and numbers or
// booleans as strings ("5", "true"). Ajv's own coerceTypes is not used: it also turns "" and
// null into 0 and false, which would send values nobody gave. The rules, at every depth where
// the schema is known (object properties, array items, `$ref` into `$defs`, `allOf`, the one
// `anyOf`/`oneOf` branch that fits the value):
//   - null for an optional property whose schema does not admit null means absent, and so does
//     null for one the server published as nullable only for strict clients (the tool's
//     `nullMeansAbsent` pointers); where several `anyOf`/`oneOf` branches fit the value, null
//     means absent when every one of them declares the property that way;
//   - a JSON number literal string becomes a number where the schema wants a number (an
//     integer only when it is a safe integer), "true"/"false" a boolean where it wants one;
//   - a single value where the schema wants an array becomes a one-element array.
// Nothing is coerced where the schema admits the value as it is (e.g. a string where
// `type: ["string", "integer"]`); anything else is left for validation to refuse.

import { dataRecord, ownValue } from '../own.js';
import { isPlainObject } from '../upstream/serialize.js';
import type { JsonSchema } from '../types.js';

type JsonType = 'null' | 'boolean' | 'object' | 'array' | 'number' | 'integer' | 'string';
/** The JSON types a schema admits, or ANY when it does not restrict them. */
type Admitted = ReadonlySet<JsonType> | typeof ANY;
const ANY = 'any';

/** Values nested deeper than this are left as they are (validation still checks them). */
const MAX_DEPTH = 64;
/** Bounds the schema walk through `$ref`, `allOf`, `anyOf` and `oneOf` (recursive schemas). */
const MAX_SCHEMA_HOPS = 32;

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Property schemas where null means absent although they admit it. */
type Absent = ReadonlySet<unknown>;
const NONE: Absent = new Set();

export function coerceArguments(schema: JsonSchema, args: unknown, absent: Absent = NONE): unknown {
  return coerce(schema, args, schema, absent, 0);
}

/** The property schemas `pointers` name in `schema` (its `$defs` linked): a tool's `nullMeansAbsent`. */
export function absentWhenNull(schema: JsonSchema, pointers: readonly string[]): Absent {
  return new Set(pointers.map((pointer) => resolveRef(schema, `#${pointer}`)).filter(isSchema));
}

function coerce(schema: unknown, value: unknown, root: JsonSchema, absent: Absent, depth: number): unknown {
  if (depth > MAX_DEPTH) return value;
  const types = admittedTypes(schema, root, 0);
  const coerced = types === ANY || admits(types, value) ? value : coerceToType(types, value);
  if (!Array.isArray(coerced) && !isPlainObject(coerced)) return coerced;
  const applicable = applicableParts(schema, root, coerced);
  return Array.isArray(coerced) ? coerceItems(applicable.parts, coerced, root, absent, depth) : coerceProperties(applicable, coerced, root, absent, depth);
}

function coerceToType(types: ReadonlySet<JsonType>, value: unknown): unknown {
  if (typeof value === 'string') {
    if (types.has('number') || types.has('integer')) {
      const text = value.trim();
      const number = JSON_NUMBER.test(text) ? Number(text) : Number.NaN;
      if (Number.isFinite(number) && (types.has('number') || Number.isSafeInteger(number))) return number;
    }
    if (types.has('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  }
  if (types.has('array') && value !== null && value !== undefined && !Array.isArray(value)) return [value];
  return value;
}

function coerceProperties(applicable: Applicable, object: Record<string, unknown>, root: JsonSchema, absent: Absent, depth: number): Record<string, unknown> {
  const { parts, alternatives } = applicable;
  const required = requiredNames(parts);
  const out = dataRecord();
  for (const [name, value] of Object.entries(object)) {
    const found = propertySchemas(parts, name);
    if (found.length) {
      if (value === null && !required.has(name) && refusesNull(found, root, absent)) continue;
      out[name] = coerce(found.length === 1 ? found[0] : { allOf: found }, value, root, absent, depth + 1);
      continue;
    }
    // Declared only by branches that all fit: the value is one of theirs.
    const branches = alternatives.map((group) => group.map((branch) => propertySchemas(branch, name))).find((group) => group.every((schemas) => schemas.length > 0));
    if (branches === undefined) out[name] = value;
    else if (value === null && branches.every((schemas) => refusesNull(schemas, root, absent))) continue;
    else out[name] = coerce({ anyOf: branches.map((schemas) => (schemas.length === 1 ? schemas[0] : { allOf: schemas })) }, value, root, absent, depth + 1);
  }
  return out;
}

function requiredNames(parts: readonly Schema[]): Set<string> {
  const required = new Set<string>();
  for (const part of parts) {
    const names = ownValue(part, 'required');
    if (Array.isArray(names)) for (const name of names) if (typeof name === 'string') required.add(name);
  }
  return required;
}

/** Whether null is no value the API takes here: some schema the property must meet refuses it, or was made nullable only for strict clients. */
function refusesNull(schemas: readonly unknown[], root: JsonSchema, absent: Absent): boolean {
  return schemas.some((schema) => absent.has(schema) || !admitsNull(schema, root));
}

function coerceItems(parts: readonly Schema[], items: readonly unknown[], root: JsonSchema, absent: Absent, depth: number): unknown[] {
  const schemas = parts.map((part) => ownValue(part, 'items')).filter(isSchema);
  if (schemas.length === 0) return [...items];
  const schema = schemas.length === 1 ? schemas[0] : { allOf: schemas };
  return items.map((item) => coerce(schema, item, root, absent, depth + 1));
}

/** The schemas of one property: from `properties`, else `additionalProperties`; empty when unknown. */
function propertySchemas(parts: readonly Schema[], name: string): unknown[] {
  const found: unknown[] = [];
  for (const part of parts) {
    const properties = ownValue(part, 'properties');
    const declared = isPlainObject(properties) ? ownValue(properties, name) : undefined;
    const schema = declared ?? ownValue(part, 'additionalProperties');
    if (isSchema(schema)) found.push(schema);
  }
  return found;
}

function admitsNull(schema: unknown, root: JsonSchema): boolean {
  const types = admittedTypes(schema, root, 0);
  return types === ANY || types.has('null');
}

// ---------------------------------------------------------------- schema reading

type Schema = { readonly [keyword: string]: unknown };

function isSchema(value: unknown): value is Schema {
  return isPlainObject(value);
}

/** The schema itself and every schema it must also satisfy: its `$ref` target and `allOf` members. */
function conjuncts(schema: unknown, root: JsonSchema): Schema[] {
  const out: Schema[] = [];
  const pending: unknown[] = [schema];
  while (pending.length > 0 && out.length < MAX_SCHEMA_HOPS) {
    const next = pending.pop();
    if (!isSchema(next) || out.includes(next)) continue;
    out.push(next);
    const ref = ownValue(next, '$ref');
    if (typeof ref === 'string') pending.push(resolveRef(root, ref));
    const all = ownValue(next, 'allOf');
    if (Array.isArray(all)) pending.push(...all);
  }
  return out;
}

interface Applicable {
  /** Schemas the value must meet. */
  readonly parts: Schema[];
  /** Per `anyOf`/`oneOf` where several branches fit the value: each fitting branch's conjuncts. */
  readonly alternatives: Schema[][][];
}

/** The conjuncts, plus those of the single `anyOf`/`oneOf` branch that admits the value, when only one does. */
function applicableParts(schema: unknown, root: JsonSchema, value: unknown): Applicable {
  const parts = conjuncts(schema, root);
  const alternatives: Schema[][][] = [];
  for (const part of [...parts]) {
    for (const keyword of ['anyOf', 'oneOf']) {
      const branches = ownValue(part, keyword);
      if (!Array.isArray(branches)) continue;
      const fitting = branches.filter((branch) => {
        const types = admittedTypes(branch, root, 0);
        return types === ANY || admits(types, value);
      });
      if (fitting.length === 1) {
        for (const extra of conjuncts(fitting[0], root)) if (!parts.includes(extra)) parts.push(extra);
      } else if (fitting.length > 1) alternatives.push(fitting.map((branch) => conjuncts(branch, root)));
    }
  }
  return { parts, alternatives };
}

/** Local references only (`#/$defs/Name`, any `#/…` JSON pointer); anything else is unknown. */
function resolveRef(root: JsonSchema, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isPlainObject(node)) node = ownValue(node, segment);
    else return undefined;
  }
  return node;
}

// Per root and schema object: a 100,000-value enum is read once, not on every call.
const admittedCache = new WeakMap<JsonSchema, WeakMap<object, Admitted>>();

function admittedTypes(schema: unknown, root: JsonSchema, hops: number): Admitted {
  if (!isSchema(schema) || hops > MAX_SCHEMA_HOPS) return ANY;
  let cache = admittedCache.get(root);
  if (cache === undefined) admittedCache.set(root, (cache = new WeakMap()));
  const cached = cache.get(schema);
  if (cached !== undefined) return cached;
  // A recursive schema meets itself while being read: it then counts as unrestricted,
  // which only ever means "coerce nothing", and each schema is read once.
  cache.set(schema, ANY);
  let result: Admitted = ANY;
  for (const part of conjuncts(schema, root)) result = intersect(result, ownTypes(part, root, hops));
  cache.set(schema, result);
  return result;
}

/** What one schema object's own `type`, `enum`, `const`, `anyOf` and `oneOf` admit. */
function ownTypes(schema: Schema, root: JsonSchema, hops: number): Admitted {
  let result: Admitted = ANY;
  const type = ownValue(schema, 'type');
  if (typeof type === 'string' || Array.isArray(type)) {
    result = intersect(result, new Set((Array.isArray(type) ? type : [type]).filter(isJsonTypeName)));
  }
  const values = Object.hasOwn(schema, 'const') ? [ownValue(schema, 'const')] : ownValue(schema, 'enum');
  if (Array.isArray(values)) result = intersect(result, new Set(values.map(jsonType)));
  for (const keyword of ['anyOf', 'oneOf']) {
    const branches = ownValue(schema, keyword);
    if (!Array.isArray(branches)) continue;
    let union: Set<JsonType> | typeof ANY = new Set();
    for (const branch of branches) {
      const types = admittedTypes(branch, root, hops + 1);
      if (types === ANY) {
        union = ANY;
        break;
      }
      for (const t of types) union.add(t);
    }
    result = intersect(result, union);
  }
  return result;
}

function intersect(a: Admitted, b: Admitted): Admitted {
  if (a === ANY) return b;
  if (b === ANY) return a;
  const out = new Set<JsonType>();
  for (const t of a) if (b.has(t) || (t === 'integer' && b.has('number'))) out.add(t);
  for (const t of b) if (t === 'integer' && a.has('number')) out.add(t);
  return out;
}

function admits(types: ReadonlySet<JsonType>, value: unknown): boolean {
  const type = jsonType(value);
  return types.has(type) || (type === 'integer' && types.has('number'));
}

function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'string':
      return 'string';
    default:
      return 'object';
  }
}

const JSON_TYPES: ReadonlySet<string> = new Set(['null', 'boolean', 'object', 'array', 'number', 'integer', 'string']);

function isJsonTypeName(name: unknown): name is JsonType {
  return typeof name === 'string' && JSON_TYPES.has(name);
}
