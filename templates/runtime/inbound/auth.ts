// Optional inbound OAuth for the HTTP server, as the MCP authorization spec asks of a
// resource server: every /mcp request carries a bearer token, checked by RFC 7662 token
// introspection at the authorization server, bound to this server's URL (RFC 8707
// audience), and a 401 names the RFC 9728 metadata document that tells clients where to
// get a token. The client's token is only ever sent to the introspection endpoint,
// never to the API the tools call.

import {
  getOAuthProtectedResourceMetadataUrl,
  OAuthError,
  OAuthErrorCode,
  requireBearerAuth,
  type AuthInfo,
  type OAuthTokenVerifier,
} from '@modelcontextprotocol/server';
import { createHash } from 'node:crypto';
import { integerFromEnv, nonEmpty } from '../env.js';

/** What MCP_AUTH_* ask for, read before the server listens so a misconfiguration stops it at once. */
export interface InboundAuthConfig {
  readonly issuer: URL;
  readonly introspectionUrl: URL;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly requiredScopes: readonly string[];
  /** MCP_RESOURCE_URL: the public URL of /mcp; defaults to the address the server listens on. */
  readonly resourceUrl?: URL;
  /** MCP_AUTH_MAX_INTROSPECTIONS: introspection calls in flight at once. */
  readonly maxIntrospections: number;
}

export interface InboundAuth {
  /** URL and path of the RFC 9728 Protected Resource Metadata document. */
  readonly metadataUrl: string;
  readonly metadataPath: string;
  readonly metadata: Record<string, unknown>;
  /** The verified token, or the 401/403 answer to send. */
  readonly gate: (request: Request) => Promise<AuthInfo | Response>;
}

const INTROSPECTION_TIMEOUT_MS = 5_000;

/** How long an active token's introspection is reused (never past the token's own expiry). */
export const INTROSPECTION_CACHE_MS = 30_000;
/**
 * How long a refused token (inactive, unknown or expired) is refused without asking again:
 * long enough that a client retrying a bad token in a loop costs one call per few seconds,
 * short enough that a token the authorization server has just activated works soon.
 */
export const INTROSPECTION_REFUSAL_CACHE_MS = 5_000;
/** Entries per cache (active and refused are kept apart, so a flood of bad tokens cannot evict good ones). */
export const INTROSPECTION_CACHE_ENTRIES = 1_000;
/**
 * Introspection calls in flight at once (MCP_AUTH_MAX_INTROSPECTIONS). The caches bound what
 * repeated tokens cost; this bounds a flood of distinct ones: a request whose token would need
 * one more call is answered 503 with Retry-After, and tokens already known are still served.
 */
export const DEFAULT_MAX_INTROSPECTIONS = 32;

/** The scopes tools require (advertised with the required ones); for tests: the fetch, the clock and the cache size. */
export interface InboundAuthOptions {
  readonly toolScopes?: readonly string[];
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly cacheEntries?: number;
}

/** undefined when MCP_AUTH_ISSUER is unset (no inbound auth); throws on an incomplete setup. */
export function readInboundAuthConfig(env: Record<string, string | undefined>): InboundAuthConfig | undefined {
  const issuer = nonEmpty(env['MCP_AUTH_ISSUER']);
  if (issuer === undefined) return undefined;
  const introspection = nonEmpty(env['MCP_AUTH_INTROSPECTION_URL']);
  if (introspection === undefined) {
    throw new Error('MCP_AUTH_ISSUER is set but MCP_AUTH_INTROSPECTION_URL is not: set the authorization server\'s RFC 7662 token introspection endpoint, or unset MCP_AUTH_ISSUER to serve without auth.');
  }
  const clientId = nonEmpty(env['MCP_AUTH_CLIENT_ID']);
  const clientSecret = nonEmpty(env['MCP_AUTH_CLIENT_SECRET']);
  const resource = nonEmpty(env['MCP_RESOURCE_URL']);
  return {
    issuer: url('MCP_AUTH_ISSUER', issuer),
    introspectionUrl: url('MCP_AUTH_INTROSPECTION_URL', introspection),
    ...(clientId === undefined ? {} : { clientId }),
    ...(clientSecret === undefined ? {} : { clientSecret }),
    requiredScopes: (nonEmpty(env['MCP_AUTH_REQUIRED_SCOPES']) ?? '').split(/[\s,]+/).filter((scope) => scope !== ''),
    ...(resource === undefined ? {} : { resourceUrl: url('MCP_RESOURCE_URL', resource) }),
    maxIntrospections: integerFromEnv(env, 'MCP_AUTH_MAX_INTROSPECTIONS', DEFAULT_MAX_INTROSPECTIONS, { min: 1, max: 10_000, unit: 'introspection calls' }),
  };
}

export function createInboundAuth(config: InboundAuthConfig, listeningUrl: URL, options: InboundAuthOptions = {}): InboundAuth {
  const resource = config.resourceUrl ?? listeningUrl;
  const metadataUrl = getOAuthProtectedResourceMetadataUrl(resource);
  const verifier = cachedVerifier(introspectionVerifier(config, resource, options.fetch ?? fetch), options.now ?? Date.now, options.cacheEntries ?? INTROSPECTION_CACHE_ENTRIES, config.maxIntrospections);
  const bearerGate = requireBearerAuth({
    verifier,
    expectedResource: resource,
    resourceMetadataUrl: metadataUrl,
    ...(config.requiredScopes.length ? { requiredScopes: [...config.requiredScopes] } : {}),
  });
  const gate = async (request: Request): Promise<AuthInfo | Response> => {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    if (token !== undefined && verifier.saturated(token)) {
      return Response.json(
        { error: 'temporarily_unavailable', error_description: `Too many token checks in flight (MCP_AUTH_MAX_INTROSPECTIONS is ${config.maxIntrospections}); retry shortly` },
        { status: 503, headers: { 'retry-after': '1' } },
      );
    }
    return bearerGate(request);
  };
  const scopesSupported = [...new Set([...config.requiredScopes, ...(options.toolScopes ?? [])])];
  return {
    metadataUrl,
    metadataPath: new URL(metadataUrl).pathname,
    metadata: {
      resource: resource.href,
      authorization_servers: [config.issuer.href],
      bearer_methods_supported: ['header'],
      ...(scopesSupported.length ? { scopes_supported: scopesSupported } : {}),
    },
    gate,
  };
}

interface Introspection {
  readonly active?: unknown;
  readonly scope?: unknown;
  readonly client_id?: unknown;
  readonly exp?: unknown;
  readonly aud?: unknown;
  readonly sub?: unknown;
}

function introspectionVerifier(config: InboundAuthConfig, resource: URL, fetchImpl: typeof fetch): OAuthTokenVerifier {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (config.clientId !== undefined) {
    // RFC 6749 section 2.3.1: client_secret_basic, each part form-encoded.
    const user = encodeURIComponent(config.clientId);
    const password = encodeURIComponent(config.clientSecret ?? '');
    headers['authorization'] = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      let body: Introspection;
      try {
        const response = await fetchImpl(config.introspectionUrl, {
          method: 'POST',
          headers,
          body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
          signal: AbortSignal.timeout(INTROSPECTION_TIMEOUT_MS),
        });
        if (!response.ok) throw new Error(`introspection answered ${response.status}`);
        body = (await response.json()) as Introspection;
      } catch (error) {
        throw new OAuthError(OAuthErrorCode.ServerError, `Token introspection failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (body.active !== true) throw new OAuthError(OAuthErrorCode.InvalidToken, 'The access token is not active');
      const audiences = typeof body.aud === 'string' ? [body.aud] : Array.isArray(body.aud) ? body.aud.filter((a): a is string => typeof a === 'string') : [];
      // Several audiences may be listed; report ours when it is among them (the gate compares it).
      const audience = audiences.find((a) => sameResource(a, resource.href)) ?? audiences[0];
      return {
        token,
        clientId: typeof body.client_id === 'string' ? body.client_id : '',
        scopes: typeof body.scope === 'string' ? body.scope.split(' ').filter((s) => s !== '') : [],
        ...(typeof body.exp === 'number' ? { expiresAt: body.exp } : {}),
        // The subject keys the inbound rate limit (http.ts): one bucket per user, whatever client it uses.
        ...(typeof body.sub === 'string' && body.sub !== '' ? { extra: { sub: body.sub } } : {}),
        ...(audience === undefined || !URL.canParse(audience) ? {} : { resource: new URL(audience) }),
      };
    },
  };
}

/** What introspection said about a token, without the token itself. */
type Verdict = { readonly active: true; readonly info: Omit<AuthInfo, 'token'> } | { readonly active: false; readonly message: string };

/**
 * Bounds what clients can make the authorization server do. An active token's verification
 * is reused for INTROSPECTION_CACHE_MS (never past its expiry), a refusal for
 * INTROSPECTION_REFUSAL_CACHE_MS, concurrent look-ups of one token share one request, and
 * each cache holds at most `capacity` entries (oldest evicted first). Entries are keyed by
 * the token's SHA-256 and hold no token, so a heap dump does not hand out live credentials.
 * Failures to reach the authorization server are not cached: they are not about the token.
 * At most `maxInFlight` introspection calls run at once (`pending` holds exactly those).
 */
interface CachedVerifier extends OAuthTokenVerifier {
  /** True when checking `token` would need one more introspection call than the cap allows. */
  saturated(token: string): boolean;
}

function cachedVerifier(verifier: OAuthTokenVerifier, now: () => number, capacity: number, maxInFlight: number): CachedVerifier {
  const accepted = new ExpiringCache<Verdict>(capacity, now);
  const refused = new ExpiringCache<Verdict>(capacity, now);
  const pending = new Map<string, Promise<Verdict>>();

  const introspect = async (key: string, token: string): Promise<Verdict> => {
    let verdict: Verdict;
    try {
      const { token: _token, ...info } = await verifier.verifyAccessToken(token);
      verdict = { active: true, info };
    } catch (error) {
      if (!(error instanceof OAuthError) || error.code !== OAuthErrorCode.InvalidToken) throw error;
      refused.set(key, { active: false, message: error.message }, now() + INTROSPECTION_REFUSAL_CACHE_MS);
      return { active: false, message: error.message };
    }
    const expiresAt = verdict.info.expiresAt === undefined ? Infinity : verdict.info.expiresAt * 1000;
    // An expired token stays refused (the gate refuses it on its expiry): no need to ask again soon.
    if (expiresAt <= now()) refused.set(key, verdict, now() + INTROSPECTION_REFUSAL_CACHE_MS);
    else accepted.set(key, verdict, Math.min(now() + INTROSPECTION_CACHE_MS, expiresAt));
    return verdict;
  };

  const keyOf = (token: string): string => createHash('sha256').update(token).digest('base64url');

  return {
    saturated(token: string): boolean {
      if (pending.size < maxInFlight) return false;
      const key = keyOf(token);
      return accepted.get(key) === undefined && refused.get(key) === undefined && !pending.has(key);
    },
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const key = keyOf(token);
      let verdict = accepted.get(key) ?? refused.get(key);
      if (verdict === undefined) {
        let shared = pending.get(key);
        if (shared === undefined) {
          shared = introspect(key, token).finally(() => pending.delete(key));
          pending.set(key, shared);
        }
        verdict = await shared;
      }
      if (!verdict.active) throw new OAuthError(OAuthErrorCode.InvalidToken, verdict.message);
      return { ...verdict.info, token };
    },
  };
}

/** A Map with a deadline per entry and a size cap; Map keeps insertion order, so the first key is the oldest. */
class ExpiringCache<V> {
  private readonly entries = new Map<string, { readonly value: V; readonly until: number }>();
  constructor(
    private readonly capacity: number,
    private readonly now: () => number,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.until > this.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V, until: number): void {
    this.entries.delete(key);
    while (this.entries.size > 0 && this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, until });
  }
}

function sameResource(a: string, b: string): boolean {
  const strip = (value: string): string => value.replace(/#.*$/, '').replace(/\/$/, '');
  return strip(a) === strip(b);
}

function url(variable: string, value: string): URL {
  if (!URL.canParse(value)) throw new Error(`${variable} must be an absolute URL, got "${value}"`);
  return new URL(value);
}
