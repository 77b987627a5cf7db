import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { buildApiModel } from '../../src/ir/build-model.js';
import type { OpenApiDocument } from '../../src/load/load-spec.js';
import { SchemaConverter } from '../../src/plan/json-schema.js';
import { buildOutputPlan, successResponse, WRAP_KEY } from '../../src/plan/output-schema.js';

function operationWith(responses: object, components?: object) {
  const document = {
    openapi: '3.0.3',
    info: { title: 'T', version: '1' },
    paths: { '/things': { get: { responses } } },
    ...(components ? { components } : {}),
  } as unknown as OpenApiDocument;
  const { model } = buildApiModel({ document, text: '', file: 'spec.yaml', version: '3.0' });
  const diagnostics: Diagnostic[] = [];
  const converter = new SchemaConverter({ document, file: 'spec.yaml', openapiVersion: '3.0', diagnostics });
  return { op: model.operations[0]!, converter, diagnostics };
}

const json = (schema: object) => ({ description: 'x', content: { 'application/json': { schema } } });
/** How an output schema spells a nullable type, with what only that type's values need. */
const nullable = (type: string, own: object = {}) => ({ anyOf: [{ type, ...own }, { type: 'null' }] });

describe('successResponse', () => {
  it.each([
    ['200 before 201', { statuses: ['201', '200'], want: '200' }],
    ['201 before 2XX', { statuses: ['2XX', '201'], want: '201' }],
    ['2XX before default', { statuses: ['default', '2XX'], want: '2XX' }],
    ['lower-case 2xx counts as a range', { statuses: ['default', '2xx'], want: '2xx' }],
    ['default alone', { statuses: ['404', 'default'], want: 'default' }],
    ['exact codes sort numerically', { statuses: ['299', '204', '202'], want: '202' }],
    ['error codes are not success', { statuses: ['400', '500', '3XX'], want: undefined }],
    ['no responses', { statuses: [], want: undefined }],
  ])('%s', (_name, { statuses, want }) => {
    const { op } = operationWith(Object.fromEntries(statuses.map((s) => [s, { description: s }])));
    expect(successResponse(op)?.status).toBe(want);
  });
});

describe('buildOutputPlan', () => {
  const objectSchema = { type: 'object', required: ['id'], properties: { id: { type: 'integer' }, name: { type: 'string' } } };

  it('an object response becomes an outputSchema with type object', () => {
    const { op, converter } = operationWith({ '200': json(objectSchema) });
    const plan = buildOutputPlan(op, converter);
    expect(plan.structured).toBe(true);
    expect(plan.wrapKey).toBeUndefined();
    // Nullable types are spelt as anyOf branches (portable-output.ts): no type lists.
    expect(plan.outputSchema).toEqual({ type: 'object', properties: { id: nullable('number'), name: nullable('string') } });
  });

  it('an array response is wrapped under items', () => {
    const { op, converter } = operationWith({ '200': json({ type: 'array', items: objectSchema }) });
    const plan = buildOutputPlan(op, converter);
    expect(WRAP_KEY).toBe('items');
    expect(plan.wrapKey).toBe('items');
    expect(plan.structured).toBe(true);
    expect(plan.outputSchema).toEqual({
      type: 'object',
      properties: {
        items: nullable('array', { items: nullable('object', { properties: { id: nullable('number'), name: nullable('string') } }) }),
      },
    });
  });

  it.each([
    ['a string response', { '200': json({ type: 'string' }) }],
    ['a number response', { '200': json({ type: 'number' }) }],
    ['204 without content', { '204': { description: 'gone' } }],
    ['text/plain only', { '200': { description: 'x', content: { 'text/plain': { schema: { type: 'object' } } } } }],
    ['*/* is not taken as JSON for output', { '200': { description: 'x', content: { '*/*': { schema: { type: 'object' } } } } }],
    ['application/xml with an object schema', { '200': { description: 'x', content: { 'application/xml': { schema: { type: 'object' } } } } }],
    ['JSON without a schema', { '200': { description: 'x', content: { 'application/json': {} } } }],
    ['only an error response has a schema', { '404': json(objectSchema) }],
  ])('%s gives no outputSchema', (_name, responses) => {
    const { op, converter } = operationWith(responses);
    const plan = buildOutputPlan(op, converter);
    expect(plan.structured).toBe(false);
    expect(plan.outputSchema).toBeUndefined();
  });

  it('uses the preferred success response (200 over 201 and default)', () => {
    const { op, converter } = operationWith({
      default: json({ type: 'object', properties: { error: { type: 'string' } } }),
      '201': json({ type: 'object', properties: { created: { type: 'boolean' } } }),
      '200': json({ type: 'object', properties: { ok: { type: 'boolean' } } }),
    });
    expect(Object.keys(buildOutputPlan(op, converter).outputSchema!.properties as object)).toEqual(['ok']);
  });

  it('a 204 preferred over a 2XX with content gives no outputSchema', () => {
    const { op, converter } = operationWith({ '204': { description: 'none' }, '2XX': json(objectSchema) });
    const plan = buildOutputPlan(op, converter);
    expect(plan.structured).toBe(false);
    expect(plan.outputSchema).toBeUndefined();
  });

  it('a nullable object still gets type object at the root', () => {
    const { op, converter } = operationWith({ '200': json({ ...objectSchema, nullable: true }) });
    expect(buildOutputPlan(op, converter).outputSchema?.type).toBe('object');
  });

  it('drops writeOnly properties from the output schema', () => {
    const { op, converter } = operationWith(
      { '200': json({ $ref: '#/components/schemas/User' }) },
      { schemas: { User: { type: 'object', properties: { password: { type: 'string', writeOnly: true }, name: { type: 'string' } } } } },
    );
    expect(Object.keys(buildOutputPlan(op, converter).outputSchema!.properties as object)).toEqual(['name']);
  });

  it('an array of a recursive component is published without $ref', () => {
    const { op, converter } = operationWith(
      { '200': json({ type: 'array', items: { $ref: '#/components/schemas/Node' } }) },
      { schemas: { Node: { type: 'object', properties: { label: { type: 'string' }, next: { $ref: '#/components/schemas/Node' } } } } },
    );
    const plan = buildOutputPlan(op, converter);
    expect(plan.wrapKey).toBe('items');
    expect(JSON.stringify(plan.outputSchema)).not.toContain('$ref');
    expect(plan.outputSchema).toHaveProperty(['properties', 'items', 'anyOf', '0', 'items', 'anyOf', '0', 'properties', 'label'], nullable('string'));
  });

  // Regression: a recursive root ($ref into $defs) was not seen as an object, so it lost its outputSchema.
  it('a response that is a recursive object still gets an outputSchema', () => {
    const { op, converter } = operationWith(
      { '200': json({ $ref: '#/components/schemas/Node' }) },
      { schemas: { Node: { type: 'object', properties: { label: { type: 'string' }, next: { $ref: '#/components/schemas/Node' } } } } },
    );
    const plan = buildOutputPlan(op, converter);
    expect(plan.structured).toBe(true);
    expect(plan.outputSchema?.type).toBe('object');
    expect(JSON.stringify(plan.outputSchema)).not.toContain('$ref');
    expect(Object.keys(plan.outputSchema!.properties as object)).toEqual(['label', 'next']);
  });
});

// The runtime's drift repair (templates/runtime/protocol/output-check.ts) relies on this: an outputSchema
// says only which types (one per anyOf branch) and structure to expect, so leaving a value out never breaks it and {}
// always fits the root.
describe('outputSchemas hold types and structure only', () => {
  const restrictive = {
    type: 'object',
    required: ['id', 'kind'],
    additionalProperties: false,
    minProperties: 2,
    properties: {
      id: { type: 'integer', minimum: 1, format: 'int64' },
      kind: { type: 'string', enum: ['a', 'b'], pattern: '^[ab]$' },
      fixed: { const: 'x' },
      either: { oneOf: [{ type: 'string' }, { type: 'number' }] },
      list: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'object', required: ['n'], additionalProperties: false, properties: { n: { type: 'number' } } } },
      map: { type: 'object', patternProperties: { '^x': { type: 'string' } }, dependentRequired: { a: ['b'] }, if: { required: ['a'] }, then: { required: ['c'] } },
    },
  };

  // Every keyword of a schema and its subschemas (property names are not keywords).
  const keywordsIn = (schema: unknown, found = new Set<string>()): Set<string> => {
    if (typeof schema !== 'object' || schema === null) return found;
    for (const [keyword, value] of Object.entries(schema)) {
      found.add(keyword);
      if (keyword === 'properties') for (const property of Object.values(value as object)) keywordsIn(property, found);
      if (keyword === 'items') keywordsIn(value, found);
      if (keyword === 'anyOf') for (const branch of value as object[]) keywordsIn(branch, found);
    }
    return found;
  };

  it.each([
    ['object root', restrictive],
    ['array root', { type: 'array', minItems: 1, items: restrictive }],
  ])('%s: only type, anyOf, properties and items, and {} fits', async (_name, schema) => {
    const { op, converter } = operationWith({ '200': json(schema) });
    const plan = buildOutputPlan(op, converter);
    expect(keywordsIn(plan.outputSchema)).toEqual(new Set(['type', 'anyOf', 'properties', 'items']));
    const { AjvJsonSchemaValidator } = await import('@modelcontextprotocol/client/validators/ajv');
    expect(new AjvJsonSchemaValidator().getValidator(plan.outputSchema as never)({}).valid).toBe(true);
  });
});
