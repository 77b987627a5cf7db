import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../src/plan/json-schema.js';
import { portableSchema } from '../../src/plan/portable.js';

const cases: Array<[string, { given: JsonSchema; want: JsonSchema; values: unknown[] }]> = [
  [
    'oneOf of disjoint types becomes anyOf',
    { given: { oneOf: [{ type: 'string' }, { type: 'integer' }] }, want: { anyOf: [{ type: 'string' }, { type: 'integer' }] }, values: ['a', 1, 1.5, null, true] },
  ],
  [
    'oneOf whose branches overlap stays oneOf',
    {
      given: { oneOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'object', required: ['b'] }] },
      want: { oneOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'object', required: ['b'] }] },
      values: [{}, { b: 1 }, { a: 'x', b: 1 }, 'x'],
    },
  ],
  [
    'integer and number are one family',
    { given: { oneOf: [{ type: 'number' }, { type: 'integer' }] }, want: { oneOf: [{ type: 'number' }, { type: 'integer' }] }, values: [1, 1.5] },
  ],
  [
    'a type beside anyOf moves into the branches',
    {
      given: { type: 'string', anyOf: [{ format: 'date' }, { maxLength: 3 }] },
      want: { anyOf: [{ format: 'date', type: 'string' }, { maxLength: 3, type: 'string' }] },
      values: ['ab', 'abcdef', 5, null],
    },
  ],
  [
    'a branch the outer type excludes is dropped',
    { given: { type: 'object', anyOf: [{ type: 'object', required: ['a'] }, { type: 'string' }] }, want: { anyOf: [{ type: 'object', required: ['a'] }] }, values: [{ a: 1 }, {}, 'x'] },
  ],
  [
    'a $ref branch keeps the schema as it is',
    { given: { type: 'object', anyOf: [{ $ref: '#/$defs/X' }, { required: ['a'] }], $defs: { X: { type: 'object' } } }, want: { type: 'object', anyOf: [{ $ref: '#/$defs/X' }, { required: ['a'] }], $defs: { X: { type: 'object' } } }, values: [{}, 1] },
  ],
  [
    'properties beside an anyOf of required sets move into the branches',
    {
      given: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } }, anyOf: [{ required: ['a'] }, { required: ['b'] }], description: 'd' },
      want: {
        description: 'd',
        anyOf: [
          { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } }, required: ['a'] },
          { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } }, required: ['b'] },
        ],
      },
      values: [{ a: 'x' }, { b: 1 }, { a: 1 }, { a: 'x', b: 'y' }, {}, { c: 1 }, 'x', null],
    },
  ],
  [
    'required and additionalProperties move too, into the branches that can be objects',
    {
      given: { properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false, anyOf: [{ type: 'object', minProperties: 1 }, { type: 'string' }] },
      want: { anyOf: [{ type: 'object', minProperties: 1, properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false }, { type: 'string' }] },
      values: [{ a: 'x' }, { a: 'x', b: 1 }, {}, 'x', 1],
    },
  ],
  [
    'a branch with its own closed map keeps the schema as it is',
    {
      given: { type: 'object', properties: { a: { type: 'string' } }, anyOf: [{ properties: { b: { type: 'string' } }, additionalProperties: false }, { required: ['a'] }] },
      want: { anyOf: [{ type: 'object', properties: { b: { type: 'string' } }, additionalProperties: false }, { type: 'object', required: ['a'] }], properties: { a: { type: 'string' } } },
      values: [{ a: 'x' }, { b: 'y' }, {}, { a: 1 }],
    },
  ],
  [
    'a branch declaring the same property keeps the schema as it is',
    {
      given: { properties: { a: { type: 'string' } }, anyOf: [{ properties: { a: { maxLength: 1 } } }, { required: ['a'] }] },
      want: { properties: { a: { type: 'string' } }, anyOf: [{ properties: { a: { maxLength: 1 } } }, { required: ['a'] }] },
      values: [{ a: 'x' }, { a: 'xy' }, {}, { a: 1 }],
    },
  ],
  [
    'nested under properties, items and $defs',
    {
      given: { type: 'object', properties: { v: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'boolean' }] } } } },
      want: { type: 'object', properties: { v: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'boolean' }] } } } },
      values: [{ v: ['a', true] }, { v: [1] }],
    },
  ],
];

describe('portableSchema', () => {
  it.each(cases)('%s, accepting exactly the same values', (_name, { given, want, values }) => {
    const out = portableSchema(given);
    expect(out).toEqual(want);
    const ajv = new Ajv2020({ strict: false });
    const before = ajv.compile(given);
    const after = ajv.compile(out);
    for (const value of values) expect(after(value), JSON.stringify(value)).toBe(before(value));
  });

  it('keeps a property called __proto__ as a property', () => {
    const given = JSON.parse('{"type":"object","properties":{"__proto__":{"oneOf":[{"type":"string"},{"type":"null"}]}}}') as JsonSchema;
    const out = portableSchema(given) as { properties: Record<string, unknown> };
    expect(Object.keys(out.properties)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(out.properties, '__proto__')?.value).toEqual({ anyOf: [{ type: 'string' }, { type: 'null' }] });
  });
});
