// Arguments as non-strict models send them (coerce.ts): what is coerced, what is left for
// validation to refuse, at every depth where the schema is known.
import { describe, expect, it } from 'vitest';
import { absentWhenNull, coerceArguments } from '../../templates/runtime/protocol/coerce.js';
import { validateArguments } from '../../templates/runtime/protocol/validate.js';
import { operation, tool } from './support/fixtures.js';

const schema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    status: { type: 'string', enum: ['open', 'closed'] },
    note: { type: ['string', 'null'] },
    limit: { type: 'integer' },
    ratio: { type: 'number' },
    flag: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
    ids: { type: 'array', items: { type: 'integer' } },
    either: { type: ['string', 'integer'] },
    choice: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
    count: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
    owner: { $ref: '#/$defs/Owner' },
    filter: {
      type: 'object',
      properties: { since: { type: 'string' }, max: { type: 'integer' } },
      required: ['since'],
    },
    maybe: { anyOf: [{ type: 'object', properties: { n: { type: 'integer' } } }, { type: 'null' }] },
  },
  required: ['id'],
  $defs: {
    Owner: { type: 'object', properties: { age: { type: 'integer' }, nick: { type: 'string' } }, required: ['age'] },
  },
} as const;

describe('coerceArguments', () => {
  it.each([
    ['null for an optional property is absent', { id: 1, status: null }, { id: 1 }],
    ['null stays where the schema admits it', { note: null, count: null }, { note: null, count: null }],
    ['null for a required property stays (validation names it)', { id: null }, { id: null }],
    ['integer from a number literal', { limit: '5' }, { limit: 5 }],
    ['integer from a trimmed literal', { limit: ' 42 ' }, { limit: 42 }],
    ['integer from an integral exponent', { limit: '5e2' }, { limit: 500 }],
    ['number from a decimal literal', { ratio: '-0.25' }, { ratio: -0.25 }],
    ['boolean from "true"', { flag: 'true' }, { flag: true }],
    ['boolean from "false"', { flag: 'false' }, { flag: false }],
    ['one value where an array is wanted', { tags: 'a' }, { tags: ['a'] }],
    ['one value wrapped, then coerced by items', { ids: '7' }, { ids: [7] }],
    ['array items coerced', { ids: ['1', 2, '3'] }, { ids: [1, 2, 3] }],
    ['through $ref into $defs', { owner: { age: '30', nick: null } }, { owner: { age: 30 } }],
    ['nested object properties', { filter: { since: 'x', max: '9' } }, { filter: { since: 'x', max: 9 } }],
    ['into the one anyOf branch that fits', { maybe: { n: '3' } }, { maybe: { n: 3 } }],
    ['anyOf without a string branch', { count: '4' }, { count: 4 }],
    ['unknown properties untouched', { other: '5', none: null }, { other: '5', none: null }],
  ])('coerces: %s', (_name, args, want) => {
    expect(coerceArguments(schema, args)).toEqual(want);
  });

  it.each([
    ['empty string is not 0', { limit: '' }],
    ['a word is not a number', { limit: 'abc' }],
    ['hex is not a JSON number', { limit: '0x10' }],
    ['Infinity is not finite', { ratio: 'Infinity' }],
    ['a fraction is not an integer', { limit: '1.5' }],
    ['an unsafe integer would lose digits', { limit: '12345678901234567890' }],
    ['"yes" is not a boolean', { flag: 'yes' }],
    ['"1" is not a boolean', { flag: '1' }],
    ['a number is not a string', { status: 5 }],
    ['the schema admits the string as it is', { either: '5' }],
    ['anyOf with a string branch admits the string', { choice: '5' }],
    ['null inside an array stays', { ids: [null] }],
  ])('leaves alone: %s', (_name, args) => {
    expect(coerceArguments(schema, args)).toEqual(args);
  });

  it('coerces nothing where the schema says nothing', () => {
    expect(coerceArguments({}, { a: '5', b: null })).toEqual({ a: '5', b: null });
    expect(coerceArguments({ type: 'object' }, 'x')).toBe('x');
  });

  it('reads property names as data, not as inherited members', () => {
    const coerced = coerceArguments(
      JSON.parse('{"type":"object","properties":{"valueOf":{"type":"integer"},"__proto__":{"type":"integer"}}}'),
      JSON.parse('{"valueOf":"1","__proto__":"2","toString":null}'),
    ) as Record<string, unknown>;
    expect(Object.getPrototypeOf(coerced)).toBeNull();
    expect(Object.keys(coerced)).toEqual(['valueOf', '__proto__', 'toString']);
    expect([coerced['valueOf'], coerced['__proto__'], coerced['toString']]).toEqual([1, 2, null]);
  });

  it('follows recursive $defs, and stays bounded on deep values and self-referencing schemas', () => {
    const tree = {
      type: 'object',
      properties: { node: { $ref: '#/$defs/Node' } },
      $defs: { Node: { type: 'object', properties: { n: { type: 'integer' }, next: { $ref: '#/$defs/Node' } } } },
    };
    let deep: Record<string, unknown> = { n: '1' };
    for (let i = 0; i < 10_000; i++) deep = { n: '1', next: deep };
    const coerced = coerceArguments(tree, { node: deep }) as { node: { n: unknown; next: { n: unknown } } };
    expect([coerced.node.n, coerced.node.next.n]).toEqual([1, 1]);
    const loop = { type: 'object', properties: { a: { $ref: '#/$defs/A' } }, $defs: { A: { anyOf: [{ $ref: '#/$defs/A' }, { allOf: [{ $ref: '#/$defs/A' }] }] } } };
    expect(coerceArguments(loop, { a: '1' })).toEqual({ a: '1' });
  });
});

describe('null published only for strict clients (nullMeansAbsent)', () => {
  // As strict-nullable.ts publishes them: optional properties inside anyOf branches made nullable.
  const branches = {
    type: 'object',
    properties: {
      created: { anyOf: [{ type: 'object', properties: { gt: { type: ['integer', 'null'] }, lt: { type: ['integer', 'null'] } } }, { type: 'integer' }] },
      body: {
        anyOf: [
          { type: 'object', properties: { a: { type: 'string' }, b: { type: ['string', 'null'] }, keep: { type: ['string', 'null'] } }, required: ['a'] },
          { type: 'object', properties: { a: { type: ['string', 'null'] }, b: { type: 'string' }, keep: { type: ['string', 'null'] } }, required: ['b'] },
        ],
      },
    },
  } as const;
  const absent = absentWhenNull(branches, ['/properties/created/anyOf/0/properties/gt', '/properties/created/anyOf/0/properties/lt', '/properties/body/anyOf/0/properties/b', '/properties/body/anyOf/1/properties/a']);

  it.each([
    ['null at depth, inside the one branch that fits', { created: { gt: 5, lt: null } }, { created: { gt: 5 } }],
    ['null declared that way by every branch that fits', { body: { a: 'x', b: null } }, { body: { a: 'x' } }],
    ['null the API itself admits in a branch stays', { body: { a: 'x', keep: null } }, { body: { a: 'x', keep: null } }],
  ])('%s', (_name, args, want) => {
    expect(coerceArguments(branches, args, absent)).toEqual(want);
  });

  it('keeps every null without the pointers (the API admits them)', () => {
    const args = { created: { gt: 5, lt: null }, body: { a: 'x', b: null } };
    expect(coerceArguments(branches, args)).toEqual(args);
  });

  it('ignores pointers that name nothing', () => {
    expect(absentWhenNull(branches, ['/properties/nothing', '/properties/created/anyOf/9']).size).toBe(0);
  });
});

describe('validateArguments after coercion', () => {
  const t = tool('coerced', operation(), schema);

  it.each([
    ['null optional dropped, "5" integer', { id: 1, status: null, limit: '5' }, { id: 1, limit: 5 }],
    ['booleans and arrays', { id: 1, flag: 'true', tags: 'x' }, { id: 1, flag: true, tags: ['x'] }],
  ])('accepts: %s', (_name, args, value) => {
    expect(validateArguments(t, args)).toEqual({ ok: true, value });
  });

  it.each([
    ['"abc" for an integer names the field', { id: 1, limit: 'abc' }, 'Invalid arguments: "limit" must be integer'],
    ['null for a required property names the field', { id: null }, 'Invalid arguments: "id" must be integer'],
    ['nested refusal names the path', { id: 1, owner: { age: 'old' } }, 'Invalid arguments: "owner.age" must be integer'],
  ])('rejects: %s', (_name, args, message) => {
    expect(validateArguments(t, args)).toEqual({ ok: false, message });
  });
});
