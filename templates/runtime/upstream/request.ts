// Turns validated tool arguments into one upstream HTTP request.
// Credentials come from the environment only: a model can never supply or see them.

import { Buffer } from 'node:buffer';
import { isJsonMediaType, serializeBody } from './body.js';
import { RequestBuildError } from './errors.js';
import { ownValue } from '../own.js';
import {
  serializeCookieParameter,
  serializeHeaderParameter,
  serializePathParameter,
  serializeQueryParameter,
} from './serialize.js';
import type { ApiDef, OperationDef, ParameterDef, SecuritySchemeDef } from '../types.js';

export { RequestBuildError };

export interface BuiltRequest {
  readonly url: string;
  /** `url` with credential values masked, for messages a model will read. */
  readonly displayUrl: string;
  readonly init: RequestInit & { headers: Record<string, string> };
}

export const ACCEPT = 'application/json, */*;q=0.8';

// OpenAPI: header parameters with these names are ignored; the runtime owns them.
const RESERVED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

const REDACTED = '***';

const NO_TOKENS: ReadonlyMap<string, string> = new Map();

/**
 * `tokens`: access tokens the server fetched itself (client credentials), by scheme name; a
 * scheme with such a token counts as having credentials.
 */
export function buildRequest(
  api: ApiDef,
  op: OperationDef,
  args: Record<string, unknown>,
  env: Record<string, string | undefined>,
  tokens: ReadonlyMap<string, string> = NO_TOKENS,
): BuiltRequest {
  const base = baseUrl(api, op, env);
  const path = substitutePath(op, args);
  const query: string[] = [...base.query];
  // The base URL's query may carry a key of its own: shown masked, like credentials.
  const displayQuery: string[] = base.query.map((pair) => (pair.includes('=') ? `${pair.slice(0, pair.indexOf('='))}=${REDACTED}` : pair));
  const headers: Record<string, string> = { accept: ACCEPT };
  const cookies: string[] = [];
  const credentials = chooseCredentials(api, op, env, (name) => tokens.has(name));
  const guard = pairGuard(op, credentials);

  for (const param of op.parameters) {
    const value = parameterValue(param, args);
    switch (param.in) {
      case 'query': {
        const pairs = guard.query(param, serializeQueryParameter(param, value));
        if (pairs !== undefined) {
          query.push(pairs);
          displayQuery.push(pairs);
        }
        break;
      }
      case 'header': {
        const name = param.name.toLowerCase();
        if (RESERVED_HEADERS.has(name)) break;
        const text = serializeHeaderParameter(param, value);
        // A credential header of the same name is set below and wins.
        if (text !== undefined) headers[name] = checkedHeaderValue(text, `header parameter "${param.arg}"`);
        break;
      }
      case 'cookie': {
        const pairs = guard.cookie(serializeCookieParameter(param, value));
        if (pairs !== undefined) cookies.push(pairs);
        break;
      }
      case 'path':
        break;
    }
  }

  for (const [name, scheme] of credentials) {
    applyCredential(scheme, env, tokens.get(name), headers, cookies, query, displayQuery);
  }

  if (cookies.length > 0) headers['cookie'] = checkedHeaderValue(cookies.join('; '), 'cookie parameters');

  const init: RequestInit & { headers: Record<string, string> } = { method: op.method, headers };
  const body = op.body === undefined ? undefined : serializeBody(op.body, args);
  if (body !== undefined) {
    // No content-type for multipart: fetch writes it, with the boundary it chose.
    if (body.contentType !== undefined) headers['content-type'] = checkedHeaderValue(body.contentType, 'the request body media type');
    init.body = body.payload;
  }

  const suffix = (parts: string[]): string => (parts.length === 0 ? '' : (path.includes('?') ? '&' : '?') + parts.join('&'));
  return { url: base.prefix + path + suffix(query), displayUrl: base.prefix + path + suffix(displayQuery), init };
}

/**
 * A parameter declared with `content` (ParameterDef.contentType) carries a serialized
 * document, not a value to spread over the style table: it travels as one plain string.
 */
function parameterValue(param: ParameterDef, args: Record<string, unknown>): unknown {
  const value = ownValue(args, param.arg);
  if (param.contentType === undefined || value === undefined) return value;
  return typeof value === 'string' && !isJsonMediaType(param.contentType) ? value : JSON.stringify(value);
}

interface BaseUrl {
  /** Scheme, authority and path, without a trailing slash. */
  readonly prefix: string;
  /** The base URL's own query pairs, sent before the operation's (as given, already encoded). */
  readonly query: readonly string[];
}

function baseUrl(api: ApiDef, op: OperationDef, env: Record<string, string | undefined>): BaseUrl {
  // Precedence: the environment variable, then the operation's own server, then the API's.
  // The variable wins even over an operation-level server because it is the deployment's
  // choice (a proxy, a mock, a regional endpoint), made knowing what it points at; a spec's
  // per-operation servers are only the publisher's defaults.
  // An exported-but-empty variable (common in .env files and compose) means "not set".
  const override = env[api.baseUrlEnv]?.trim();
  const fromEnv = override !== undefined && override !== '';
  const raw = fromEnv ? override : (op.server ?? api.defaultBaseUrl);
  const parsed = parseBaseUrl(raw, fromEnv ? api.baseUrlEnv : 'the spec\'s server URL', api.baseUrlEnv);
  const query = parsed.search.length > 1 ? parsed.search.slice(1).split('&').filter((pair) => pair !== '') : [];
  return { prefix: `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, ''), query };
}

/**
 * Parses a base URL, refusing what must not be sent: a scheme other than http(s), and
 * credentials in the authority (fetch would refuse them with an error that quotes the URL,
 * password included). Messages name where the URL came from, never its text.
 */
function parseBaseUrl(raw: string, source: string, variable: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new RequestBuildError(`the base URL from ${source} is not a valid URL (set ${variable} to an http(s) URL)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new RequestBuildError(`the base URL from ${source} must use http or https (set ${variable})`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new RequestBuildError(`the base URL from ${source} contains credentials (user:password@); remove them and use the security scheme variables listed in the README`);
  }
  return parsed;
}

/**
 * Start-up check of the base URLs a server will use: the variable's and the spec's. Throws
 * an Error naming the variable, never the value, so a misconfiguration stops the start.
 */
export function checkBaseUrls(api: ApiDef, env: Record<string, string | undefined>): void {
  const override = env[api.baseUrlEnv]?.trim();
  try {
    if (override !== undefined && override !== '') parseBaseUrl(override, api.baseUrlEnv, api.baseUrlEnv);
    else if (api.defaultBaseUrl !== '') parseBaseUrl(api.defaultBaseUrl, "the spec's server URL", api.baseUrlEnv);
  } catch (error) {
    throw new Error(`${(error as Error).message}.`);
  }
}

function substitutePath(op: OperationDef, args: Record<string, unknown>): string {
  let path = op.path;
  for (const param of op.parameters) {
    if (param.in !== 'path') continue;
    const text = serializePathParameter(param, parameterValue(param, args));
    if (text === undefined || text === '') {
      throw new RequestBuildError(
        text === undefined ? `missing required path parameter "${param.arg}"` : `path parameter "${param.arg}" must not be empty`,
      );
    }
    path = path.split(`{${param.name}}`).join(text);
  }
  const leftover = /\{([^}]*)\}/.exec(path);
  if (leftover !== null) throw new RequestBuildError(`path template variable "${leftover[1] ?? ''}" has no parameter`);
  // WHATWG URL parsing (used by fetch) removes "." and ".." segments, including their
  // percent-encoded spellings (%2E, .%2e, ...), so no encoding can carry them: refuse
  // rather than let a value climb out of its path.
  for (const segment of path.split('/')) {
    if (/^(?:\.|%2e){1,2}$/i.test(segment)) {
      throw new RequestBuildError(`a path parameter value would form the path segment "${segment}", which URLs cannot carry`);
    }
  }
  return path;
}

/**
 * An argument can never add or replace a credential or another declared parameter: a
 * free-form object spread over the query (form, explode) must not produce the key of another
 * query parameter or of an API key, and a parameter that shares a credential's name yields to
 * the credential (as a header parameter does).
 */
function pairGuard(op: OperationDef, credentials: ReadonlyMap<string, SecuritySchemeDef>) {
  const queryCredentials = new Set<string>();
  const cookieCredentials = new Set<string>();
  for (const scheme of credentials.values()) {
    if (scheme.type !== 'apiKey') continue;
    if (scheme.in === 'query') queryCredentials.add(scheme.name);
    if (scheme.in === 'cookie') cookieCredentials.add(scheme.name);
  }
  const declared = new Set(op.parameters.filter((p) => p.in === 'query').map((p) => p.name));
  const keyOf = (pair: string, separator: string): string => {
    const raw = pair.split(separator, 1)[0]!;
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  };
  return {
    query(param: ParameterDef, pairs: string | undefined): string | undefined {
      if (pairs === undefined) return undefined;
      const kept: string[] = [];
      for (const pair of pairs.split('&')) {
        const key = keyOf(pair, '=');
        if (queryCredentials.has(key)) {
          if (key === param.name) continue;
          throw new RequestBuildError(`argument "${param.arg}" would set the query parameter "${key}", which carries a credential`);
        }
        if (key !== param.name && declared.has(key)) {
          throw new RequestBuildError(`argument "${param.arg}" would set the query parameter "${key}", which is another parameter of this operation`);
        }
        kept.push(pair);
      }
      return kept.length === 0 ? undefined : kept.join('&');
    },
    cookie(pairs: string | undefined): string | undefined {
      if (pairs === undefined || cookieCredentials.size === 0) return pairs;
      const kept = pairs.split('; ').filter((pair) => !cookieCredentials.has(keyOf(pair, '=')));
      return kept.length === 0 ? undefined : kept.join('; ');
    },
  };
}

/**
 * The schemes (by name) of the first security alternative whose credentials are all set.
 * `fetchable` says whether the server has (or can get) a token of its own for a scheme.
 */
export function chooseCredentials(api: ApiDef, op: OperationDef, env: Record<string, string | undefined>, fetchable: (scheme: string) => boolean): Map<string, SecuritySchemeDef> {
  for (const alternative of op.security) {
    const schemes = new Map<string, SecuritySchemeDef>();
    for (const name of alternative) {
      const scheme = api.securitySchemes[name];
      if (scheme === undefined || !(hasCredentials(scheme, env) || fetchable(name))) break;
      schemes.set(name, scheme);
    }
    if (schemes.size === alternative.length) return schemes;
  }
  // Nothing satisfiable: send the request bare so the upstream's own 401 explains what is missing.
  return new Map();
}

function present(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

function hasCredentials(scheme: SecuritySchemeDef, env: Record<string, string | undefined>): boolean {
  switch (scheme.type) {
    case 'apiKey':
    case 'bearer':
      return present(env[scheme.env]);
    case 'basic':
      return present(env[scheme.usernameEnv]) && env[scheme.passwordEnv] !== undefined;
  }
}

function applyCredential(
  scheme: SecuritySchemeDef,
  env: Record<string, string | undefined>,
  fetchedToken: string | undefined,
  headers: Record<string, string>,
  cookies: string[],
  query: string[],
  displayQuery: string[],
): void {
  switch (scheme.type) {
    case 'apiKey': {
      const value = env[scheme.env] ?? '';
      if (scheme.in === 'header') {
        headers[scheme.name.toLowerCase()] = checkedCredential(value, `in ${scheme.env}`);
      } else if (scheme.in === 'query') {
        const key = encodeURIComponent(scheme.name);
        query.push(`${key}=${encodeURIComponent(value)}`);
        displayQuery.push(`${key}=${REDACTED}`);
      } else {
        cookies.push(`${encodeURIComponent(scheme.name)}=${encodeURIComponent(value)}`);
      }
      return;
    }
    case 'bearer':
      headers['authorization'] =
        fetchedToken === undefined ? `Bearer ${checkedCredential(env[scheme.env] ?? '', `in ${scheme.env}`)}` : `Bearer ${checkedCredential(fetchedToken, 'from the token endpoint')}`;
      return;
    case 'basic': {
      const user = env[scheme.usernameEnv] ?? '';
      const password = env[scheme.passwordEnv] ?? '';
      headers['authorization'] = `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
      return;
    }
  }
}

// fetch rejects such values with an error that quotes them; checking first keeps
// secrets out of messages and turns header injection attempts into a plain error.
const INVALID_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

function checkedHeaderValue(value: string, what: string): string {
  if (INVALID_HEADER_VALUE.test(value)) {
    throw new RequestBuildError(`${what} contains characters not allowed in an HTTP header (control characters or non-Latin-1 text)`);
  }
  return value;
}

/** `source`: where the value came from, as a message names it ("in API_TOKEN"). */
function checkedCredential(value: string, source: string): string {
  if (INVALID_HEADER_VALUE.test(value)) {
    throw new RequestBuildError(`the credential ${source} contains characters not allowed in an HTTP header`);
  }
  return value;
}
