// https://spec.openapis.org/oas/v3.1.0#responses-object
import type { OperationNode, ResponseNode } from '../ir/types.js';
import { isArraySchema, isObjectSchema, mapSubschemas, relaxForOutput, setOwn, type JsonSchema, type SchemaConverter } from './json-schema.js';
import { isJsonMediaType } from './input-schema.js';
import { portableOutputSchema } from './portable-output.js';

/** Key under which a non-object JSON result (an array) is published as structuredContent. */
export const WRAP_KEY = 'items';

/** Success responses in the order they are preferred: exact 2xx codes ascending, then 2XX, then default. */
export function successResponse(op: OperationNode): ResponseNode | undefined {
  const exact = op.responses.filter((r) => /^2\d\d$/.test(r.status)).sort((a, b) => Number(a.status) - Number(b.status));
  const range = op.responses.filter((r) => r.status.toUpperCase() === '2XX');
  const fallback = op.responses.filter((r) => r.status === 'default');
  return [...exact, ...range, ...fallback][0];
}

export interface OutputPlan {
  readonly outputSchema?: JsonSchema;
  readonly structured: boolean;
  readonly wrapKey?: string;
  /** The converted JSON success schema (not relaxed), for resource planning. */
  readonly successSchema?: JsonSchema;
  /** Media type of the success body: the JSON one when offered, else the first declared. */
  readonly mimeType: string;
}

/**
 * Object.prototype's own property names. A client validator (Ajv, as the MCP SDK
 * client uses) checks `data.constructor !== undefined` for a declared property, finds
 * Object's inherited function, and rejects every result that lacks the property; so
 * no published output schema names one. Spelt out rather than read from the running
 * Node, so the output does not depend on the compiler's engine.
 */
export const PROTOTYPE_NAMES: ReadonlySet<string> = new Set([
  '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
  'constructor', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'toString', 'valueOf',
]);

/**
 * The schema without Object.prototype member names in `properties` and `required`,
 * at every level and in `$defs`. The data is still carried: output objects stay open,
 * so an upstream's `constructor` field reaches the client unvalidated.
 */
export function withoutPrototypeNames(schema: JsonSchema): JsonSchema {
  const out = mapSubschemas(schema, withoutPrototypeNames);
  const properties = out.properties;
  if (typeof properties === 'object' && properties !== null && !Array.isArray(properties)) {
    const kept: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(properties)) if (!PROTOTYPE_NAMES.has(name)) setOwn(kept, name, member);
    out.properties = kept;
  }
  if (Array.isArray(out.required)) {
    const required = out.required.filter((name) => typeof name !== 'string' || !PROTOTYPE_NAMES.has(name));
    if (required.length) out.required = required;
    else delete out.required;
  }
  return out;
}

export function buildOutputPlan(op: OperationNode, converter: SchemaConverter): OutputPlan {
  const response = successResponse(op);
  const media = response?.contents.find((c) => isJsonMediaType(c.mediaType));
  const mimeType = media ? 'application/json' : (response?.contents[0]?.mediaType ?? 'application/json');
  if (!media?.schema) return { structured: false, mimeType };
  const converted = converter.convert(media.schema, 'output', `${media.pointer}/schema`);
  const defs = converter.definitions(converted.requires, 'output') ?? {};
  // A recursive root is a $ref into $defs: look through it to see its shape.
  const root = converted.schema.$ref;
  const rootName = typeof root === 'string' && root.startsWith('#/$defs/') ? root.slice('#/$defs/'.length) : undefined;
  const schema = rootName !== undefined && Object.hasOwn(defs, rootName) ? defs[rootName]! : converted.schema;
  if (isObjectSchema(schema)) {
    const relaxed = relaxForOutput(schema, defs);
    return { outputSchema: portableOutputSchema(withoutPrototypeNames({ ...relaxed, type: 'object' })), structured: true, successSchema: schema, mimeType };
  }
  if (isArraySchema(schema)) {
    const relaxed = relaxForOutput(schema, defs);
    return {
      outputSchema: portableOutputSchema({ type: 'object', properties: { [WRAP_KEY]: withoutPrototypeNames(relaxed) } }),
      structured: true,
      wrapKey: WRAP_KEY,
      successSchema: schema,
      mimeType,
    };
  }
  return { structured: false, successSchema: schema, mimeType };
}

/**
 * The plan with the config's `outputSchemas: false` applied: no outputSchema, so results are
 * the upstream body as text, with no structuredContent to promise. What resources need (the
 * success schema and media type) stays.
 */
export function withoutOutputSchema(plan: OutputPlan, publish: boolean): OutputPlan {
  if (publish) return plan;
  return {
    structured: false,
    mimeType: plan.mimeType,
    ...(plan.successSchema !== undefined ? { successSchema: plan.successSchema } : {}),
  };
}
