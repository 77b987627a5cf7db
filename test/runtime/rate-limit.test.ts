// The inbound rate limit's token bucket, on a clock the test moves.
import { describe, expect, it } from 'vitest';
import { RateLimiter, rateLimitClient, readRateLimit } from '../../templates/runtime/transport/rate-limit.js';

function limiter(perMinute: number, maxClients = 100) {
  const clock = { now: 0 };
  return { clock, limiter: new RateLimiter({ perMinute, maxClients }, () => clock.now) };
}

describe('RateLimiter', () => {
  it('allows a burst up to the per-minute limit, then answers the seconds until the next token', () => {
    const { limiter: l } = limiter(6);
    const verdicts = Array.from({ length: 7 }, () => l.take('a'));
    expect(verdicts.slice(0, 6)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    // 6 per minute: one token every 10 s.
    expect(verdicts[6]).toBe(10);
  });

  it('refills continuously and never above the limit', () => {
    const { clock, limiter: l } = limiter(60);
    for (let i = 0; i < 60; i++) l.take('a');
    expect(l.take('a')).toBe(1);
    clock.now += 1_000;
    expect(l.take('a')).toBeUndefined();
    expect(l.take('a')).toBe(1);
    clock.now += 3_600_000;
    const allowed = Array.from({ length: 61 }, () => l.take('a')).filter((v) => v === undefined).length;
    expect(allowed).toBe(60);
  });

  it('keeps clients apart', () => {
    const { limiter: l } = limiter(1);
    expect(l.take('a')).toBeUndefined();
    expect(l.take('a')).toBe(60);
    expect(l.take('b')).toBeUndefined();
  });

  it('tracks at most maxClients, forgetting the least recently seen first', () => {
    const { limiter: l } = limiter(1, 3);
    for (const client of ['a', 'b', 'c']) l.take(client);
    l.take('a'); // a is now the most recently seen
    l.take('d'); // evicts b
    expect(l.size).toBe(3);
    expect(l.take('a')).toBe(60);
    expect(l.take('b')).toBeUndefined();
  });
});

describe('readRateLimit', () => {
  it.each([
    ['unset', {}, { perMinute: 0, maxClients: 10_000 }],
    ['set', { MCPGEN_RATE_LIMIT_PER_MINUTE: '120', MCPGEN_RATE_LIMIT_MAX_CLIENTS: '50' }, { perMinute: 120, maxClients: 50 }],
  ])('%s', (_name, env, want) => {
    expect(readRateLimit(env)).toEqual(want);
  });

  it('refuses a value that is not a whole number', () => {
    expect(() => readRateLimit({ MCPGEN_RATE_LIMIT_PER_MINUTE: '1.5' })).toThrow(/MCPGEN_RATE_LIMIT_PER_MINUTE must be an integer between 0 and 1000000/);
  });
});

describe('rateLimitClient', () => {
  const token = { token: 't', clientId: 'app', scopes: [] };
  it.each([
    ['no auth: the address', undefined, 'address:10.0.0.1'],
    ['a token with a subject: the subject', { ...token, extra: { sub: 'alice' } }, 'sub:alice'],
    ['a token without a subject: its client', token, 'client:app'],
    ['a token with neither: the address', { ...token, clientId: '' }, 'address:10.0.0.1'],
  ])('%s', (_name, info, want) => {
    expect(rateLimitClient('10.0.0.1', info)).toBe(want);
  });
});
