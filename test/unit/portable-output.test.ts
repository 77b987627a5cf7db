// Output schemas spelt without type lists or keyword-free schemas accept exactly what the
// relaxed form accepted: checked case by case and over many generated values with Ajv.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../src/plan/json-schema.js';
import { anyJsonValue, portableOutputSchema } from '../../src/plan/portable-output.js';

const require = createRequire(import.meta.url);
const Ajv2020 = (require('ajv/dist/2020') as { default: new (options: object) => { compile(schema: object): (data: unknown) => boolean } }).default;
const compile = (schema: JsonSchema) => new Ajv2020({ strict: false }).compile(schema);

const ANY = anyJsonValue();

describe('portableOutputSchema', () => {
  it.each<[string, JsonSchema, JsonSchema]>([
    ['a nullable scalar', { type: ['string', 'null'] }, { anyOf: [{ type: 'string' }, { type: 'null' }] }],
    ['a one-type list', { type: ['number'] }, { type: 'number' }],
    ['a single type stays', { type: 'object', properties: {} }, { type: 'object', properties: {} }],
    [
      'properties go into the object branch',
      { type: ['object', 'null'], properties: { a: { type: ['number', 'null'] } } },
      { anyOf: [{ type: 'object', properties: { a: { anyOf: [{ type: 'number' }, { type: 'null' }] } } }, { type: 'null' }] },
    ],
    ['items go into the array branch', { type: ['array', 'null'], items: {} }, { anyOf: [{ type: 'array', items: ANY }, { type: 'null' }] }],
    ['a string keyword into the string branch', { type: ['string', 'number'], maxLength: 3 }, { anyOf: [{ type: 'string', maxLength: 3 }, { type: 'number' }] }],
    ['a number keyword into integer and number', { type: ['integer', 'number'], minimum: 1 }, { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'number', minimum: 1 }] }],
    ['a keyword of no listed type stays beside', { type: ['string', 'null'], minimum: 1 }, { minimum: 1, anyOf: [{ type: 'string' }, { type: 'null' }] }],
    ['an existing anyOf is kept beside the split', { type: ['string', 'null'], anyOf: [{ maxLength: 2 }, { type: 'null' }] }, {
      allOf: [{ anyOf: [{ maxLength: 2 }, { type: 'null' }] }, { anyOf: [{ type: 'string' }, { type: 'null' }] }],
    }],
    ['{} names every type', {}, ANY],
    ['a description alone constrains nothing', { description: 'd' }, { description: 'd', ...ANY }],
    ['a property named __proto__ stays a property', JSON.parse('{"type":"object","properties":{"__proto__":{}}}') as JsonSchema, JSON.parse(`{"type":"object","properties":{"__proto__":${JSON.stringify(ANY)}}}`) as JsonSchema],
  ])('%s', (_name, given, want) => {
    expect(portableOutputSchema(given)).toEqual(want);
  });

  it('no type list and no keyword-free schema is left anywhere', () => {
    const out = portableOutputSchema({
      type: 'object',
      properties: { a: {}, b: { type: ['array', 'null'], items: { type: ['object', 'null'], properties: { c: {}, d: { type: ['boolean', 'null'] } } } } },
    });
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (typeof node !== 'object' || node === null) return;
      const schema = node as JsonSchema;
      expect(Array.isArray(schema.type)).toBe(false);
      for (const value of Object.values(schema)) visit(value);
    };
    visit(out);
    expect(JSON.stringify(out)).not.toContain('{}');
  });

  it('accepts exactly the values the relaxed schema accepts', () => {
    const relaxed: JsonSchema = {
      type: 'object',
      properties: {
        id: { type: ['number', 'null'] },
        any: {},
        owner: { type: ['object', 'null'], properties: { name: { type: ['string', 'null'] }, n: { type: ['number', 'null'] } } },
        tags: { type: ['array', 'null'], items: { type: ['string', 'null'] } },
        mixed: { type: ['string', 'boolean', 'array', 'null'], items: { type: ['number', 'null'] }, maxLength: 2 },
      },
    };
    const before = compile(relaxed);
    const after = compile(portableOutputSchema(relaxed));
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const keys = ['id', 'any', 'owner', 'tags', 'mixed', 'name', 'n'];
    const value = (depth: number): unknown => {
      switch (next(depth > 2 ? 5 : 7)) {
        case 0: return null;
        case 1: return next(100);
        case 2: return 'abc'.slice(0, next(4));
        case 3: return next(2) === 0;
        case 4: return next(100) / 7;
        case 5: return Array.from({ length: next(3) }, () => value(depth + 1));
        default: return Object.fromEntries(Array.from({ length: next(4) }, () => [keys[next(keys.length)]!, value(depth + 1)]));
      }
    };
    let accepted = 0;
    for (let i = 0; i < 2000; i += 1) {
      const data = i % 2 === 0 ? value(0) : { [keys[next(keys.length)]!]: value(1), [keys[next(keys.length)]!]: value(1) };
      expect(after(data), JSON.stringify(data)).toBe(before(data));
      if (before(data)) accepted += 1;
    }
    // Both outcomes are exercised.
    expect(accepted).toBeGreaterThan(200);
    expect(accepted).toBeLessThan(1800);
  });
});
