// Input schemas in the shape strict converters accept (OpenAI's strict mode, the agent SDKs
// built on it, LangChain's and Mastra's zod conversions), rewritten only where the rewrite
// accepts exactly the same values:
// - `oneOf` whose branches have pairwise distinct `type`s becomes `anyOf` (no value can match
//   two such branches, so "exactly one" and "at least one" agree);
// - a `type` beside `anyOf`/`oneOf` moves into the branches (T ∧ (A ∨ B) = (T ∧ A) ∨ (T ∧ B));
//   strict converters reject the sibling;
// - `properties`/`required`/`additionalProperties` beside `anyOf` move into the object branches
//   (the same distribution); a branch that cannot take them without changing what it accepts
//   (a `$ref`, clashing property names, its own closed map) keeps the schema as it is.
import type { JsonSchema } from './json-schema.js';

type Schema = JsonSchema & Record<string, unknown>;

const CHILD_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'] as const;
const CHILD_ONE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems'] as const;
const CHILD_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;

export function portableSchema(schema: JsonSchema): JsonSchema {
  return rewrite(schema as Schema);
}

function rewrite(input: Schema): Schema {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  let out: Schema = { ...input };
  for (const key of CHILD_MAPS) {
    const map = out[key];
    if (map === null || typeof map !== 'object' || Array.isArray(map)) continue;
    const next: Record<string, unknown> = {};
    for (const name of Object.keys(map)) {
      // defineProperty: a property called __proto__ stays a property.
      Object.defineProperty(next, name, { value: rewrite((map as Record<string, Schema>)[name]!), enumerable: true, writable: true, configurable: true });
    }
    out[key] = next;
  }
  for (const key of CHILD_ONE) {
    const child = out[key];
    if (child !== null && typeof child === 'object' && !Array.isArray(child)) out[key] = rewrite(child as Schema);
  }
  for (const key of CHILD_LISTS) {
    const list = out[key];
    if (Array.isArray(list)) out[key] = list.map((item) => rewrite(item as Schema));
  }
  if (Array.isArray(out.oneOf) && typesAreDisjoint(out.oneOf as Schema[])) {
    const { oneOf, ...rest } = out;
    out = rest.anyOf === undefined ? { ...rest, anyOf: oneOf } : { ...rest, allOf: [...((rest.allOf as Schema[] | undefined) ?? []), { anyOf: oneOf }] };
  }
  return moveObjectKeywordsIntoBranches(moveTypeIntoBranches(out));
}

function typeList(schema: Schema): string[] | undefined {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type) && schema.type.every((t) => typeof t === 'string')) return schema.type as string[];
  return undefined;
}

/** Every branch names its types, and no type (counting integer as a number) appears in two branches. */
function typesAreDisjoint(branches: readonly Schema[]): boolean {
  if (branches.length < 2) return false;
  const seen = new Set<string>();
  for (const branch of branches) {
    const types = typeList(branch);
    if (types === undefined) return false;
    for (const type of types) {
      const family = type === 'integer' ? 'number' : type;
      if (seen.has(family)) return false;
      seen.add(family);
    }
    // integer and number in one branch still count once per branch.
  }
  return true;
}

function moveTypeIntoBranches(schema: Schema): Schema {
  const outer = typeList(schema);
  const key = Array.isArray(schema.anyOf) ? 'anyOf' : Array.isArray(schema.oneOf) ? 'oneOf' : undefined;
  if (outer === undefined || key === undefined) return schema;
  const branches = schema[key] as Schema[];
  const narrowed: Schema[] = [];
  for (const branch of branches) {
    const own = typeList(branch);
    if (own === undefined) {
      // A branch that says nothing of type takes the outer one; one that says something else
      // (a $ref, a const) cannot be narrowed here without resolving it: keep the schema as it is.
      if (branch.$ref !== undefined || branch.const !== undefined || branch.enum !== undefined) return schema;
      narrowed.push({ ...branch, type: outer.length === 1 ? outer[0] : outer });
      continue;
    }
    const kept = own.filter((type) => outer.includes(type) || (type === 'integer' && outer.includes('number')));
    // A branch whose types the outer type excludes can never match: it goes.
    if (kept.length === 0) continue;
    narrowed.push(kept.length === own.length ? branch : { ...branch, type: kept.length === 1 ? kept[0] : kept });
  }
  if (narrowed.length === 0) return schema;
  const { type: _moved, ...rest } = schema;
  return { ...rest, [key]: narrowed };
}

/** Keywords that only constrain objects, moved together into each `anyOf` branch. */
const OBJECT_KEYWORDS = ['properties', 'required', 'additionalProperties'] as const;
/** Keywords that may stay beside `anyOf` (annotations). */
const ANNOTATIONS = new Set(['$comment', 'default', 'deprecated', 'description', 'examples', 'readOnly', 'title', 'writeOnly']);

function moveObjectKeywordsIntoBranches(schema: Schema): Schema {
  if (!Array.isArray(schema.anyOf) || !OBJECT_KEYWORDS.some((key) => key in schema)) return schema;
  const moved = new Set<string>(OBJECT_KEYWORDS);
  if (Object.keys(schema).some((key) => key !== 'anyOf' && !moved.has(key) && !ANNOTATIONS.has(key))) return schema;
  const outer: Schema = {};
  const rest: Schema = {};
  for (const [key, value] of Object.entries(schema)) (moved.has(key) ? outer : rest)[key] = value;
  const branches: Schema[] = [];
  for (const branch of schema.anyOf as Schema[]) {
    const merged = mergeObjectKeywords(outer, branch);
    if (merged === undefined) return schema;
    branches.push(merged);
  }
  return { ...rest, anyOf: branches };
}

/** outer ∧ branch as one schema, or undefined when one schema cannot say it. */
function mergeObjectKeywords(outer: Schema, branch: Schema): Schema | undefined {
  if (branch === null || typeof branch !== 'object' || Array.isArray(branch) || branch.$ref !== undefined) return undefined;
  const types = typeList(branch);
  // Object keywords say nothing of other types: a branch that is never an object needs none.
  if (types !== undefined && !types.includes('object')) return branch;
  const own = branch.properties as Record<string, Schema> | undefined;
  const outerProperties = (outer.properties ?? {}) as Record<string, Schema>;
  const closes = (s: Schema) => s.additionalProperties !== undefined || s.patternProperties !== undefined;
  const ownDeclares = own !== undefined || closes(branch);
  // `additionalProperties` counts only the properties beside it: merging two lists under one would change it.
  if (ownDeclares && (closes(outer) || closes(branch))) return undefined;
  if (own !== undefined && Object.keys(own).some((name) => Object.hasOwn(outerProperties, name))) return undefined;
  const merged: Schema = { ...branch };
  if (outer.properties !== undefined || own !== undefined) {
    const properties: Record<string, unknown> = {};
    for (const map of [outerProperties, own ?? {}]) {
      for (const name of Object.keys(map)) Object.defineProperty(properties, name, { value: map[name], enumerable: true, writable: true, configurable: true });
    }
    merged.properties = properties;
  }
  const names = (s: Schema) => (Array.isArray(s.required) ? (s.required as unknown[]) : []);
  const required = [...new Set([...names(outer), ...names(branch)])];
  if (required.length) merged.required = required;
  if (outer.additionalProperties !== undefined) merged.additionalProperties = outer.additionalProperties;
  return merged;
}
