import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { OperationNode, ParameterNode } from '../ir/types.js';
import { boundDepth, MAX_INPUT_DEPTH, setOwn, type JsonSchema, type SchemaConverter } from './json-schema.js';
import { toArgumentName } from './naming.js';
import { portableSchema } from './portable.js';
import { strictNullable } from './strict-nullable.js';
import { specProse } from './text.js';
import { bodyKind, planRequestBody } from './request-body.js';
import type { ArgumentDoc, BodyDefinition, ParameterDefinition } from './types.js';

/** Locations in the order that wins a name clash: path keeps its name, later ones are prefixed. */
const LOCATION_PRIORITY: readonly ParameterNode['in'][] = ['path', 'query', 'header', 'cookie'];

/** JSON media types (and `+json` suffixes), used to choose response schemas. */
export function isJsonMediaType(mediaType: string): boolean {
  return bodyKind(mediaType) === 'json';
}

export interface InputPlan {
  /** The schema without `$defs`: the definitions it names live once per server (see `defs`). */
  readonly inputSchema: JsonSchema;
  /** Pointers of optional properties published as nullable for strict clients, where null means absent (see strict-nullable.ts). */
  readonly nullMeansAbsent: readonly string[];
  /** Names of the server-wide definitions the schema refers to, transitively, sorted. */
  readonly defs: readonly string[];
  /** Those definitions, to be merged into the server's table. */
  readonly definitions: Readonly<Record<string, JsonSchema>>;
  readonly parameters: ParameterDefinition[];
  readonly body?: BodyDefinition;
  readonly arguments: ArgumentDoc[];
}

function uniqueName(wanted: string, taken: Set<string>): string {
  let name = wanted;
  for (let i = 2; taken.has(name); i++) name = `${wanted}_${i}`;
  taken.add(name);
  return name;
}

/**
 * One object schema for all of an operation's inputs. Argument names: the spec
 * name with characters outside [A-Za-z0-9_.-] as `_`; on a clash the location
 * later in LOCATION_PRIORITY is prefixed (`query_id`); the body is `body`
 * (`request_body` when a parameter already took `body`), and when the body has
 * several media types, `contentType` (or `body_content_type`) picks one.
 */
export function buildInputPlan(op: OperationNode, converter: SchemaConverter, document: unknown, file: string, diagnostics: Diagnostic[]): InputPlan {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const parameters: ParameterDefinition[] = [];
  const args: ArgumentDoc[] = [];
  const taken = new Set<string>();
  let requires: readonly string[] = [];
  const ordered = LOCATION_PRIORITY.flatMap((location) => op.parameters.filter((p) => p.in === location));
  const plainNames = new Set<string>();
  for (const param of ordered) {
    const plain = toArgumentName(param.name);
    const wanted = plainNames.has(plain) ? toArgumentName(`${param.in}_${param.name}`) : plain;
    plainNames.add(plain);
    const arg = uniqueName(wanted, taken);
    if (arg !== param.name) {
      diagnostics.push({
        code: 'MCPGEN_ARGUMENT_RENAMED',
        severity: 'info',
        file,
        pointer: param.pointer,
        message: `${param.in} parameter "${param.name}" of ${op.method} ${op.path} is the argument "${arg}".`,
      });
    }
    const converted = converter.convert(param.schema, 'input', `${param.pointer}/schema`);
    requires = [...requires, ...converted.requires];
    const described: JsonSchema = { ...converted.schema };
    if (param.description && described.description === undefined) described.description = specProse(param.description);
    if (param.deprecated) described.deprecated = true;
    setOwn(properties, arg, described);
    if (param.required) required.push(arg);
    parameters.push({
      name: param.name,
      in: param.in,
      arg,
      required: param.required,
      style: param.style,
      explode: param.explode,
      ...(param.allowReserved ? { allowReserved: true } : {}),
      ...(param.contentMediaType ? { contentType: param.contentMediaType } : {}),
    });
    args.push({ name: arg, location: param.in, required: param.required, description: param.description });
  }
  const bodyArg = taken.has('body') ? uniqueName('request_body', taken) : uniqueName('body', taken);
  const mediaTypeArg = taken.has('contentType') ? 'body_content_type' : 'contentType';
  const body = planRequestBody(op, converter, document, bodyArg, mediaTypeArg, diagnostics, file);
  if (!body) taken.delete(bodyArg);
  else {
    setOwn(properties, bodyArg, body.schema);
    requires = [...requires, ...body.requires];
    if (body.definition.required) required.push(bodyArg);
    args.push({ name: bodyArg, location: 'body', required: body.definition.required, description: op.requestBody?.description });
    if (body.mediaTypeSchema) {
      uniqueName(mediaTypeArg, taken);
      setOwn(properties, mediaTypeArg, body.mediaTypeSchema);
      args.push({ name: mediaTypeArg, location: 'body', required: false, description: 'Media type of the request body.' });
    }
  }
  const inputSchema: JsonSchema = { type: 'object', properties };
  if (required.length) inputSchema.required = required;
  const definitions = converter.definitions([...new Set(requires)], 'input') ?? {};
  // Depth is measured on the schema as clients see it, definitions included.
  const bounded = boundDepth(Object.keys(definitions).length ? { ...inputSchema, $defs: definitions } : inputSchema);
  if (bounded.cut) {
    diagnostics.push({ code: 'MCPGEN_SCHEMA_TOO_DEEP', severity: 'warning', file, pointer: op.pointer, message: `The input schema of ${op.method} ${op.path} nests deeper than ${MAX_INPUT_DEPTH} levels; deeper levels accept any value.` });
  }
  const { $defs: boundedDefs, ...boundedSchema } = portableSchema(bounded.schema) as JsonSchema & { $defs?: Record<string, JsonSchema> };
  // A tool without arguments is exactly the empty object: strict clients need the closed form.
  if (Object.keys(properties).length === 0) boundedSchema.additionalProperties = false;
  const strict = strictNullable(boundedSchema, boundedDefs ?? {});
  return { inputSchema: strict.schema, nullMeansAbsent: strict.nullMeansAbsent, defs: Object.keys(boundedDefs ?? {}), definitions: boundedDefs ?? {}, parameters, ...(body ? { body: body.definition } : {}), arguments: args };
}
