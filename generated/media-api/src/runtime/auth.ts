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
import { nonEmpty } from './env.js';

/** What MCP_AUTH_* ask for, read before the server listens so a misconfiguration stops it at once. */
export interface InboundAuthConfig {
  readonly issuer: URL;
  readonly introspectionUrl: URL;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly requiredScopes: readonly string[];
  /** MCP_RESOURCE_URL: the public URL of /mcp; defaults to the address the server listens on. */
  readonly resourceUrl?: URL;
}

export interface InboundAuth {
  /** Path of the RFC 9728 Protected Resource Metadata document. */
  readonly metadataPath: string;
  readonly metadata: Record<string, unknown>;
  /** The verified token, or the 401/403 answer to send. */
  readonly gate: (request: Request) => Promise<AuthInfo | Response>;
}

const INTROSPECTION_TIMEOUT_MS = 5_000;

/** How long an active token's introspection is reused (never past the token's own expiry). */
export const INTROSPECTION_CACHE_MS = 30_000;
const INTROSPECTION_CACHE_ENTRIES = 1_000;

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
  };
}

export function createInboundAuth(config: InboundAuthConfig, listeningUrl: URL, fetchImpl: typeof fetch = fetch): InboundAuth {
  const resource = config.resourceUrl ?? listeningUrl;
  const metadataUrl = getOAuthProtectedResourceMetadataUrl(resource);
  const gate = requireBearerAuth({
    verifier: cachedVerifier(introspectionVerifier(config, resource, fetchImpl)),
    expectedResource: resource,
    resourceMetadataUrl: metadataUrl,
    ...(config.requiredScopes.length ? { requiredScopes: [...config.requiredScopes] } : {}),
  });
  return {
    metadataPath: new URL(metadataUrl).pathname,
    metadata: {
      resource: resource.href,
      authorization_servers: [config.issuer.href],
      bearer_methods_supported: ['header'],
      ...(config.requiredScopes.length ? { scopes_supported: [...config.requiredScopes] } : {}),
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
        ...(audience === undefined || !URL.canParse(audience) ? {} : { resource: new URL(audience) }),
      };
    },
  };
}

/**
 * Reuses an active token's verification for a short while, so a client's burst of requests
 * costs one introspection call rather than one each. Refusals are never cached (a token that
 * was just issued must work at once), and an entry never outlives the token's expiry.
 */
function cachedVerifier(verifier: OAuthTokenVerifier, now: () => number = Date.now): OAuthTokenVerifier {
  const cache = new Map<string, { info: AuthInfo; until: number }>();
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const hit = cache.get(token);
      if (hit !== undefined && hit.until > now()) return hit.info;
      cache.delete(token);
      const info = await verifier.verifyAccessToken(token);
      const until = Math.min(now() + INTROSPECTION_CACHE_MS, info.expiresAt === undefined ? Infinity : info.expiresAt * 1000);
      if (until > now()) {
        // Map keeps insertion order: the oldest entry goes first when the cache is full.
        if (cache.size >= INTROSPECTION_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
        cache.set(token, { info, until });
      }
      return info;
    },
  };
}

function sameResource(a: string, b: string): boolean {
  const strip = (value: string): string => value.replace(/#.*$/, '').replace(/\/$/, '');
  return strip(a) === strip(b);
}

function url(variable: string, value: string): URL {
  if (!URL.canParse(value)) throw new Error(`${variable} must be an absolute URL, got "${value}"`);
  return new URL(value);
}
