// Optional properties inside anyOf branches published as nullable, only where that makes the
// tool convert in OpenAI strict mode, and never refusing a value the schema accepted before.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../src/plan/json-schema.js';
import { strictRefusalReasons } from '../../src/plan/strict.js';
import { strictNullable } from '../../src/plan/strict-nullable.js';

const object = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({ type: 'object', properties, ...(required.length ? { required } : {}) });
const labels = object({ labels: { type: 'array', items: { anyOf: [{ type: 'string' }, object({ id: { type: 'integer' }, name: { type: 'string', enum: ['a', 'b'] } })] } } });

describe('strictNullable', () => {
  it('makes the optional branch properties nullable, names them, and the tool converts', () => {
    expect(strictRefusalReasons(labels)).not.toEqual([]);
    const { schema, nullMeansAbsent } = strictNullable(labels, {});
    expect(nullMeansAbsent).toEqual(['/properties/labels/items/anyOf/1/properties/id', '/properties/labels/items/anyOf/1/properties/name']);
    expect((schema.properties as Record<string, { items: { anyOf: JsonSchema[] } }>).labels!.items.anyOf[1]).toEqual(
      object({ id: { type: ['integer', 'null'] }, name: { type: ['string', 'null'], enum: ['a', 'b', null] } }),
    );
    expect(strictRefusalReasons(schema)).toEqual([]);
  });

  it('accepts every value it accepted before, and null only at the pointers', () => {
    const { schema } = strictNullable(labels, {});
    const ajv = new Ajv2020({ strict: false });
    const [before, after] = [ajv.compile(labels), ajv.compile(schema)];
    const values = [{}, { labels: ['x'] }, { labels: [{ id: 1, name: 'a' }] }, { labels: [{ name: 'c' }] }, { labels: [1] }, { labels: null }, { labels: [null] }];
    for (const value of values) expect(after(value), JSON.stringify(value)).toBe(before(value));
    expect(after({ labels: [{ id: null, name: null }] })).toBe(true);
  });

  it('wraps a $ref or const, adds a branch to an anyOf, and leaves required and top-level properties', () => {
    const given = object({
      x: {
        anyOf: [
          object({ r: { $ref: '#/$defs/S', description: 'r' }, c: { const: 1 }, u: { anyOf: [{ type: 'string' }, { type: 'integer' }] }, need: { type: 'string' } }, ['need']),
          { type: 'string' },
        ],
      },
      top: { type: 'string' },
    });
    const { schema, nullMeansAbsent } = strictNullable(given, { S: { type: 'string' } });
    const branch = ((schema.properties as Record<string, { anyOf: JsonSchema[] }>).x!.anyOf[0]!.properties ?? {}) as Record<string, JsonSchema>;
    expect(branch.r).toEqual({ description: 'r', anyOf: [{ $ref: '#/$defs/S' }, { type: 'null' }] });
    expect(branch.c).toEqual({ anyOf: [{ const: 1 }, { type: 'null' }] });
    expect(branch.u).toEqual({ anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }] });
    expect(branch.need).toEqual({ type: 'string' });
    expect((schema.properties as Record<string, JsonSchema>).top).toEqual({ type: 'string' });
    expect(nullMeansAbsent).toEqual(['/properties/x/anyOf/0/properties/r', '/properties/x/anyOf/0/properties/c', '/properties/x/anyOf/0/properties/u']);
  });

  it('leaves a tool strict mode refuses for another reason as it was', () => {
    const refused = object({ ...labels.properties, metadata: { type: 'object', additionalProperties: { type: 'string' } } });
    expect(strictNullable(refused, {})).toEqual({ schema: refused, nullMeansAbsent: [] });
  });

  it('leaves shared definitions alone: a branch that reaches one stays refused', () => {
    const given = object({ x: { anyOf: [{ $ref: '#/$defs/D' }, { type: 'string' }] } });
    const defs = { D: object({ a: { type: 'string' } }) };
    expect(strictNullable(given, defs)).toEqual({ schema: given, nullMeansAbsent: [] });
  });
});
