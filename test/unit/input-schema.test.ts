import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { buildApiModel } from '../../src/ir/build-model.js';
import type { OperationNode } from '../../src/ir/types.js';
import type { OpenApiDocument } from '../../src/load/load-spec.js';
import { buildInputPlan } from '../../src/plan/input-schema.js';
import { SchemaConverter } from '../../src/plan/json-schema.js';

/** Builds the IR of a one-path 3.0 spec and plans the input of its single operation. */
function planFor(operation: object, extra: { pathParameters?: object[]; components?: object } = {}) {
  const document = {
    openapi: '3.0.3',
    info: { title: 'T', version: '1' },
    paths: { '/items/{id}': { ...(extra.pathParameters ? { parameters: extra.pathParameters } : {}), post: { responses: { '200': { description: 'ok' } }, ...operation } } },
    ...(extra.components ? { components: extra.components } : {}),
  } as unknown as OpenApiDocument;
  const { model, diagnostics: irDiagnostics } = buildApiModel({ document, text: '', file: 'spec.yaml', version: '3.0' });
  expect(irDiagnostics).toEqual([]);
  const op = model.operations[0] as OperationNode;
  const diagnostics: Diagnostic[] = [];
  const converter = new SchemaConverter({ document, file: 'spec.yaml', openapiVersion: '3.0', diagnostics });
  const plan = buildInputPlan(op, converter, document, 'spec.yaml', diagnostics);
  return { plan, diagnostics };
}

const pathId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

describe('buildInputPlan', () => {
  it('merges parameters from all four locations into top-level properties', () => {
    const { plan } = planFor({
      parameters: [
        { name: 'X-Trace', in: 'header', schema: { type: 'string' } },
        { name: 'limit', in: 'query', required: true, schema: { type: 'integer', minimum: 1 } },
        { name: 'session', in: 'cookie', schema: { type: 'string' } },
        pathId,
      ],
    });
    expect(plan.inputSchema).toEqual({
      type: 'object',
      properties: {
        id: { type: 'string' },
        limit: { type: 'integer', minimum: 1 },
        'X-Trace': { type: 'string' },
        session: { type: 'string' },
      },
      required: ['id', 'limit'],
    });
    expect(plan.parameters.map((p) => [p.in, p.name, p.arg, p.style, p.explode])).toEqual([
      ['path', 'id', 'id', 'simple', false],
      ['query', 'limit', 'limit', 'form', true],
      ['header', 'X-Trace', 'X-Trace', 'simple', false],
      ['cookie', 'session', 'session', 'form', true],
    ]);
  });

  it.each([
    ['path keeps its name, query is prefixed', { locations: ['query', 'path'], want: { path: 'id', query: 'query_id' } }],
    ['header after query', { locations: ['header', 'query', 'path'], want: { path: 'id', query: 'query_id', header: 'header_id' } }],
    ['all four', { locations: ['cookie', 'header', 'query', 'path'], want: { path: 'id', query: 'query_id', header: 'header_id', cookie: 'cookie_id' } }],
    ['query alone keeps the name', { locations: ['query'], want: { query: 'id' } }],
    ['header wins over cookie without path or query', { locations: ['cookie', 'header'], want: { header: 'id', cookie: 'cookie_id' } }],
  ])('clash rule: %s', (_name, { locations, want }) => {
    const parameters = locations.map((location) => ({ name: 'id', in: location, required: location === 'path', schema: { type: 'string' } }));
    // The spec requires a path parameter named after the template, so the path is /items/{id} either way.
    const { plan, diagnostics } = planFor({ parameters });
    const args = Object.fromEntries(plan.parameters.map((p) => [p.in, p.arg]));
    expect(args).toEqual(want);
    expect(Object.keys(plan.inputSchema.properties as object).sort()).toEqual(Object.values(want).sort());
    const renamed = diagnostics.filter((d) => d.code === 'MCPGEN_ARGUMENT_RENAMED');
    expect(renamed.map((d) => d.severity)).toEqual(Object.values(want).filter((arg) => arg !== 'id').map(() => 'info'));
  });

  it('a prefixed name that is itself taken gets a numeric suffix', () => {
    const { plan } = planFor({
      parameters: [pathId, { name: 'id', in: 'query', schema: { type: 'string' } }, { name: 'query_id', in: 'query', schema: { type: 'string' } }],
    });
    const args = plan.parameters.map((p) => p.arg);
    expect(new Set(args).size).toBe(args.length);
    expect(args).toEqual(['id', 'query_id', 'query_id_2']);
  });

  it.each([
    ['brackets', { name: 'filter[status]', want: 'filter_status_' }],
    ['spaces', { name: 'page size', want: 'page_size' }],
    ['dollar', { name: '$top', want: '_top' }],
    ['allowed punctuation', { name: 'a.b-c_d', want: 'a.b-c_d' }],
  ])('sanitizes a name with %s', (_name, { name, want }) => {
    const { plan, diagnostics } = planFor({ parameters: [pathId, { name, in: 'query', schema: { type: 'string' } }] });
    expect(plan.parameters[1]).toMatchObject({ name, arg: want });
    expect(Object.keys(plan.inputSchema.properties as object)).toContain(want);
    if (want !== name) expect(diagnostics.map((d) => d.code)).toContain('MCPGEN_ARGUMENT_RENAMED');
  });

  it('calls the JSON body "body" and marks it required', () => {
    const { plan } = planFor({
      parameters: [pathId],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } } } },
    });
    expect(plan.body).toEqual({ arg: 'body', required: true, media: [{ mediaType: 'application/json', kind: 'json' }] });
    expect(plan.inputSchema.properties).toHaveProperty('body', { type: 'object', properties: { name: { type: 'string' } } });
    expect(plan.inputSchema.required).toEqual(['id', 'body']);
  });

  it('calls the body "request_body" when a parameter is named body', () => {
    const { plan } = planFor({
      parameters: [pathId, { name: 'body', in: 'query', schema: { type: 'string' } }],
      requestBody: { content: { 'application/merge-patch+json': { schema: { type: 'object' } } } },
    });
    expect(plan.body).toEqual({ arg: 'request_body', required: false, media: [{ mediaType: 'application/merge-patch+json', kind: 'json' }] });
    expect(Object.keys(plan.inputSchema.properties as object)).toEqual(['id', 'body', 'request_body']);
    expect(plan.inputSchema.required).toEqual(['id']);
  });

  it('offers several media types JSON first, chosen through a contentType argument', () => {
    const { plan, diagnostics } = planFor({
      parameters: [pathId],
      requestBody: { content: { 'text/plain': { schema: { type: 'string' } }, 'application/vnd.api+json; charset=utf-8': { schema: { type: 'object' } } } },
    });
    expect(plan.body?.media.map((m) => [m.mediaType, m.kind])).toEqual([
      ['application/vnd.api+json; charset=utf-8', 'json'],
      ['text/plain', 'text'],
    ]);
    expect(plan.body?.mediaTypeArg).toBe('contentType');
    expect(plan.inputSchema.properties).toHaveProperty('contentType.enum', ['application/vnd.api+json; charset=utf-8', 'text/plain']);
    expect(plan.inputSchema.properties).toHaveProperty('contentType.default', 'application/vnd.api+json; charset=utf-8');
    expect(plan.inputSchema.properties).toHaveProperty('body.anyOf', [{ type: 'object' }, { type: 'string' }]);
    expect(diagnostics.map((d) => d.code)).toContain('MCPGEN_BODY_MEDIA_TYPES');
  });

  it('offers a required multipart body with file properties as base64 objects', () => {
    const { plan } = planFor({
      parameters: [pathId],
      requestBody: {
        required: true,
        content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, note: { type: 'string' } } } } },
      },
    });
    expect(plan.body).toEqual({ arg: 'body', required: true, media: [{ mediaType: 'multipart/form-data', kind: 'multipart', files: ['file'] }] });
    expect(plan.inputSchema.properties).toHaveProperty('body.properties.file.properties.data.contentEncoding', 'base64');
    expect(plan.inputSchema.properties).toHaveProperty('body.properties.note', { type: 'string' });
    expect(plan.inputSchema.required).toEqual(['id', 'body']);
  });

  it('offers an optional octet-stream body as a base64 string', () => {
    const { plan } = planFor({ parameters: [pathId], requestBody: { content: { 'application/octet-stream': {} } } });
    expect(plan.body).toEqual({ arg: 'body', required: false, media: [{ mediaType: 'application/octet-stream', kind: 'binary' }] });
    expect(plan.inputSchema.properties).toHaveProperty('body.type', 'string');
    expect(plan.inputSchema.properties).toHaveProperty('body.contentEncoding', 'base64');
  });

  it('copies the parameter description when the schema has none', () => {
    const { plan } = planFor({
      parameters: [
        { ...pathId, description: 'Item id' },
        { name: 'q', in: 'query', description: 'From the parameter', schema: { type: 'string', description: 'From the schema' } },
        { name: 'old', in: 'query', deprecated: true, schema: { type: 'string' } },
      ],
    });
    const properties = plan.inputSchema.properties as Record<string, { description?: string; deprecated?: boolean }>;
    expect(properties.id!.description).toBe('Item id');
    expect(properties.q!.description).toBe('From the schema');
    expect(properties.old!.deprecated).toBe(true);
    expect(plan.arguments.find((a) => a.name === 'q')?.description).toBe('From the parameter');
  });

  it('copies the request body description to the body property', () => {
    const { plan } = planFor({ parameters: [pathId], requestBody: { description: 'The new item', content: { 'application/json': { schema: { type: 'object' } } } } });
    expect(plan.inputSchema.properties).toHaveProperty('body.description', 'The new item');
  });

  it('always has an object root with properties, closed when there are no inputs (strict clients need the closed form)', () => {
    const document = { openapi: '3.0.3', info: { title: 'T', version: '1' }, paths: { '/ping': { get: { responses: { '204': { description: 'ok' } } } } } } as unknown as OpenApiDocument;
    const { model } = buildApiModel({ document, text: '', file: 'spec.yaml', version: '3.0' });
    const diagnostics: Diagnostic[] = [];
    const plan = buildInputPlan(model.operations[0]!, new SchemaConverter({ document, file: 'spec.yaml', openapiVersion: '3.0', diagnostics }), document, 'spec.yaml', diagnostics);
    expect(plan.inputSchema).toEqual({ type: 'object', properties: {}, additionalProperties: false });
  });

  it('uses operation-level parameters over path-level ones with the same name and location', () => {
    const { plan } = planFor(
      { parameters: [{ ...pathId, description: 'operation level' }] },
      { pathParameters: [{ ...pathId, description: 'path level' }, { name: 'v', in: 'query', schema: { type: 'integer' } }] },
    );
    expect(plan.parameters.map((p) => p.arg)).toEqual(['id', 'v']);
    expect(plan.inputSchema.properties).toHaveProperty('id.description', 'operation level');
  });

  it('publishes $defs for a recursive body', () => {
    const { plan } = planFor(
      { parameters: [pathId], requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Tree' } } } } },
      { components: { schemas: { Tree: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/components/schemas/Tree' } } } } } } },
    );
    expect(plan.inputSchema.properties).toHaveProperty('body', { $ref: '#/$defs/Tree' });
    // The definition is shared server-wide and linked into $defs at start-up.
    expect(plan.inputSchema).not.toHaveProperty('$defs');
    expect(plan.defs).toEqual(['Tree']);
    expect(Object.keys(plan.definitions)).toEqual(['Tree']);
  });

  // Regression: a parameter named `__proto__` vanished from the input schema (prototype assignment).
  it('keeps a parameter named __proto__', () => {
    const { plan } = planFor({ parameters: [pathId, { name: '__proto__', in: 'query', required: true, schema: { type: 'string' } }] });
    expect(Object.keys(plan.inputSchema.properties as object)).toEqual(['id', '__proto__']);
  });
});
