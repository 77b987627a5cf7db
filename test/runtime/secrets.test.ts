import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { createRedactor, MAX_LEARNT_SECRETS, REDACTED, secretInventory } from '../../templates/runtime/observe/secrets.js';
import { api } from './support/fixtures.js';

describe('secretInventory', () => {
  it('collects every credential, its URL and JSON spellings, and the basic header value', () => {
    const { values, tooShort } = secretInventory(api(), {
      TEST_API_KEY: 'k/ey+"1"',
      TEST_TOKEN: 'tok-123456',
      TEST_USER: 'ann',
      TEST_PASSWORD: 'pw-987654',
      MCP_AUTH_CLIENT_SECRET: 'introspection-secret',
      TEST_API_BASE_URL: 'https://x.test/v1?sig=abcdef123&v=2',
    });
    expect(values).toEqual(
      expect.arrayContaining([
        'k/ey+"1"',
        encodeURIComponent('k/ey+"1"'),
        'k/ey+\\"1\\"',
        'tok-123456',
        'pw-987654',
        Buffer.from('ann:pw-987654').toString('base64'),
        'introspection-secret',
        'abcdef123',
      ]),
    );
    // A username is not a secret; a short base-URL query value (v=2) is a setting, not a warning.
    expect(values).not.toContain('ann');
    expect(tooShort).toEqual([]);
  });

  it('names variables too short to redact, never their values', () => {
    expect(secretInventory(api(), { TEST_TOKEN: 'abc' }).tooShort).toEqual(['TEST_TOKEN']);
  });
});

describe('createRedactor', () => {
  const redactor = createRedactor(['s3cret-value', 's3cret']);

  it('replaces the longest secret first, everywhere in a value, keys kept as data', () => {
    const input = JSON.parse('{"__proto__": "s3cret-value", "list": ["a s3cret b", 1, null], "nested": {"x": "no"}}') as Record<string, unknown>;
    const out = redactor.value(input) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['__proto__', 'list', 'nested']);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe(REDACTED);
    expect(out['list']).toEqual([`a ${REDACTED} b`, 1, null]);
    expect(out['nested']).toBe(input['nested']);
  });

  it('returns the same value when nothing matched, and is inactive without secrets', () => {
    const value = { a: ['b'] };
    expect(redactor.value(value)).toBe(value);
    expect(createRedactor([]).active).toBe(false);
  });
});

describe('secrets learnt while running (fetched access tokens)', () => {
  it('are redacted in every spelling from then on, and a redactor with none becomes active', () => {
    const redactor = createRedactor([]);
    expect(redactor.active).toBe(false);
    redactor.learn('tok/en+"1"');
    expect(redactor.active).toBe(true);
    expect(redactor.text('a tok/en+"1" b tok%2Fen%2B%221%22 c tok/en+\\"1\\"')).toBe(`a ${REDACTED} b ${REDACTED} c ${REDACTED}`);
    expect(redactor.value({ nested: ['tok/en+"1"'] })).toEqual({ nested: [REDACTED] });
  });

  it(`keep the last ${MAX_LEARNT_SECRETS}, and never drop a configured secret`, () => {
    const redactor = createRedactor(['configured-secret']);
    for (let i = 0; i <= MAX_LEARNT_SECRETS; i++) redactor.learn(`token-${i}-xyz`);
    expect(redactor.text('token-0-xyz')).toBe('token-0-xyz');
    expect(redactor.text(`token-1-xyz token-${MAX_LEARNT_SECRETS}-xyz configured-secret`)).toBe(`${REDACTED} ${REDACTED} ${REDACTED}`);
  });

  it('shorter than the redaction minimum are ignored', () => {
    const redactor = createRedactor([]);
    redactor.learn('abc');
    expect(redactor.active).toBe(false);
  });
});
