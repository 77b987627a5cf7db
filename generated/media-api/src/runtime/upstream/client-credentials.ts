// Upstream OAuth 2.0 client credentials (RFC 6749 section 4.4), on oauth4webapi (a maintained,
// dependency-free OAuth client) rather than hand-rolled: for a scheme whose token variable is
// unset and whose client id and secret are set, the server asks the token endpoint itself.
//
// One token per scheme and scope set, reused until shortly before it expires; concurrent calls
// that need a token share one request; a 401 from the API drops the token that was refused
// (the caller then fetches a new one once). Every token fetched is handed to `onToken`, which
// adds it to the values redacted from whatever the server emits.

import { Buffer } from 'node:buffer';
import * as oauth from 'oauth4webapi';
import { networkReason } from './network-reason.js';
import type { ApiDef, ClientCredentialsDef, SecuritySchemeDef } from '../types.js';

/** Time allowed for one token request, answer included. */
export const TOKEN_TIMEOUT_MS = 10_000;
/** Largest token endpoint answer read; a token response is a few hundred bytes. */
export const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;
/** A token is renewed this long before it expires (at most a tenth of its lifetime). */
export const EXPIRY_MARGIN_MS = 30_000;
/** Longest error text quoted from a token endpoint. */
const MAX_DESCRIPTION_CHARS = 200;

/** The token endpoint could not give a token; the message names the endpoint, never a secret. */
export class TokenError extends Error {
  override readonly name = 'TokenError';
}

export interface ClientCredentialsOptions {
  readonly fetch?: typeof globalThis.fetch;
  readonly now?: () => number;
  /** Told about every token fetched, before it is used. */
  readonly onToken?: (token: string) => void;
  /** Told about every token request once it ends, for logs and metrics; never the token. */
  readonly onRequest?: (request: TokenRequest) => void;
}

/** One token request as logs and metrics see it: no token, no client id or secret. */
export interface TokenRequest {
  readonly scheme: string;
  /** The token endpoint, without query. */
  readonly tokenUrl: string;
  readonly outcome: 'ok' | 'error';
  readonly ms: number;
  /** The token's lifetime in seconds, when the endpoint said. */
  readonly expiresIn?: number;
  /** Why it failed, as the caller is told. */
  readonly error?: string;
}

type ClientCredentialsScheme = Extract<SecuritySchemeDef, { type: 'bearer' }> & { readonly clientCredentials: ClientCredentialsDef };

/** The client of a scheme, when the server is to fetch its token: no static token, both client variables set. */
export function configuredClient(scheme: SecuritySchemeDef, env: Record<string, string | undefined>): { readonly id: string; readonly secret: string } | undefined {
  if (scheme.type !== 'bearer' || scheme.clientCredentials === undefined || present(env[scheme.env])) return undefined;
  const id = env[scheme.clientCredentials.clientIdEnv];
  const secret = env[scheme.clientCredentials.clientSecretEnv];
  return present(id) && present(secret) ? { id, secret } : undefined;
}

/**
 * The token endpoint of a scheme: the override variable, else the spec's URL resolved against
 * the base URL in use. https, or http on a loopback host (a client secret must not cross a
 * network in clear text); no user:password@.
 */
export function tokenEndpoint(api: ApiDef, flow: ClientCredentialsDef, env: Record<string, string | undefined>): URL {
  const override = env[flow.tokenUrlEnv]?.trim();
  const fromEnv = override !== undefined && override !== '';
  const source = fromEnv ? flow.tokenUrlEnv : `the spec's token URL (override with ${flow.tokenUrlEnv})`;
  const base = env[api.baseUrlEnv]?.trim() || api.defaultBaseUrl;
  let url: URL;
  try {
    url = fromEnv ? new URL(override) : new URL(flow.tokenUrl, base || undefined);
  } catch {
    throw new TokenError(`the token URL from ${source} is not a valid URL`);
  }
  const loopback = url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new TokenError(`the token URL from ${source} must use https (http only on a loopback host)`);
  }
  if (url.username !== '' || url.password !== '') throw new TokenError(`the token URL from ${source} contains credentials (user:password@)`);
  return url;
}

/** Start-up check of every token endpoint the server will use; throws naming the variable, never a value. */
export function checkTokenEndpoints(api: ApiDef, env: Record<string, string | undefined>): void {
  for (const scheme of Object.values(api.securitySchemes)) {
    if (scheme.type !== 'bearer' || scheme.clientCredentials === undefined || configuredClient(scheme, env) === undefined) continue;
    try {
      tokenEndpoint(api, scheme.clientCredentials, env);
    } catch (error) {
      throw new Error(`${(error as Error).message}.`);
    }
  }
}

interface CachedToken {
  readonly scheme: string;
  readonly token: string;
  /** When to stop using it (ms since the epoch). */
  readonly until: number;
}

export class ClientCredentials {
  private readonly cache = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<string>>();
  private readonly now: () => number;

  constructor(
    private readonly api: ApiDef,
    private readonly env: Record<string, string | undefined>,
    private readonly options: ClientCredentialsOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** True when some scheme of this API gets its token here, so output must be redacted even before a token exists. */
  get active(): boolean {
    return Object.values(this.api.securitySchemes).some((scheme) => configuredClient(scheme, this.env) !== undefined);
  }

  /** Whether the server fetches this scheme's token itself. */
  fetches(name: string): boolean {
    const scheme = this.api.securitySchemes[name];
    return scheme !== undefined && configuredClient(scheme, this.env) !== undefined;
  }

  /**
   * Tokens for the schemes (by name) among `names` whose token the server fetches, each for
   * the scopes the operation asks of it. Rejects with TokenError.
   */
  async tokensFor(names: readonly string[], scopes: { readonly [scheme: string]: readonly string[] } | undefined): Promise<Map<string, string>> {
    const tokens = new Map<string, string>();
    for (const name of names) {
      if (!this.fetches(name)) continue;
      tokens.set(name, await this.token(name, this.api.securitySchemes[name] as ClientCredentialsScheme, scopes?.[name] ?? []));
    }
    return tokens;
  }

  /** Forgets the tokens the API refused (a 401), unless a newer one has replaced them already. */
  refused(tokens: ReadonlyMap<string, string>): void {
    for (const [key, cached] of this.cache) if (tokens.get(cached.scheme) === cached.token) this.cache.delete(key);
  }

  private token(name: string, scheme: ClientCredentialsScheme, scopes: readonly string[]): Promise<string> {
    const key = JSON.stringify([name, ...[...scopes].sort()]);
    const cached = this.cache.get(key);
    if (cached !== undefined && cached.until > this.now()) return Promise.resolve(cached.token);
    let shared = this.pending.get(key);
    if (shared === undefined) {
      // Shared by every caller that needs this token now; one caller's cancellation must not
      // fail the others, so the request has its own timeout and no caller's signal.
      shared = this.request(name, scheme, scopes, key).finally(() => this.pending.delete(key));
      this.pending.set(key, shared);
    }
    return shared;
  }

  private async request(name: string, scheme: ClientCredentialsScheme, scopes: readonly string[], key: string): Promise<string> {
    const client = configuredClient(scheme, this.env)!;
    const url = tokenEndpoint(this.api, scheme.clientCredentials, this.env);
    const shown = `${url.origin}${url.pathname}`;
    const as: oauth.AuthorizationServer = { issuer: url.origin, token_endpoint: url.href };
    const started = this.now();
    const timer = performance.now();
    const report = (outcome: TokenRequest['outcome'], extra: { readonly expiresIn?: number; readonly error?: string }): void =>
      this.options.onRequest?.({ scheme: name, tokenUrl: shown, outcome, ms: performance.now() - timer, ...extra });
    let answer: oauth.TokenEndpointResponse;
    try {
      const response = await oauth.clientCredentialsGrantRequest(as, { client_id: client.id }, oauth.ClientSecretBasic(client.secret), scopes.length > 0 ? { scope: scopes.join(' ') } : {}, {
        signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
        [oauth.customFetch]: (input, init) => cappedFetch(this.options.fetch ?? globalThis.fetch, input, init),
        // tokenEndpoint allows http only on a loopback host.
        [oauth.allowInsecureRequests]: url.protocol === 'http:',
      });
      answer = await oauth.processClientCredentialsResponse(as, { client_id: client.id }, response);
    } catch (error) {
      const reason = tokenFailure(error);
      report('error', { error: reason });
      throw new TokenError(`Could not get an access token for security scheme "${name}" from ${shown}: ${reason}`);
    }
    if (answer.token_type !== 'bearer') {
      const reason = `it issued a ${JSON.stringify(answer.token_type.slice(0, 40))} token, and only bearer tokens are supported`;
      report('error', { error: reason });
      throw new TokenError(`Could not get an access token for security scheme "${name}" from ${shown}: ${reason}`);
    }
    const token = answer.access_token;
    report('ok', typeof answer.expires_in === 'number' ? { expiresIn: answer.expires_in } : {});
    this.options.onToken?.(token);
    if (typeof answer.expires_in === 'number') {
      const lifetime = answer.expires_in * 1000;
      const until = started + lifetime - Math.min(EXPIRY_MARGIN_MS, lifetime / 10);
      // A token that expires at once is used for this call only.
      if (until > this.now()) this.cache.set(key, { scheme: name, token, until });
    } else {
      // No expires_in (RFC 6749 makes it optional): kept until the API refuses it.
      this.cache.set(key, { scheme: name, token, until: Infinity });
    }
    return token;
  }
}

/** fetch, with the answer read into memory up to MAX_TOKEN_RESPONSE_BYTES. */
async function cappedFetch(doFetch: typeof globalThis.fetch, input: string, init: RequestInit): Promise<Response> {
  const response = await doFetch(input, { ...init, redirect: 'manual' });
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader !== undefined) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_TOKEN_RESPONSE_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw new TokenError(`the answer is larger than ${MAX_TOKEN_RESPONSE_BYTES} bytes`);
      }
      chunks.push(value);
    }
  }
  const body = response.status === 204 || response.status === 304 ? null : Buffer.concat(chunks);
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** Why a token request failed, in words for a model or an operator (never a secret). */
function tokenFailure(error: unknown): string {
  if (error instanceof TokenError) return error.message;
  if (error instanceof oauth.ResponseBodyError) {
    const description = typeof error.error_description === 'string' ? `: ${error.error_description.slice(0, MAX_DESCRIPTION_CHARS)}` : '';
    return `HTTP ${error.status} ${error.error}${description}`;
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) return `HTTP ${error.status} (the client id or secret was refused)`;
  if (error instanceof oauth.OperationProcessingError) {
    const status = error.cause instanceof Response ? ` (HTTP ${error.cause.status})` : '';
    return `the answer is not a token response${status}: ${error.message}`;
  }
  if (error instanceof DOMException && error.name === 'TimeoutError') return `no answer within ${TOKEN_TIMEOUT_MS} ms`;
  return networkReason(error);
}

function present(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}
