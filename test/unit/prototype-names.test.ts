// Property names that are Object.prototype members (`constructor`, `__proto__`, …) are
// ordinary names in a spec: the compiler must keep them as data in input schemas, never
// turn one into a prototype change, and never publish one in an output schema (a client
// validator resolves `data.constructor` through the prototype and rejects every result).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/pipeline.js';
import { PROTOTYPE_NAMES, withoutPrototypeNames } from '../../src/plan/output-schema.js';
import type { ServerPlan, ToolPlan } from '../../src/plan/types.js';

const NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'] as const;

// YAML, so the real loader parses `__proto__` keys (an object literal here would set a prototype).
const SPEC = `openapi: 3.0.3
info: { title: Prototype names, version: '1' }
servers: [{ url: 'http://127.0.0.1:9' }]
paths:
  /things/{constructor}:
    post:
      operationId: create
      parameters:
        - { name: constructor, in: path, required: true, schema: { type: string } }
        - { name: toString, in: query, schema: { type: string } }
        - { name: __proto__, in: query, required: true, schema: { type: string } }
        - { name: hasOwnProperty, in: header, schema: { type: string } }
        - { name: valueOf, in: cookie, schema: { type: string } }
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [constructor, __proto__]
              properties:
                constructor: { type: string }
                toString: { type: integer }
                __proto__: { type: object, properties: { valueOf: { type: boolean } } }
                hasOwnProperty: { type: string }
                valueOf: { type: number }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [constructor, id]
                properties:
                  constructor: { type: string }
                  id: { type: string }
                  __proto__: { type: string }
                  toString: { type: string }
  /things:
    get:
      operationId: list
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items:
                  type: object
                  required: [valueOf]
                  properties: { valueOf: { type: string }, name: { type: string }, hasOwnProperty: { type: string } }
`;

let dir: string;
let plan: ServerPlan;

function tool(name: string): ToolPlan {
  const found = plan.tools.find((t) => t.definition.name === name);
  expect(found, name).toBeDefined();
  return found!;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mcpgen-proto-'));
  writeFileSync(path.join(dir, 'spec.yaml'), SPEC);
  writeFileSync(path.join(dir, 'mcpgen.config.json'), JSON.stringify({ servers: [{ name: 'proto', spec: 'spec.yaml', output: 'out' }] }));
  const result = await runPipeline({ configPath: path.join(dir, 'mcpgen.config.json'), verify: false });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  plan = result.servers[0]!.plan;
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Object.prototype member names', () => {
  it('every parameter keeps its exact name as an own input property, and the body is beside them', () => {
    const schema = tool('create').definition.inputSchema;
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
    expect(Object.keys(properties)).toEqual([...NAMES, 'body']);
    for (const name of NAMES) expect(Object.getOwnPropertyDescriptor(properties, name)?.value, name).toMatchObject({ type: 'string' });
    expect(schema.required).toEqual(['constructor', '__proto__', 'body']);
    expect(tool('create').definition.operation.parameters.map((p) => [p.name, p.arg])).toEqual(NAMES.map((n) => [n, n]));
  });

  it('every body property keeps its exact name, schema and required entry', () => {
    const body = (tool('create').definition.inputSchema.properties as Record<string, Record<string, unknown>>).body!;
    const properties = body.properties as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
    expect(Object.keys(properties)).toEqual([...NAMES]);
    expect(Object.getOwnPropertyDescriptor(properties, 'constructor')?.value).toEqual({ type: 'string' });
    expect(Object.getOwnPropertyDescriptor(properties, 'toString')?.value).toEqual({ type: 'integer' });
    expect(Object.getOwnPropertyDescriptor(properties, '__proto__')?.value).toEqual({ type: 'object', properties: { valueOf: { type: 'boolean' } } });
    expect(body.required).toEqual(['constructor', '__proto__']);
  });

  it('the names survive JSON serialization, as the data files are written', () => {
    const text = JSON.stringify(tool('create').definition.inputSchema);
    const parsed = JSON.parse(text) as { properties: Record<string, { properties?: object }> };
    expect(Object.keys(parsed.properties)).toEqual([...NAMES, 'body']);
    expect(Object.keys(parsed.properties.body!.properties!)).toEqual([...NAMES]);
  });

  it('an object output schema names none of them, in properties or required', () => {
    const output = tool('create').definition.outputSchema!;
    expect(Object.keys(output.properties as object)).toEqual(['id']);
    expect(output.required).toBeUndefined();
  });

  it('an array output schema names none of them in its items either', () => {
    // Published spelling: the nullable array and its nullable items are anyOf branches, the first of each the value's type.
    type Node = { anyOf: [Record<string, unknown>] };
    const list = (tool('list').definition.outputSchema!.properties as Record<string, Node>).items!.anyOf[0];
    const items = (list.items as Node).anyOf[0];
    expect(Object.keys(items.properties as object)).toEqual(['name']);
  });

  it('no plan object was given a prototype through a key', () => {
    expect(Object.getPrototypeOf(plan.definitions)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).valueOf).toBe(Object.prototype.valueOf);
  });
});

describe('withoutPrototypeNames', () => {
  it('covers every own member of Object.prototype', () => {
    expect([...PROTOTYPE_NAMES].sort()).toEqual(Object.getOwnPropertyNames(Object.prototype).sort());
  });

  it.each([
    ['top-level properties and required', { type: 'object', required: ['constructor', 'id'], properties: { constructor: {}, id: {} } }, { type: 'object', required: ['id'], properties: { id: {} } }],
    ['a required list left empty is dropped', { required: ['toString'], properties: { toString: {} } }, { properties: {} }],
    ['nested in items and combinators', { items: { properties: { valueOf: {}, a: {} } }, anyOf: [{ properties: { isPrototypeOf: {} } }] }, { items: { properties: { a: {} } }, anyOf: [{ properties: {} }] }],
    ['inside $defs, whose own names are kept', { $defs: { constructor: { properties: { __defineGetter__: {}, b: {} } } } }, { $defs: { constructor: { properties: { b: {} } } } }],
    ['other data is untouched', { enum: [{ constructor: 1 }], default: { toString: 'x' } }, { enum: [{ constructor: 1 }], default: { toString: 'x' } }],
  ])('%s', (_name, given, want) => {
    expect(withoutPrototypeNames(given)).toEqual(want);
  });

  it('an own __proto__ property is removed, not followed', () => {
    const given = JSON.parse('{"properties":{"__proto__":{"type":"string"},"x":{}}}') as Record<string, unknown>;
    const out = withoutPrototypeNames(given);
    expect(Object.keys(out.properties as object)).toEqual(['x']);
  });
});
