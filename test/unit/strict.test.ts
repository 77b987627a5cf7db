// Why OpenAI strict mode refuses a tool, named at the place in its inputSchema. The count
// is checked against the OpenAI Agents SDK itself in the client matrix (test/clients).
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../src/plan/json-schema.js';
import { strictRefusalReasons, strictReport } from '../../src/plan/strict.js';
import type { ToolDefinition } from '../../src/plan/types.js';

const object = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({ type: 'object', properties, required, additionalProperties: false });

describe('strictRefusalReasons', () => {
  it.each<[string, JsonSchema, string[]]>([
    ['closed object with typed properties', object({ a: { type: 'string' }, b: { type: ['integer', 'null'] } }, ['a']), []],
    ['a tool without arguments, closed', { type: 'object', properties: {}, additionalProperties: false }, []],
    ['a tool without arguments, open', { type: 'object', properties: {} }, ['an object with no declared properties at the root']],
    ['an open map', object({ body: object({ metadata: { type: 'object', additionalProperties: { type: 'string' } } }) }), ['an open map at /properties/body/properties/metadata']],
    ['properties and additionalProperties', object({ m: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: true } }), ['an open map at /properties/m']],
    ['oneOf', object({ body: { oneOf: [{ type: 'string' }, { type: 'string', format: 'uri' }] } }), ['`oneOf` at /properties/body']],
    ['allOf and not', object({ x: { allOf: [{ type: 'string' }], not: { const: 'a' } } }), ['`allOf` at /properties/x', '`not` at /properties/x']],
    ['anyOf beside a constraining keyword', object({ x: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false, anyOf: [{ required: ['a'] }] } }), [
      '`anyOf` beside `type` at /properties/x',
    ]],
    ['anyOf beside a description is fine', object({ x: { description: 'd', anyOf: [{ type: 'string' }, { type: 'null' }] } }), []],
    [
      'an anyOf branch with an optional property that does not admit null',
      object({ labels: { type: 'array', items: { anyOf: [{ type: 'string' }, object({ name: { type: 'string' } })] } } }),
      ['an `anyOf` branch with optional properties at /properties/labels/items/anyOf/1'],
    ],
    ['an anyOf branch whose optional property admits null', object({ x: { anyOf: [{ type: 'string' }, object({ name: { type: ['string', 'null'] } })] } }), []],
    ['$ref beside a keyword', object({ x: { $ref: '#/$defs/A', minLength: 1 } }), [
      '`$ref` beside `minLength` at /properties/x',
      'an unresolved `$ref` at /properties/x',
      'an optional property whose null-ness cannot be told at /properties/x',
    ]],
    ['an object without type', object({ x: { properties: { a: { type: 'string' } } } }), ['an object without `type` at /properties/x']],
    ['a property name with a slash is escaped in the pointer', object({ 'a/b': { type: 'object' } }), ['an object with no declared properties at /properties/a~1b']],
  ])('%s', (_name, schema, reasons) => {
    expect(strictRefusalReasons(schema)).toEqual(reasons);
  });

  it('follows $ref into linked definitions, once for a recursive one', () => {
    const tree: JsonSchema = object({ children: { type: 'array', items: { $ref: '#/$defs/Tree' } }, extra: { type: 'object' } });
    expect(strictRefusalReasons(object({ root: { $ref: '#/$defs/Tree' } }), { Tree: tree })).toEqual(['an object with no declared properties at /properties/root/properties/extra']);
    expect(strictRefusalReasons(object({ root: { $ref: '#/$defs/Leaf' } }), { Leaf: object({ a: { type: 'string' } }) })).toEqual([]);
  });

  it('refuses schemas nested deeper than 100 levels', () => {
    let schema: JsonSchema = { type: 'string' };
    for (let i = 0; i < 60; i++) schema = object({ a: schema }, ['a']);
    expect(strictRefusalReasons(schema)).toEqual(['nested deeper than 100 levels of JSON']);
  });
});

describe('strictReport', () => {
  const tool = (name: string, inputSchema: JsonSchema, defs?: string[]) => ({ name, inputSchema, ...(defs ? { defs } : {}) }) as unknown as ToolDefinition;
  it('counts the convertible tools and lists the others with at most three reasons', () => {
    const many = object(Object.fromEntries(['a', 'b', 'c', 'd'].map((k) => [k, { type: 'object' }])));
    const report = strictReport([tool('ok', object({ a: { type: 'string' } })), tool('many', many), tool('linked', object({ t: { $ref: '#/$defs/T' } }), ['T'])], { T: { type: 'object' } });
    expect(report.convertible).toBe(1);
    expect(report.tools).toBe(3);
    expect(report.refused).toEqual([
      { tool: 'many', reasons: ['an object with no declared properties at /properties/a', 'an object with no declared properties at /properties/b', 'an object with no declared properties at /properties/c'] },
      { tool: 'linked', reasons: ['an object with no declared properties at /properties/t'] },
    ]);
  });
});
