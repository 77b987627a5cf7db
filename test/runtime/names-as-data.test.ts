// Property names are data: parameters and body properties named like members of
// Object.prototype (`constructor`, `toString`, `__proto__`, …) validate, serialize and
// stay absent exactly like any other name. Arguments are made with JSON.parse, as the
// transport makes them: an object literal's `__proto__` would set a prototype instead.
import { describe, expect, it } from 'vitest';
import { serializeBody } from '../../templates/runtime/upstream/body.js';
import { buildRequest } from '../../templates/runtime/upstream/request.js';
import type { ParameterDef } from '../../templates/runtime/types.js';
import { validateArguments } from '../../templates/runtime/protocol/validate.js';
import { api, body, jsonBody, operation, tool } from './support/fixtures.js';

const NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'] as const;

const json = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;
const props = (type: string): string => `{${NAMES.map((n) => `"${n}":{"type":"${type}"}`).join(',')}}`;

const query = (name: string): ParameterDef => ({ name, in: 'query', arg: name, required: false, style: 'form', explode: true });
const getThing = operation({
  path: '/things/{hasOwnProperty}',
  parameters: [{ name: 'hasOwnProperty', in: 'path', arg: 'hasOwnProperty', required: true, style: 'simple', explode: false }, ...NAMES.filter((n) => n !== 'hasOwnProperty').map(query)],
});

describe('validation treats names as data', () => {
  const t = tool('things', getThing, json(`{"type":"object","properties":${props('string')},"additionalProperties":false}`));
  const required = tool('required', getThing, json(`{"type":"object","properties":${props('string')},"required":["__proto__","constructor"]}`));

  it('accepts arguments that leave every such name out', () => {
    expect(validateArguments(t, {})).toEqual({ ok: true, value: {} });
  });

  it('accepts each name given, __proto__ included, and keeps it as an own property', () => {
    const result = validateArguments(t, json('{"__proto__":"p","constructor":"c","valueOf":"v"}'));
    expect(result.ok).toBe(true);
    const value = result.ok ? result.value : {};
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor', 'valueOf']);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toBe('p');
  });

  it.each([
    ['a wrong type for __proto__', '{"__proto__":5}', 'Invalid arguments: "__proto__" must be string'],
    ['a wrong type for toString', '{"toString":5}', 'Invalid arguments: "toString" must be string'],
    ['an unknown argument beside them', '{"__proto__":"p","extra":1}', 'Invalid arguments: unknown argument "extra"'],
  ])('refuses %s, naming it', (_name, args, message) => {
    expect(validateArguments(t, json(args))).toEqual({ ok: false, message });
  });

  it('reports __proto__ and constructor missing when required', () => {
    expect(validateArguments(required, {})).toEqual({ ok: false, message: 'Invalid arguments: missing required "__proto__"; missing required "constructor"' });
  });

  it('keeps names that start with the escape character apart from __proto__', () => {
    const escaped = tool('escaped', getThing, json('{"type":"object","properties":{"\\u0000__proto__":{"type":"integer"},"__proto__":{"type":"string"}},"additionalProperties":false}'));
    expect(validateArguments(escaped, json('{"\\u0000__proto__":1,"__proto__":"p"}')).ok).toBe(true);
    expect(validateArguments(escaped, json('{"\\u0000__proto__":"p"}'))).toEqual({ ok: false, message: 'Invalid arguments: "\u0000__proto__" must be integer' });
  });
});

describe('request building treats names as data', () => {
  it('sends what was given and nothing for absent names', () => {
    const { url } = buildRequest(api(), getThing, json('{"hasOwnProperty":"h","__proto__":"p","valueOf":"v"}'), {});
    expect(url).toBe('https://api.example.test/v1/things/h?__proto__=p&valueOf=v');
  });

  it('sends every name when all are given', () => {
    const args = json(`{${NAMES.map((n) => `"${n}":"${n}-value"`).join(',')}}`);
    const { url } = buildRequest(api(), getThing, args, {});
    expect(url).toBe('https://api.example.test/v1/things/hasOwnProperty-value?constructor=constructor-value&toString=toString-value&__proto__=__proto__-value&valueOf=valueOf-value');
  });

  it('does not take an inherited member for a missing path parameter', () => {
    expect(() => buildRequest(api(), getThing, {}, {})).toThrow('missing required path parameter "hasOwnProperty"');
  });

  it('serializes body properties with such names, and a body argument named constructor', () => {
    const sent = serializeBody(jsonBody(), json('{"body":{"__proto__":"p","constructor":"c"}}'));
    expect(sent?.payload).toBe('{"__proto__":"p","constructor":"c"}');
    expect(serializeBody(jsonBody('application/json', { arg: 'constructor', required: false }), {})).toBeUndefined();
    const form = serializeBody(body({ mediaType: 'application/x-www-form-urlencoded', kind: 'form' }), json('{"body":{"__proto__":"p","toString":"t"}}'));
    expect(form?.payload).toBe('__proto__=p&toString=t');
  });
});
