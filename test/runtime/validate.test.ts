import { describe, expect, it } from 'vitest';
import { validateArguments } from '../../templates/runtime/protocol/validate.js';
import { operation, tool } from './support/fixtures.js';

const accounts = tool('list_transactions', operation({ path: '/accounts/{accountId}/transactions' }), {
  type: 'object',
  properties: {
    accountId: { type: 'string' },
    limit: { type: 'integer', minimum: 1, maximum: 100 },
    since: { type: 'string', format: 'date' },
    status: { enum: ['open', 'closed'] },
    body: {
      type: 'object',
      properties: { amount: { type: 'number' }, tags: { type: 'array', items: { type: 'string' } } },
      required: ['amount'],
    },
  },
  required: ['accountId', 'body'],
  additionalProperties: false,
});

describe('validateArguments', () => {
  it.each([
    ['all fields valid', { accountId: 'a1', limit: 5, body: { amount: 1 } }],
    ['optional fields omitted', { accountId: 'a1', body: { amount: 0 } }],
    ['format date accepted', { accountId: 'a1', since: '2024-02-29', body: { amount: 1 } }],
  ])('accepts: %s', (_name, args) => {
    expect(validateArguments(accounts, args)).toEqual({ ok: true, value: args });
  });

  it.each([
    [
      'names every bad field',
      { accountId: 7, limit: 1000 },
      'Invalid arguments: "accountId" must be string; "limit" must be <= 100; missing required "body"',
    ],
    ['missing args are treated as {}', undefined, 'Invalid arguments: missing required "accountId"; missing required "body"'],
    ['nested paths', { accountId: 'a', body: { tags: ['x', 3] } }, 'Invalid arguments: "body.tags[1]" must be string; missing required "body.amount"'],
    ['unknown argument', { accountId: 'a', body: { amount: 1 }, extra: true }, 'Invalid arguments: unknown argument "extra"'],
    ['enum lists allowed values', { accountId: 'a', body: { amount: 1 }, status: 'x' }, 'Invalid arguments: "status" must be one of: "open", "closed"'],
    ['format is checked', { accountId: 'a', body: { amount: 1 }, since: 'yesterday' }, 'Invalid arguments: "since" must match format "date"'],
    ['non-object arguments', ['a'], 'Invalid arguments: arguments must be object'],
  ])('rejects: %s', (_name, args, message) => {
    expect(validateArguments(accounts, args)).toEqual({ ok: false, message });
  });

  it('compiles once per tool and reuses the validator', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer' } } };
    const t = tool('reuse', operation(), schema);
    expect(validateArguments(t, { n: 1 }).ok).toBe(true);
    // Mutating the schema after first use must not matter: the compiled validator is cached.
    (schema.properties.n as { type: string }).type = 'string';
    expect(validateArguments(t, { n: 1 }).ok).toBe(true);
  });

  it('accepts schemas stamped with the 2020-12 dialect', () => {
    const t = tool('dialect', operation(), {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { q: { type: 'string' } },
      required: ['q'],
    });
    expect(validateArguments(t, {})).toEqual({ ok: false, message: 'Invalid arguments: missing required "q"' });
    expect(validateArguments(t, { q: 'x' }).ok).toBe(true);
  });

  it('reports a schema that cannot be compiled instead of throwing', () => {
    const t = tool('broken', operation(), { type: 'object', properties: { a: { $ref: '#/nowhere' } } });
    const result = validateArguments(t, {});
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^Tool "broken" has an input schema this server cannot compile/);
  });

  it('lists at most 20 values of a 100,000-value enum and bounds the whole message', () => {
    const values = Array.from({ length: 100_000 }, (_, i) => `value-${i}-${'x'.repeat(200)}`);
    const t = tool('huge_enum', operation(), { type: 'object', properties: { kind: { enum: values } } });
    const result = validateArguments(t, { kind: 'nope' });
    const message = result.ok ? '' : result.message;
    expect(message).toMatch(/^Invalid arguments: "kind" must be one of: "value-0-x+…, "value-1-/);
    expect(message).toMatch(/ and 99980 more$/);
    expect(message.split('"value-').length - 1).toBe(20);
    expect(message.length).toBeLessThanOrEqual(4_000);
  });

  it('bounds the message when every problem is long', () => {
    const name = (i: number) => `${i}-${'n'.repeat(5_000)}`;
    const properties = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [name(i), { type: 'string' }]));
    const t = tool('long_names', operation(), { type: 'object', properties });
    const args = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [name(i), i]));
    const result = validateArguments(t, args);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message.length).toBeLessThanOrEqual(4_000);
    expect(!result.ok && result.message).toMatch(/^Invalid arguments: "0-nnn/);
  });

  it('refuses absurdly nested arguments with a message instead of throwing', () => {
    const t = tool('deep', operation(), { type: 'object', properties: { tree: { $ref: '#/$defs/Tree' } }, $defs: { Tree: { type: 'array', items: { $ref: '#/$defs/Tree' } } } });
    const deep = JSON.parse(`{"tree":${'['.repeat(200_000)}${']'.repeat(200_000)}}`) as unknown;
    expect(validateArguments(t, deep)).toEqual({ ok: false, message: 'Invalid arguments: arguments are nested too deeply' });
    expect(validateArguments(t, { tree: [[[]]] }).ok).toBe(true);
  });

  it('caps the number of reported problems', () => {
    const properties = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`f${i}`, { type: 'string' }]));
    const t = tool('many', operation(), { type: 'object', properties, required: Object.keys(properties) });
    const result = validateArguments(t, {});
    expect(!result.ok && result.message).toMatch(/; and 5 more$/);
  });
});
