// https://spec.openapis.org/oas/v3.1.0#responses-object
import type { OperationNode, ResponseNode } from '../ir/types.js';
import { isArraySchema, isObjectSchema, relaxForOutput, type JsonSchema, type SchemaConverter } from './json-schema.js';
import { isJsonMediaType } from './input-schema.js';

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

export function buildOutputPlan(op: OperationNode, converter: SchemaConverter): OutputPlan {
  const response = successResponse(op);
  const media = response?.contents.find((c) => isJsonMediaType(c.mediaType));
  const mimeType = media ? 'application/json' : (response?.contents[0]?.mediaType ?? 'application/json');
  if (!media?.schema) return { structured: false, mimeType };
  const converted = converter.convert(media.schema, 'output', `${media.pointer}/schema`);
  const defs = converter.definitions(converted.requires, 'output') ?? {};
  // A recursive root is a $ref into $defs: look through it to see its shape.
  const root = converted.schema.$ref;
  const schema = typeof root === 'string' && root.startsWith('#/$defs/') ? (defs[root.slice('#/$defs/'.length)] ?? converted.schema) : converted.schema;
  if (isObjectSchema(schema)) {
    const relaxed = relaxForOutput(schema, defs);
    return { outputSchema: { ...relaxed, type: 'object' }, structured: true, successSchema: schema, mimeType };
  }
  if (isArraySchema(schema)) {
    const relaxed = relaxForOutput(schema, defs);
    return {
      outputSchema: { type: 'object', properties: { [WRAP_KEY]: relaxed } },
      structured: true,
      wrapKey: WRAP_KEY,
      successSchema: schema,
      mimeType,
    };
  }
  return { structured: false, successSchema: schema, mimeType };
}
