// One tool call end to end: validate, build, fetch, map. Every failure becomes an
// isError result a model can act on; nothing here throws.

import type { CallToolResult } from '@modelcontextprotocol/server';
import { applyAfterResponse, applyBeforeRequest, HookError, type ServerHooks } from '../hooks.js';
import { networkReason } from '../upstream/network-reason.js';
import { observeUpstream } from '../observe/observe.js';
import { nextRedirect } from '../upstream/redirects.js';
import { FastFailure, type Resilience } from '../upstream/resilience.js';
import { TokenError, type ClientCredentials } from '../upstream/client-credentials.js';
import { buildRequest, chooseCredentials, RequestBuildError, type BuiltRequest } from '../upstream/request.js';
import { toToolResult } from '../upstream/response.js';
import { spanId, upstreamTraceparent, type TraceContext } from '../observe/trace.js';
import { startUpstreamSpan } from '../observe/tracing.js';
import type { ApiDef, OperationDef, ToolDef } from '../types.js';
import { validateArguments } from './validate.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface CallOptions {
  /** Aborted when the MCP request is cancelled; aborts the upstream fetch. */
  readonly signal?: AbortSignal;
  readonly env: Record<string, string | undefined>;
  readonly fetch?: typeof globalThis.fetch;
  readonly maxBytes: number;
  /** Upper bound for the whole upstream exchange, body included. */
  readonly timeoutMs?: number;
  /** The token client of schemes with client credentials; without it only static credentials are sent. */
  readonly tokens?: ClientCredentials;
  /** Retries, circuit breaker and concurrency cap; without it each request is tried once. */
  readonly resilience?: Resilience;
  /** The MCP request's trace: in upstream log lines, and sent as traceparent when propagating (trace.ts). */
  readonly trace?: TraceContext;
  /** Told about each step of the exchange (the server turns these into MCP log messages). */
  readonly observe?: (event: ExchangeEvent) => void;
  /** The user's hooks module (see hooks.ts). */
  readonly hooks?: ServerHooks;
}

export type ExchangeEvent =
  | { readonly step: 'request'; readonly method: string; readonly url: string }
  | { readonly step: 'response'; readonly status: number; readonly ms: number }
  | { readonly step: 'result'; readonly isError: boolean };

export async function callOperation(
  api: ApiDef,
  tool: ToolDef,
  args: unknown,
  options: CallOptions,
): Promise<CallToolResult> {
  const validated = validateArguments(tool, args);
  if (!validated.ok) return errorResult(validated.message);
  const sent = await sendOperation(api, tool.operation, validated.value, options);
  if (!sent.ok) return observed(errorResult(sent.message), options);
  try {
    const result = await toToolResult(tool.operation, sent.response, { maxBytes: options.maxBytes, url: sent.url });
    const hooked = await applyAfterResponse(options.hooks, { tool: tool.name, operation: operationName(tool.operation), arguments: validated.value, status: sent.response.status, result });
    return observed(hooked, options);
  } catch (error) {
    // The body stream shares the request's signal: a cancel or timeout mid-body lands here.
    if (options.signal?.aborted === true) return errorResult(`Request to ${sent.label} was cancelled`);
    return errorResult(`Reading the response of ${sent.label} failed: ${networkReason(error)}`);
  } finally {
    sent.finish();
  }
}

function observed(result: CallToolResult, options: CallOptions): CallToolResult {
  options.observe?.({ step: 'result', isError: result.isError === true });
  return result;
}

export type SendResult =
  | {
      readonly ok: true;
      readonly response: Response;
      readonly url: string;
      readonly label: string;
      /** Ends the exchange once the body has been read (or is not wanted): stops the timeout, drops an unread body. */
      readonly finish: () => void;
    }
  | { readonly ok: false; readonly reason: 'arguments' | 'network' | 'redirect' | 'credentials' | 'hook'; readonly message: string };

/**
 * Builds and sends one operation's request with cancellation and a timeout. Shared
 * by tools and resource reads; failures come back as a message a model can act on.
 * On success the caller reads the body and then calls `finish`.
 */
export async function sendOperation(
  api: ApiDef,
  operation: OperationDef,
  args: Record<string, unknown>,
  options: Omit<CallOptions, 'maxBytes'>,
): Promise<SendResult> {
  const tokens = options.tokens;
  // Tokens the server fetches itself (client credentials) for the schemes this request will use.
  const fetchTokens = (): Promise<ReadonlyMap<string, string>> => {
    if (tokens === undefined) return Promise.resolve(NO_TOKENS);
    const names = [...chooseCredentials(api, operation, options.env, (name) => tokens.fetches(name)).keys()];
    return tokens.tokensFor(names, operation.scopes);
  };
  let fetched: ReadonlyMap<string, string>;
  try {
    // A token request is shared with other calls and not aborted with this one: stop waiting instead.
    fetched = await untilAborted(fetchTokens(), options.signal);
  } catch (error) {
    if (options.signal?.aborted === true) return { ok: false, reason: 'network', message: `Request to ${operation.method} ${operation.path} was cancelled` };
    return { ok: false, reason: 'credentials', message: message(error) };
  }
  let request: BuiltRequest;
  try {
    request = buildRequest(api, operation, args, options.env, fetched);
  } catch (error) {
    if (error instanceof RequestBuildError) return { ok: false, reason: 'arguments', message: `Invalid arguments: ${error.message}` };
    return { ok: false, reason: 'arguments', message: `Could not build the request for ${operation.method} ${operation.path}: ${message(error)}` };
  }
  try {
    request = { ...request, ...(await applyBeforeRequest(options.hooks, operationName(operation), request)) };
  } catch (error) {
    return { ok: false, reason: 'hook', message: error instanceof HookError ? error.message : message(error) };
  }

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const label = `${request.init.method ?? 'GET'} ${request.displayUrl}`;
  if (options.signal?.aborted === true) return { ok: false, reason: 'network', message: `Request to ${label} was cancelled` };
  const exchange = abortableExchange(options.signal, timeoutMs);
  const doFetch = options.fetch ?? globalThis.fetch;
  const send = async (built: BuiltRequest): Promise<Response> => {
    options.observe?.({ step: 'request', method: built.init.method ?? 'GET', url: built.displayUrl });
    const started = performance.now();
    const origin = new URL(built.url).origin;
    const method = built.init.method ?? 'GET';
    let attempts = 0;
    const attempt = (signal: AbortSignal): Promise<Response> => observedAttempt(doFetch, built, origin, ++attempts, signal, options.trace);
    const response = options.resilience ? await options.resilience.execute(method, origin, attempt, exchange.signal, operation.idempotent === true, options.trace?.traceId) : await attempt(exchange.signal);
    options.observe?.({ step: 'response', status: response.status, ms: Math.round(performance.now() - started) });
    return response;
  };

  try {
    let response = await send(request);
    if (response.status === 401 && tokens !== undefined && fetched.size > 0) {
      // The API refused a token the server fetched (revoked, or expired early): get a new one
      // and try once more; a second 401 is the caller's to see.
      await response.body?.cancel().catch(() => undefined);
      tokens.refused(fetched);
      fetched = await fetchTokens();
      request = buildRequest(api, operation, args, options.env, fetched);
      request = { ...request, ...(await applyBeforeRequest(options.hooks, operationName(operation), request)) };
      response = await send(request);
    }
    const finish = (): void => {
      exchange.finish();
      // A body nobody read would otherwise hold its connection until garbage collection.
      if (response.body !== null && !response.bodyUsed) response.body.cancel().catch(() => undefined);
    };
    return { ok: true, response, url: request.displayUrl, label, finish };
  } catch (error) {
    exchange.finish();
    if (error instanceof TokenError) return { ok: false, reason: 'credentials', message: error.message };
    if (error instanceof RequestBuildError) return { ok: false, reason: 'arguments', message: `Invalid arguments: ${error.message}` };
    if (error instanceof RedirectRefused) return { ok: false, reason: 'redirect', message: `Request to ${label} failed: ${error.message}` };
    if (error instanceof FastFailure) return { ok: false, reason: 'network', message: `Request to ${label} was not sent: ${error.message}` };
    if (exchange.timedOut()) return { ok: false, reason: 'network', message: `Request to ${label} timed out after ${timeoutMs} ms` };
    if (exchange.signal.aborted) return { ok: false, reason: 'network', message: `Request to ${label} was cancelled` };
    return { ok: false, reason: 'network', message: `Request to ${label} failed: ${networkReason(error)}` };
  }
}

const NO_TOKENS: ReadonlyMap<string, string> = new Map();

/** `promise`, or a rejection as soon as `signal` aborts (the promise itself runs on). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

class RedirectRefused extends Error {
  override readonly name = 'RedirectRefused';
}

/** One attempt, logged and counted (observe.ts), with a traceparent when the caller sent one (trace.ts). */
async function observedAttempt(doFetch: typeof globalThis.fetch, request: BuiltRequest, origin: string, attempt: number, signal: AbortSignal, trace: TraceContext | undefined): Promise<Response> {
  const exported = startUpstreamSpan(trace, request.init.method ?? 'GET', request.displayUrl);
  const span = exported?.spanId ?? spanId();
  const traceparent = upstreamTraceparent(trace, span);
  const headers: Record<string, string> = traceparent === undefined ? request.init.headers : { ...(request.init.headers as Record<string, string>), traceparent };
  const sent: BuiltRequest = traceparent === undefined ? request : { ...request, init: { ...request.init, headers } };
  const method = request.init.method ?? 'GET';
  const started = performance.now();
  const seen = { method, origin, url: request.displayUrl, attempt, spanId: span };
  try {
    const response = await fetchWithinOrigin(doFetch, sent, origin, signal);
    observeUpstream({ ...seen, status: response.status, ms: performance.now() - started }, trace);
    exported?.end(response.status);
    return response;
  } catch (error) {
    exported?.end('error');
    observeUpstream({ ...seen, status: 'error', ms: performance.now() - started, error: networkReason(error) }, trace);
    throw error;
  }
}

/** One upstream exchange: the request, and the redirects that stay within its origin. */
async function fetchWithinOrigin(doFetch: typeof globalThis.fetch, request: BuiltRequest, origin: string, signal: AbortSignal): Promise<Response> {
  let url = request.url;
  let init = request.init;
  for (let hops = 0; ; hops += 1) {
    const response = await doFetch(url, { ...init, redirect: 'manual', signal });
    const step = nextRedirect(response, url, init, origin, hops);
    if (step.kind === 'none') return response;
    if (response.body !== null) await response.body.cancel().catch(() => undefined);
    if (step.kind === 'refuse') throw new RedirectRefused(step.message);
    url = step.url;
    init = step.init;
  }
}

interface AbortableExchange {
  readonly signal: AbortSignal;
  /** True when the timeout, not the caller, aborted the exchange. */
  readonly timedOut: () => boolean;
  /** Stops the timer and stops following the caller's signal. */
  readonly finish: () => void;
}

/**
 * One signal for an upstream exchange, aborted by the caller's cancellation or by the
 * timeout. A single AbortController and a timer cleared at the end are cheaper per call
 * than AbortSignal.timeout plus AbortSignal.any, which register weak references and
 * finalizers for every signal they create.
 */
function abortableExchange(cancel: AbortSignal | undefined, timeoutMs: number): AbortableExchange {
  const controller = new AbortController();
  let timedOut = false;
  const onCancel = (): void => controller.abort(cancel?.reason);
  const timer = setTimeout(() => {
    if (controller.signal.aborted) return;
    timedOut = true;
    // The same reason AbortSignal.timeout gives, so error messages stay as they were.
    controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }, timeoutMs);
  // Like AbortSignal.timeout: a pending exchange alone does not keep the process alive.
  timer.unref();
  cancel?.addEventListener('abort', onCancel, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    finish: () => {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', onCancel);
    },
  };
}

export function operationName(operation: OperationDef): string {
  return operation.operationId ?? `${operation.method} ${operation.path}`;
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
