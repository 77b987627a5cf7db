// https://spec.openapis.org/oas/v3.1.0#request-body-object
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { MediaNode, OperationNode, SchemaObject } from '../ir/types.js';
import { isRef, resolveLocalRef } from '../ir/refs.js';
import { setOwn, type Converted, type JsonSchema, type SchemaConverter } from './json-schema.js';
import type { BodyDefinition, BodyKind, BodyMediaDefinition } from './types.js';

const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json$/i;

/** The media type without parameters, lower-cased. */
function essence(mediaType: string): string {
  return (mediaType.split(';')[0] ?? '').trim().toLowerCase();
}

export function bodyKind(mediaType: string): BodyKind {
  const type = essence(mediaType);
  if (JSON_MEDIA.test(type)) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'multipart/form-data' || type === 'multipart/mixed') return 'multipart';
  if (type.startsWith('text/') || type === 'application/xml' || type.endsWith('+xml')) return 'text';
  return 'binary';
}

/** Preference when a body offers several media types: JSON first, as the issue asks. */
const KIND_ORDER: readonly BodyKind[] = ['json', 'form', 'multipart', 'text', 'binary'];

/** What a model must send for a file. */
export const FILE_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'A file: its content base64-encoded in `data`, with an optional `filename` and `mediaType`.',
  properties: {
    data: { type: 'string', contentEncoding: 'base64', description: 'File content, base64-encoded.' },
    filename: { type: 'string' },
    mediaType: { type: 'string', description: 'Media type of the file, e.g. image/png.' },
  },
  required: ['data'],
};

const BINARY_SCHEMA: JsonSchema = {
  type: 'string',
  contentEncoding: 'base64',
  description: 'The request body, base64-encoded.',
};

/** A string schema holding raw bytes: 3.0 `format: binary`, or 3.1 `contentMediaType` without an encoding. */
function isBinaryString(schema: unknown, document: unknown): boolean {
  let target = schema;
  for (let hops = 0; isRef(target) && hops < 8; hops++) target = resolveLocalRef(document, target.$ref);
  if (!target || typeof target !== 'object') return false;
  const s = target as Record<string, unknown>;
  return s.format === 'binary' || (s.contentMediaType !== undefined && s.contentEncoding === undefined && s.type !== 'object');
}

function resolved(schema: unknown, document: unknown): Record<string, unknown> | undefined {
  let target = schema;
  for (let hops = 0; isRef(target) && hops < 8; hops++) target = resolveLocalRef(document, target.$ref);
  return target && typeof target === 'object' ? (target as Record<string, unknown>) : undefined;
}

interface MediaPlan {
  readonly definition: BodyMediaDefinition;
  readonly converted: Converted;
}

/** Converts one media type's schema; multipart file properties become FILE_SCHEMA. */
function planMedia(media: MediaNode, converter: SchemaConverter, document: unknown, encodings: Record<string, unknown> | undefined): MediaPlan {
  const kind = bodyKind(media.mediaType);
  const pointer = `${media.pointer}/schema`;
  if (kind === 'binary') return { definition: { mediaType: media.mediaType, kind }, converted: { schema: { ...BINARY_SCHEMA }, requires: [] } };
  if (kind === 'text') {
    const converted = converter.convert(media.schema, 'input', pointer);
    return { definition: { mediaType: media.mediaType, kind }, converted: { schema: { type: 'string', ...converted.schema, ...(converted.schema.type === undefined ? {} : { type: 'string' }) }, requires: converted.requires } };
  }
  const converted = converter.convert(media.schema, 'input', pointer);
  const definition: { mediaType: string; kind: BodyKind; files?: string[]; encoding?: Record<string, object> } = { mediaType: media.mediaType, kind };
  if (kind === 'multipart') {
    const source = resolved(media.schema, document);
    const properties = (source?.properties ?? {}) as Record<string, SchemaObject>;
    const files: string[] = [];
    const schemaProperties = { ...((converted.schema.properties as Record<string, JsonSchema> | undefined) ?? {}) };
    for (const [name, property] of Object.entries(properties)) {
      const items = resolved(property, document)?.items;
      if (isBinaryString(property, document)) {
        files.push(name);
        setOwn(schemaProperties, name, { ...FILE_SCHEMA, ...(typeof (property as JsonSchema).description === 'string' ? { description: `${(property as JsonSchema).description as string} ${FILE_SCHEMA.description as string}` } : {}) });
      } else if (items !== undefined && isBinaryString(items, document)) {
        files.push(name);
        setOwn(schemaProperties, name, { type: 'array', items: FILE_SCHEMA, description: 'Files, each base64-encoded in `data`.' });
      }
    }
    if (files.length) definition.files = files.sort();
    if (files.length) return withEncoding({ definition, converted: { schema: { ...converted.schema, properties: schemaProperties }, requires: converted.requires } }, encodings);
  }
  return withEncoding({ definition, converted }, encodings);
}

function withEncoding(plan: MediaPlan, encodings: Record<string, unknown> | undefined): MediaPlan {
  if (!encodings || (plan.definition.kind !== 'form' && plan.definition.kind !== 'multipart')) return plan;
  const encoding: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(encodings).sort()) {
    const e = encodings[name] as Record<string, unknown>;
    const entry: Record<string, unknown> = {};
    if (typeof e.style === 'string') entry.style = e.style;
    if (typeof e.explode === 'boolean') entry.explode = e.explode;
    if (typeof e.allowReserved === 'boolean') entry.allowReserved = e.allowReserved;
    if (typeof e.contentType === 'string') entry.contentType = e.contentType;
    if (Object.keys(entry).length) setOwn(encoding, name, entry);
  }
  if (!Object.keys(encoding).length) return plan;
  return { ...plan, definition: { ...plan.definition, encoding } as BodyMediaDefinition };
}

export interface BodyPlan {
  readonly definition: BodyDefinition;
  readonly schema: JsonSchema;
  readonly requires: readonly string[];
  /** Schema of the media-type argument when several media types are offered. */
  readonly mediaTypeSchema?: JsonSchema;
}

/**
 * Plans the request body: every media type becomes a way to send it, JSON first.
 * With one media type the body argument has that type's schema; with several the
 * caller picks through a `contentType` argument and the body schema accepts any of them.
 */
export function planRequestBody(op: OperationNode, converter: SchemaConverter, document: unknown, argName: string, mediaTypeArg: string, diagnostics: Diagnostic[], file: string): BodyPlan | undefined {
  const body = op.requestBody;
  if (!body || !body.contents.length) return undefined;
  const plans = [...body.contents]
    .map((media, index) => ({ media, index, kind: bodyKind(media.mediaType) }))
    .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.index - b.index)
    .map(({ media }) => planMedia(media, converter, document, media.encoding));
  const distinct: JsonSchema[] = [];
  for (const plan of plans) {
    const text = JSON.stringify(plan.converted.schema);
    if (!distinct.some((d) => JSON.stringify(d) === text)) distinct.push(plan.converted.schema);
  }
  const schema: JsonSchema = distinct.length === 1 ? { ...distinct[0]! } : { anyOf: distinct };
  if (body.description && schema.description === undefined) schema.description = body.description;
  const requires = [...new Set(plans.flatMap((p) => p.converted.requires))];
  const media = plans.map((p) => p.definition);
  if (media.length > 1) {
    diagnostics.push({
      code: 'MCPGEN_BODY_MEDIA_TYPES',
      severity: 'info',
      file,
      pointer: body.pointer,
      message: `${op.method} ${op.path} accepts ${media.map((m) => m.mediaType).join(', ')}; the argument "${mediaTypeArg}" picks one (default ${media[0]!.mediaType}).`,
    });
    return {
      definition: { arg: argName, required: body.required, media, mediaTypeArg },
      schema,
      requires,
      mediaTypeSchema: { type: 'string', enum: media.map((m) => m.mediaType), default: media[0]!.mediaType, description: 'Media type of the request body.' },
    };
  }
  return { definition: { arg: argName, required: body.required, media }, schema, requires };
}
