// Output schemas spelt the way schema linters and single-type dialects accept them (MCP
// Inspector's `--strict` report, Gemini-style function declarations), with the same meaning:
// - a `type` list becomes `anyOf` of one-type branches; a keyword that constrains only one
//   type (`properties` objects, `items` arrays) moves into that type's branch, since it
//   never applied to the others: {type: [T, U], k} = anyOf[{type: T, k}, {type: U}] when k
//   only constrains T;
// - a schema with no keyword that constrains a value (`{}`, "anything") names every JSON
//   type instead, which accepts exactly the same values.
// The runtime's drift check (templates/runtime/protocol/output-check.ts) validates against this
// published form, so what it lets through is what a client's validator lets through.
import { mapSubschemas, setOwn, type JsonSchema } from './json-schema.js';

/** The JSON types, `integer` aside (every integer is a number). */
const JSON_TYPES = ['string', 'number', 'boolean', 'object', 'array', 'null'] as const;

/** Keywords that only constrain values of one type, so they belong in that type's branch. */
const TYPE_OF_KEYWORD: Readonly<Record<string, string>> = {
  properties: 'object',
  additionalProperties: 'object',
  patternProperties: 'object',
  propertyNames: 'object',
  required: 'object',
  minProperties: 'object',
  maxProperties: 'object',
  items: 'array',
  prefixItems: 'array',
  contains: 'array',
  minItems: 'array',
  maxItems: 'array',
  uniqueItems: 'array',
  minLength: 'string',
  maxLength: 'string',
  pattern: 'string',
  format: 'string',
  minimum: 'number',
  maximum: 'number',
  exclusiveMinimum: 'number',
  exclusiveMaximum: 'number',
  multipleOf: 'number',
};

/** Keywords that make a schema reject something (after JSON Schema 2020-12's assertions and applicators). */
const CONSTRAINING = new Set([
  'type', 'enum', 'const', 'allOf', 'anyOf', 'oneOf', 'not', '$ref', '$dynamicRef', 'if',
  ...Object.keys(TYPE_OF_KEYWORD), 'dependentRequired', 'dependentSchemas', 'unevaluatedProperties', 'unevaluatedItems',
  'additionalItems', 'maxContains', 'minContains', 'contentMediaType', 'contentEncoding', 'contentSchema',
]);

/** "Any JSON value", spelt with a type per branch. */
export function anyJsonValue(): JsonSchema {
  return { anyOf: JSON_TYPES.map((type) => ({ type })) };
}

export function portableOutputSchema(schema: JsonSchema): JsonSchema {
  const out = mapSubschemas(schema, portableOutputSchema);
  if (!Object.keys(out).some((keyword) => CONSTRAINING.has(keyword))) return { ...out, ...anyJsonValue() };
  return splitTypeList(out);
}

function splitTypeList(schema: JsonSchema): JsonSchema {
  const types = schema.type;
  if (!Array.isArray(types) || !types.every((t): t is string => typeof t === 'string')) return schema;
  if (types.length === 1) return { ...schema, type: types[0] };
  const family = (type: string) => (type === 'integer' ? 'number' : type);
  const branches = types.map((type): JsonSchema => ({ type }));
  const outer: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === 'type') continue;
    const owner = Object.hasOwn(TYPE_OF_KEYWORD, keyword) ? TYPE_OF_KEYWORD[keyword] : undefined;
    const targets = owner === undefined ? [] : branches.filter((branch) => family(branch.type as string) === owner);
    // A keyword for a type the list does not name, or one that is not type-specific, stays beside anyOf.
    if (targets.length === 0) setOwn<unknown>(outer, keyword, value);
    for (const branch of targets) setOwn<unknown>(branch, keyword, value);
  }
  if (outer.anyOf === undefined) return { ...outer, anyOf: branches };
  const { anyOf, ...rest } = outer;
  return { ...rest, allOf: [...(Array.isArray(rest.allOf) ? rest.allOf : []), { anyOf }, { anyOf: branches }] };
}
