// The pure parts of the start-up checks, table-driven: which HOST counts as loopback, what the
// opt-in accepts, and what integerFromEnv takes as a number.
import { describe, expect, it } from 'vitest';
import { BYTE_LIMIT_RANGE, integerFromEnv, MAX_TIMER_MS, TIMEOUT_RANGE } from '../../templates/runtime/env.js';
import { checkExposure, isLoopbackHost } from '../../templates/runtime/inbound/exposure.js';

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['::1', true],
    ['[::1]', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['[::]', false],
    ['128.0.0.1', false],
    ['10.0.0.5', false],
    ['::ffff:10.0.0.5', false],
    // A name may resolve anywhere (and localhost.example is not localhost).
    ['localhost.example', false],
    ['my-host', false],
  ])('%s -> %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe('checkExposure', () => {
  it.each([
    ['loopback, no auth', '127.0.0.1', false, {}, undefined],
    ['public, auth on', '0.0.0.0', true, {}, undefined],
    ['public, opted in', '0.0.0.0', false, { MCP_ALLOW_UNAUTHENTICATED: '1' }, /Serving without inbound auth on 0\.0\.0\.0/],
    ['public, opted in with true', '::', false, { MCP_ALLOW_UNAUTHENTICATED: 'TRUE' }, /Serving without inbound auth on ::/],
  ])('%s: starts', (_name, host, auth, env, note) => {
    const result = checkExposure(host, auth, env);
    if (note === undefined) expect(result).toBeUndefined();
    else expect(result).toMatch(note);
  });

  it.each([
    ['public, no auth', {}, /HOST=10\.1\.2\.3 is reachable from other machines/],
    ['public, opt-in off', { MCP_ALLOW_UNAUTHENTICATED: 'false' }, /HOST=10\.1\.2\.3 is reachable/],
    ['public, opt-in unreadable', { MCP_ALLOW_UNAUTHENTICATED: 'on' }, /MCP_ALLOW_UNAUTHENTICATED must be 1 or true \(or 0, false, unset\), got "on"/],
  ])('%s: refuses', (_name, env, message) => {
    expect(() => checkExposure('10.1.2.3', false, env)).toThrow(message);
  });
});

describe('integerFromEnv', () => {
  const read = (value: string | undefined) => integerFromEnv({ MCPGEN_TIMEOUT_MS: value }, 'MCPGEN_TIMEOUT_MS', 30_000, TIMEOUT_RANGE);

  it.each([
    ['unset', undefined, 30_000],
    ['blank', '  ', 30_000],
    ['the lower bound', '1', 1],
    ['the upper bound', String(MAX_TIMER_MS), MAX_TIMER_MS],
    ['padded', ' 2500 ', 2_500],
    ['leading zeros', '0042', 42],
  ])('%s -> the number', (_name, value, expected) => {
    expect(read(value)).toBe(expected);
  });

  it.each([
    ['one past the timer limit', String(MAX_TIMER_MS + 1)],
    ['zero', '0'],
    ['negative', '-5'],
    ['a fraction', '1.5'],
    ['exponent notation', '1e3'],
    ['hex', '0x10'],
    ['a unit', '30s'],
    ['Infinity', 'Infinity'],
  ])('%s -> an error naming the variable, the range and the value', (_name, value) => {
    expect(() => read(value)).toThrow(`MCPGEN_TIMEOUT_MS must be an integer between 1 and 2147483647 (milliseconds), got ${JSON.stringify(value)}`);
  });

  it('bounds byte limits to safe integers', () => {
    const env = { MCPGEN_MAX_RESPONSE_BYTES: '9007199254740992' };
    expect(() => integerFromEnv(env, 'MCPGEN_MAX_RESPONSE_BYTES', 1, BYTE_LIMIT_RANGE)).toThrow('between 1 and 9007199254740991 (bytes)');
    expect(integerFromEnv({ MCPGEN_MAX_RESPONSE_BYTES: '9007199254740991' }, 'MCPGEN_MAX_RESPONSE_BYTES', 1, BYTE_LIMIT_RANGE)).toBe(Number.MAX_SAFE_INTEGER);
  });
});
