// Streamable HTTP serving on node:http. Both protocol eras are served statelessly
// from one factory. Host and Origin are checked because a local MCP server is
// otherwise reachable from any web page through DNS rebinding.

import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInboundAuth, readInboundAuthConfig, type InboundAuth } from '../inbound/auth.js';
import type { ScopeChallenge } from '../inbound/scopes.js';
import { integerFromEnv, nonEmpty } from '../env.js';
import { checkExposure } from '../inbound/exposure.js';
import { rejectionLog, type LineWriter } from '../observe/log-limit.js';
import { createLogger, readLogLevel, useLogger } from '../observe/logger.js';
import { enableMetrics, readMetricsEnabled, serveMetrics } from '../observe/metrics.js';
import { RateLimiter, rateLimitClient, readRateLimit } from './rate-limit.js';
import { Readiness } from './readiness.js';
import { readShutdownDelay, shutDownGracefully } from './shutdown.js';
import { startTracing } from '../observe/tracing.js';
import { hostHeaderValidation, originValidation } from '@modelcontextprotocol/node';
import {
  bearerAuthChallengeResponse,
  createMcpHandler,
  DEFAULT_MAX_REQUEST_BODY_SIZE,
  isJsonContentType,
  isLegacyRequest,
  legacyStatelessFallback,
  OAuthError,
  OAuthErrorCode,
  WebStandardStreamableHTTPServerTransport,
  type AuthInfo,
  type McpHttpHandler,
  type Server,
} from '@modelcontextprotocol/server';

export interface HttpOptions {
  /** Source of HOST, PORT, MCP_ALLOWED_HOSTS, MCP_ALLOWED_ORIGINS, MCP_AUTH_*, MCP_ALLOW_UNAUTHENTICATED, LOG_LEVEL, MCPGEN_METRICS, MCPGEN_RATE_LIMIT_*, MCPGEN_SHUTDOWN_DELAY_MS; defaults to process.env. */
  readonly env?: Record<string, string | undefined>;
  /** Used in the start-up log line. */
  readonly name?: string;
}

/**
 * Makes the Server for one request. `rejectQuery` (see server.ts) vets the tool filters of
 * the /mcp URL (?toolsets=, ?tools=, ?readonly=, ?discovery=) before anything is served.
 */
export type HttpServerFactory = ((context?: { readonly era?: 'legacy' | 'modern'; readonly requestInfo?: Request; readonly authInfo?: AuthInfo }) => Server) & {
  readonly rejectQuery?: (query: URLSearchParams) => string | undefined;
  /** Scopes tools and resources require, advertised in the protected-resource metadata (see scopes.ts). */
  readonly scopes?: readonly string[];
  /** Why the caller's token may not make a tools/call: answered 403 insufficient_scope. */
  readonly scopeChallenge?: (request: Request, method: string, params: unknown, authInfo: AuthInfo) => ScopeChallenge | undefined;
};

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 3000;
/** How long an idle keep-alive connection stays open (see startHttpServer). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Per server: its /readyz state (runHttp marks it draining on SIGTERM). */
const readinessOf = new WeakMap<HttpServer, Readiness>();

/** Starts listening; resolves once bound. Closing the returned server also closes the MCP handler. */
export async function startHttpServer(factory: HttpServerFactory, options: HttpOptions = {}): Promise<HttpServer> {
  const env = options.env ?? process.env;
  const host = nonEmpty(env['HOST']) ?? DEFAULT_HOST;
  const port = integerFromEnv(env, 'PORT', DEFAULT_PORT, { min: 0, max: 65_535 });
  const defaults = ['localhost', '127.0.0.1', '[::1]', hostname(host)];
  const validHost = hostHeaderValidation(list(env['MCP_ALLOWED_HOSTS']) ?? defaults);
  const validOrigin = originValidation(list(env['MCP_ALLOWED_ORIGINS']) ?? defaults);

  // Every line a request can cause goes through one budget (see log-limit.ts).
  const log = rejectionLog();
  // One JSON line per request and per upstream attempt (observe.ts); LOG_LEVEL, default info.
  useLogger(createLogger(options.name ?? 'mcpgen', readLogLevel(env, 'http')));
  // Spans exported over OTLP only with OTEL_EXPORTER_OTLP_ENDPOINT (and the SDK installed).
  await startTracing(options.name ?? 'mcpgen', env);
  const metrics = readMetricsEnabled(env) ? enableMetrics() : undefined;
  const rateLimit = readRateLimit(env);
  const limiter = rateLimit.perMinute > 0 ? new RateLimiter(rateLimit) : undefined;
  const onerror = (error: Error): void => log(`MCP error: ${error.message}`);
  // 2026-era requests go to the SDK's handler; 2025-era ones to serveLegacy (see there).
  const modern = createMcpHandler(factory, { legacy: 'reject', onerror });
  // A 2025-era request that asks for progress needs an event stream for its notifications:
  // the SDK's own stateless fallback serves those (and tears down when the stream ends).
  const streaming = legacyStatelessFallback(factory, onerror);
  const legacy = (request: Request, parsedBody: unknown, authInfo: AuthInfo | undefined): Promise<Response> =>
    asksForProgress(parsedBody) ? streaming(request, { parsedBody, ...(authInfo === undefined ? {} : { authInfo }) }) : serveLegacy(factory, request, parsedBody, authInfo, onerror);

  // Optional inbound OAuth (MCP_AUTH_*): read now so a misconfiguration stops the start;
  // made once the listening address is known (it is the default resource URL).
  const authConfig = readInboundAuthConfig(env);
  const exposureNote = checkExposure(host, authConfig !== undefined, env);
  let auth: InboundAuth | undefined;
  const readiness = new Readiness(authConfig?.introspectionUrl);
  // Refuses the request with 429 when its client is over MCPGEN_RATE_LIMIT_PER_MINUTE.
  const overLimit = (req: IncomingMessage, res: ServerResponse, client: string): boolean => {
    const retryAfter = limiter?.take(client);
    if (retryAfter === undefined) return false;
    metrics?.refused();
    log(`429 for /mcp from ${req.socket.remoteAddress}: over MCPGEN_RATE_LIMIT_PER_MINUTE (${rateLimit.perMinute})`);
    const message = `Rate limit exceeded: at most ${rateLimit.perMinute} requests per minute; retry after ${retryAfter} s`;
    json(res, 429, { jsonrpc: '2.0', error: { code: -32000, message }, id: null }, { 'retry-after': String(retryAfter) });
    return true;
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === '/mcp') {
      if (!validHost(req, res)) return log(`403 for /mcp from ${req.socket.remoteAddress}: Host ${JSON.stringify(req.headers.host)} not allowed (MCP_ALLOWED_HOSTS)`);
      if (!validOrigin(req, res)) return log(`403 for /mcp from ${req.socket.remoteAddress}: Origin ${JSON.stringify(req.headers.origin)} not allowed (MCP_ALLOWED_ORIGINS)`);
      const rejected = factory.rejectQuery?.(new URLSearchParams((req.url ?? '').slice(path.length + 1)));
      if (rejected !== undefined) return json(res, 400, { error: rejected });
      const serve = (authInfo?: AuthInfo): Promise<void> => serveMcp(req, res, { modern, legacy, log, ...(authInfo === undefined ? {} : { caller: { authInfo, refuse: scopeRefusal(factory, authInfo, auth) } }) });
      // Per client: the token's subject when inbound auth is on, else the remote address.
      const served =
        authConfig === undefined
          ? overLimit(req, res, rateLimitClient(req.socket.remoteAddress)) ? Promise.resolve() : serve()
          : authorized(req, res, auth, (info) => (overLimit(req, res, rateLimitClient(req.socket.remoteAddress, info)) ? Promise.resolve() : serve(info)), log);
      served.catch((error: unknown) => fail(res, error, log));
      return;
    }
    if (auth !== undefined && path === auth.metadataPath) return metadata(req, res, auth.metadata);
    if (path === '/healthz') {
      if (req.method === 'GET' || req.method === 'HEAD') return json(res, 200, { status: 'ok' });
      return json(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
    }
    if (path === '/readyz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
      readiness.check().then(
        (verdict) => json(res, verdict.ready ? 200 : 503, verdict.ready ? { status: 'ready' } : { status: 'not ready', reason: verdict.reason }),
        (error: unknown) => fail(res, error, log),
      );
      return;
    }
    if (path === '/metrics' && metrics !== undefined) {
      // Like /healthz, no Host check and no auth: a scraper inside the network asks by pod address.
      // It holds counts, tool names and API origins, no request data; keep it off public routes.
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
      serveMetrics(res, metrics).catch((error: unknown) => fail(res, error, log));
      return;
    }
    json(res, 404, { error: 'not found', hint: 'the MCP endpoint is /mcp' });
  });
  server.on('close', () => {
    modern.close().catch(() => undefined);
  });
  readinessOf.set(server, readiness);
  // Node closes an idle keep-alive connection after 5 s; a client that pauses longer between
  // two requests (compiling hundreds of output schemas after tools/list) may reuse the
  // socket as it closes and fail with "other side closed". Longer than the usual 60 s load
  // balancer idle timeout, so the side that sees a request coming is not the one closing;
  // headers must time out after the keep-alive does.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // listen() wants a bare IPv6 literal; HOST may be written either way.
    server.listen(port, host.replace(/^\[(.*)\]$/, '$1'), () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  if (exposureNote !== undefined) process.stderr.write(`${exposureNote}\n`);
  if (authConfig !== undefined) auth = createInboundAuth(authConfig, new URL(`http://${hostname(host)}:${address.port}/mcp`), { toolScopes: factory.scopes ?? [] });
  readiness.start();
  process.stderr.write(
    `${options.name ?? 'mcpgen'} MCP server listening on http://${hostname(host)}:${address.port}/mcp\n`,
  );
  return server;
}

/**
 * Starts the server and closes it gracefully on SIGINT/SIGTERM (see shutdown.ts). A
 * configuration it cannot start with rejects; the entry point's startOrExit turns that into
 * one line and exit 1.
 */
export async function runHttp(factory: HttpServerFactory, options: HttpOptions = {}): Promise<HttpServer> {
  const delayMs = readShutdownDelay(options.env ?? process.env);
  const server = await startHttpServer(factory, options);
  shutDownGracefully(server, readinessOf.get(server), delayMs);
  return server;
}

/**
 * One POST (or GET/DELETE) on /mcp. Does what toNodeHandler from @modelcontextprotocol/node
 * does, minus two costs that showed in profiles: the body is read once, as a Node stream, and
 * handed to the SDK parsed (the SDK would otherwise clone the web Request and read it again to
 * route it), and a JSON answer is written in one piece instead of being iterated as a stream.
 */
interface McpRoutes {
  readonly modern: McpHttpHandler;
  readonly legacy: (request: Request, parsedBody: unknown, authInfo: AuthInfo | undefined) => Promise<Response>;
  readonly log: LineWriter;
  /** With inbound auth: the verified token, and the 403 for a call it lacks scopes for. */
  readonly caller?: { readonly authInfo: AuthInfo; readonly refuse: (request: Request, parsedBody: unknown) => Response | undefined };
}

async function serveMcp(req: IncomingMessage, res: ServerResponse, routes: McpRoutes): Promise<void> {
  const { modern, legacy, log, caller } = routes;
  const body = req.method === 'POST' ? await readBody(req, DEFAULT_MAX_REQUEST_BODY_SIZE) : '';
  if (body === undefined) {
    log(`413 for /mcp from ${req.socket.remoteAddress}: body over ${DEFAULT_MAX_REQUEST_BODY_SIZE} bytes`);
    const message = `Payload Too Large: Request body must not exceed ${DEFAULT_MAX_REQUEST_BODY_SIZE} bytes`;
    return json(res, 413, { jsonrpc: '2.0', error: { code: -32000, message }, id: null }, { connection: 'close' });
  }
  // Aborted when the client goes away before its answer is written: cancels the exchange.
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
    method: req.method ?? 'GET',
    headers: webHeaders(req.headers),
    signal: gone.signal,
    ...(body === '' ? {} : { body }),
  });
  const parsedBody = parseJson(body);
  const refusal = caller?.refuse(request, parsedBody);
  if (refusal !== undefined) {
    log(`403 for /mcp from ${req.socket.remoteAddress}: insufficient_scope`);
    return writeResponse(res, refusal, gone.signal);
  }
  const authInfo = caller?.authInfo;
  // A POST that is not JSON goes to the SDK's handler, which answers 415 before routing.
  const isLegacy = (req.method !== 'POST' || isJsonContentType(req.headers['content-type'] ?? null)) && (await isLegacyRequest(request, parsedBody));
  const options = { ...(parsedBody === undefined ? {} : { parsedBody }), ...(authInfo === undefined ? {} : { authInfo }) };
  const response = isLegacy ? await legacy(request, parsedBody, authInfo) : await modern.fetch(request, options);
  await writeResponse(res, response, gone.signal);
}

/**
 * A 2025-era request, served statelessly like the SDK's `legacy: 'stateless'` fallback (a fresh
 * Server and transport per request), but answered as plain JSON instead of a one-event SSE
 * stream: the stream, its keep-alive timer and the second stream the fallback wraps around it
 * took about a tenth of a request's CPU. A stateless 2025 exchange has nothing to send before
 * its result: a log level set with logging/setLevel dies with its request (only a batch that
 * sets a level and calls a tool in one POST loses its log messages).
 */
async function serveLegacy(factory: HttpServerFactory, request: Request, parsedBody: unknown, authInfo: AuthInfo | undefined, onerror: (error: Error) => void): Promise<Response> {
  if (request.method !== 'POST') return jsonRpcError(405, -32000, 'Method not allowed.', null, { allow: 'POST' });
  const server = factory({ era: 'legacy', requestInfo: request, ...(authInfo === undefined ? {} : { authInfo }) });
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  const teardown = (): void => {
    transport.close().catch(() => undefined);
    server.close().catch(() => undefined);
  };
  // A client that goes away cancels the tool call (closing aborts the handler's signal).
  request.signal.addEventListener('abort', teardown, { once: true });
  try {
    await server.connect(transport);
    return await transport.handleRequest(request, { ...(parsedBody === undefined ? {} : { parsedBody }), ...(authInfo === undefined ? {} : { authInfo }) });
  } catch (error) {
    onerror(error instanceof Error ? error : new Error(String(error)));
    return jsonRpcError(500, -32603, 'Internal server error', requestId(parsedBody));
  } finally {
    request.signal.removeEventListener('abort', teardown);
    teardown();
  }
}

/**
 * The MCP authorization spec's answer to a call the token lacks scopes for: 403 with
 * `WWW-Authenticate: Bearer error="insufficient_scope", scope=…`, from which a client can ask
 * the authorization server for a token that carries them (step-up). Only tools/call and
 * resources/read are refused here; lists are filtered per token instead (see toolsets.ts,
 * resources.ts).
 */
function scopeRefusal(factory: HttpServerFactory, authInfo: AuthInfo, auth: InboundAuth | undefined): (request: Request, parsedBody: unknown) => Response | undefined {
  return (request, parsedBody) => {
    if (factory.scopeChallenge === undefined || !factory.scopes?.length) return undefined;
    const messages: unknown[] = Array.isArray(parsedBody) ? parsedBody : [parsedBody];
    for (const message of messages) {
      const { method, params } = (message ?? {}) as { method?: unknown; params?: unknown };
      if (method !== 'tools/call' && method !== 'resources/read') continue;
      const challenge = factory.scopeChallenge(request, method, params, authInfo);
      if (challenge === undefined) continue;
      return bearerAuthChallengeResponse(new OAuthError(OAuthErrorCode.InsufficientScope, challenge.message), {
        requiredScopes: [...challenge.scopes],
        ...(auth === undefined ? {} : { resourceMetadataUrl: auth.metadataUrl }),
      });
    }
    return undefined;
  };
}

/** Serves the request only with a valid bearer token; otherwise answers the SDK's 401/403 challenge. */
async function authorized(req: IncomingMessage, res: ServerResponse, auth: InboundAuth | undefined, serve: (authInfo: AuthInfo) => Promise<void>, log: LineWriter): Promise<void> {
  if (auth === undefined) return json(res, 503, { error: 'starting' }, { 'retry-after': '1' });
  const authorization = req.headers.authorization;
  const verdict = await auth.gate(new Request('http://localhost/mcp', { headers: authorization === undefined ? {} : { authorization } }));
  if (verdict instanceof Response) {
    const error = /error="([^"]*)"/.exec(verdict.headers.get('www-authenticate') ?? '')?.[1] ?? 'refused';
    log(`${verdict.status} for /mcp from ${req.socket.remoteAddress}: ${error}`);
    return writeResponse(res, verdict, new AbortController().signal);
  }
  return serve(verdict);
}


/** The RFC 9728 Protected Resource Metadata document; public, and readable cross-origin by browser clients. */
function metadata(req: IncomingMessage, res: ServerResponse, document: Record<string, unknown>): void {
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, OPTIONS' };
  if (req.method === 'OPTIONS') {
    res.writeHead(204, cors).end();
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' }, { allow: 'GET, OPTIONS' });
  json(res, 200, document, cors);
}

/** True when a request in the body carries params._meta.progressToken. */
function asksForProgress(body: unknown): boolean {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  return messages.some((message) => {
    const meta = (message as { params?: { _meta?: { progressToken?: unknown } } } | null)?.params?._meta;
    return meta?.progressToken !== undefined;
  });
}

/** The body as text, or undefined when it is longer than `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  if (Number(req.headers['content-length']) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      // The answer closes the connection; the rest of the body is never read.
      req.off('data', onData);
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size).toString('utf8')));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('the client went away before sending the whole body'));
    });
  });
}

/** The parsed body as the SDK routes on it: undefined when empty or not JSON. */
function parseJson(body: string): unknown {
  if (body === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function webHeaders(headers: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) out.append(name, item);
    else out.set(name, value);
  }
  return out;
}

/** An event stream is written as the SDK produces it; any other answer in one piece. */
async function writeResponse(res: ServerResponse, response: Response, gone: AbortSignal): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (response.body === null || !headers['content-type']?.startsWith('text/event-stream')) {
    const body = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, headers).end(body);
    return;
  }
  res.writeHead(response.status, headers);
  for await (const chunk of response.body) {
    if (gone.aborted) break;
    if (!res.write(chunk)) await once(res, 'drain', { signal: gone }).catch(() => undefined);
  }
  res.end();
}

function jsonRpcError(status: number, code: number, message: string, id: string | number | null, headers: Record<string, string> = {}): Response {
  return Response.json({ jsonrpc: '2.0', error: { code, message }, id }, { status, headers });
}

/** The id of a single JSON-RPC request, to echo on an error answer; null when there is none. */
function requestId(body: unknown): string | number | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const { method, id } = body as { method?: unknown; id?: unknown };
  return typeof method === 'string' && (typeof id === 'string' || typeof id === 'number') ? id : null;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function fail(res: ServerResponse, error: unknown, log: LineWriter): void {
  log(`MCP request failed: ${error instanceof Error ? error.message : String(error)}`);
  if (!res.headersSent) json(res, 500, { error: 'internal error' });
  else res.destroy();
}

function list(value: string | undefined): string[] | undefined {
  const items = nonEmpty(value)
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items === undefined || items.length === 0 ? undefined : items;
}

/** Host as it appears in a URL or Host header: IPv6 literals in brackets. */
function hostname(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
