import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { OperationNode, ParameterNode } from '../ir/types.js';
import type { JsonSchema, SchemaConverter } from './json-schema.js';
import { toArgumentName } from './naming.js';
import type { ArgumentDoc, ParameterDefinition } from './types.js';

/** Locations in the order that wins a name clash: path keeps its name, later ones are prefixed. */
const LOCATION_PRIORITY: readonly ParameterNode['in'][] = ['path', 'query', 'header', 'cookie'];

const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json(?:\s*;.*)?$/i;

export function isJsonMediaType(mediaType: string): boolean {
  return JSON_MEDIA.test(mediaType) || mediaType === '*/*';
}

export interface InputPlan {
  readonly inputSchema: JsonSchema;
  readonly parameters: ParameterDefinition[];
  readonly body?: { arg: string; mediaType: string; required: boolean };
  readonly arguments: ArgumentDoc[];
  /** Set when the operation cannot be offered (e.g. a required non-JSON body). */
  readonly skip?: Diagnostic;
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
 * (`request_body` when a parameter already took `body`).
 */
export function buildInputPlan(op: OperationNode, converter: SchemaConverter, file: string, diagnostics: Diagnostic[]): InputPlan {
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
    const schema = converted.schema;
    const described: JsonSchema = { ...schema };
    if (param.description && described.description === undefined) described.description = param.description;
    if (param.deprecated) described.deprecated = true;
    properties[arg] = described;
    if (param.required) required.push(arg);
    parameters.push({
      name: param.name,
      in: param.in,
      arg,
      required: param.required,
      style: param.style,
      explode: param.explode,
      ...(param.allowReserved ? { allowReserved: true } : {}),
    });
    args.push({ name: arg, location: param.in, required: param.required, description: param.description });
  }
  let body: InputPlan['body'];
  const requestBody = op.requestBody;
  if (requestBody && requestBody.contents.length) {
    const media = requestBody.contents.find((c) => JSON_MEDIA.test(c.mediaType)) ?? requestBody.contents.find((c) => c.mediaType === '*/*');
    if (!media) {
      const types = requestBody.contents.map((c) => c.mediaType).join(', ');
      const diagnostic: Diagnostic = {
        code: 'MCPGEN_BODY_UNSUPPORTED',
        severity: requestBody.required ? 'warning' : 'info',
        file,
        pointer: requestBody.pointer,
        message: requestBody.required
          ? `${op.method} ${op.path} needs a ${types} body, which this version does not send; the operation is skipped.`
          : `${op.method} ${op.path} accepts a ${types} body, which this version does not send; the tool is offered without it.`,
      };
      if (requestBody.required) return { inputSchema: {}, parameters, arguments: args, skip: diagnostic };
      diagnostics.push(diagnostic);
    } else {
      const arg = uniqueName(taken.has('body') ? 'request_body' : 'body', taken);
      const converted = converter.convert(media.schema, 'input', `${media.pointer}/schema`);
      requires = [...requires, ...converted.requires];
      const schema = converted.schema;
      const described: JsonSchema = { ...schema };
      if (requestBody.description && described.description === undefined) described.description = requestBody.description;
      properties[arg] = described;
      if (requestBody.required) required.push(arg);
      body = { arg, mediaType: media.mediaType === '*/*' ? 'application/json' : media.mediaType, required: requestBody.required };
      args.push({ name: arg, location: 'body', required: requestBody.required, description: requestBody.description });
    }
  }
  const inputSchema: JsonSchema = { type: 'object', properties };
  if (required.length) inputSchema.required = required;
  const defs = converter.definitions(requires, 'input');
  if (defs) inputSchema.$defs = defs;
  return { inputSchema, parameters, body, arguments: args };
}
