// The introspection cache's lifetimes and size cap, on a clock the test moves: the inbound
// gate of templates/runtime/inbound/auth.ts in-process, against a real introspection endpoint on
// 127.0.0.1 that counts its calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInboundAuth, DEFAULT_MAX_INTROSPECTIONS, INTROSPECTION_CACHE_MS, INTROSPECTION_REFUSAL_CACHE_MS, type InboundAuth } from '../../templates/runtime/inbound/auth.js';
import { startIntrospection, type IntrospectionEndpoint } from './inbound-support.js';

const RESOURCE = new URL('https://mcp.example.test/mcp');
let clock = 1_800_000_000_000;
let introspection: IntrospectionEndpoint;

beforeAll(async () => {
  introspection = await startIntrospection((token) => {
    if (!token.startsWith('good')) return { active: false };
    // Tokens named good-exp<N> expire N seconds from now on the test's clock.
    const lifetime = Number(/exp(\d+)/.exec(token)?.[1] ?? 3600);
    return { active: true, client_id: 'app', scope: 'mcp', aud: RESOURCE.href, exp: Math.floor(clock / 1000) + lifetime };
  });
});
afterAll(() => introspection?.close());

function gate(cacheEntries?: number): InboundAuth['gate'] {
  const config = { issuer: new URL(introspection.url), introspectionUrl: new URL(`${introspection.url}/introspect`), requiredScopes: [], maxIntrospections: DEFAULT_MAX_INTROSPECTIONS };
  return createInboundAuth(config, RESOURCE, { now: () => clock, ...(cacheEntries === undefined ? {} : { cacheEntries }) }).gate;
}

/** The HTTP status the gate answers with (200 for a verified token). */
async function status(check: InboundAuth['gate'], token: string): Promise<number> {
  const verdict = await check(new Request('http://127.0.0.1/mcp', { headers: { authorization: `Bearer ${token}` } }));
  return verdict instanceof Response ? verdict.status : 200;
}

describe('introspection cache', () => {
  it(`refuses an unknown token from the cache for ${INTROSPECTION_REFUSAL_CACHE_MS} ms, then asks again`, async () => {
    const check = gate();
    expect(await status(check, 'bad-1')).toBe(401);
    clock += INTROSPECTION_REFUSAL_CACHE_MS - 1;
    expect(await status(check, 'bad-1')).toBe(401);
    expect(introspection.count('bad-1')).toBe(1);
    clock += 1;
    expect(await status(check, 'bad-1')).toBe(401);
    expect(introspection.count('bad-1')).toBe(2);
  });

  it(`reuses an active token for ${INTROSPECTION_CACHE_MS} ms, then asks again`, async () => {
    const check = gate();
    expect(await status(check, 'good-1')).toBe(200);
    clock += INTROSPECTION_CACHE_MS - 1;
    expect(await status(check, 'good-1')).toBe(200);
    expect(introspection.count('good-1')).toBe(1);
    clock += 1;
    expect(await status(check, 'good-1')).toBe(200);
    expect(introspection.count('good-1')).toBe(2);
  });

  it('never reuses an active token past its expiry', async () => {
    const check = gate();
    expect(await status(check, 'good-exp10')).toBe(200);
    clock += 10_000;
    expect(await status(check, 'good-exp10')).toBe(200);
    expect(introspection.count('good-exp10')).toBe(2);
  });

  it('hands each caller its own token back, though the cache keeps none', async () => {
    const auth = gate();
    const request = new Request('http://127.0.0.1/mcp', { headers: { authorization: 'Bearer good-2' } });
    const first = await auth(request.clone());
    const again = await auth(request.clone());
    expect(first).toMatchObject({ token: 'good-2', clientId: 'app', scopes: ['mcp'] });
    expect(again).toEqual(first);
    expect(introspection.count('good-2')).toBe(1);
  });

  it('holds at most cacheEntries tokens, evicting the oldest', async () => {
    const check = gate(2);
    for (const token of ['good-a', 'good-b', 'good-c']) expect(await status(check, token)).toBe(200);
    expect(await status(check, 'good-c')).toBe(200);
    expect(await status(check, 'good-b')).toBe(200);
    expect(introspection.count('good-b') + introspection.count('good-c')).toBe(2);
    expect(await status(check, 'good-a')).toBe(200);
    expect(introspection.count('good-a')).toBe(2);
  });

  it('keeps refusals apart: a flood of unknown tokens does not evict an active one', async () => {
    const check = gate(2);
    expect(await status(check, 'good-kept')).toBe(200);
    for (let i = 0; i < 10; i++) expect(await status(check, `bad-flood-${i}`)).toBe(401);
    expect(await status(check, 'good-kept')).toBe(200);
    expect(introspection.count('good-kept')).toBe(1);
    // The refusals themselves are capped: the first one was evicted and is asked again.
    expect(await status(check, 'bad-flood-0')).toBe(401);
    expect(introspection.count('bad-flood-0')).toBe(2);
  });
});
