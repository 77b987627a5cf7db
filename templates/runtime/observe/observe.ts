// What every MCP request and every upstream attempt leaves behind: a log line and, when the
// HTTP server serves /metrics, its counts and latency. Transport-independent: requests are
// observed where the Server dispatches them (invalid-params.ts), attempts where call.ts sends.

import type { JSONRPCRequest, Result, ServerContext } from '@modelcontextprotocol/server';
import type { TokenRequest } from '../upstream/client-credentials.js';
import { logger } from './logger.js';
import { metrics, type Outcome } from './metrics.js';
import type { ResilienceEvent } from '../upstream/resilience.js';
import { newTrace, type TraceContext } from './trace.js';
import { startRequestSpan } from './tracing.js';

/** Each request's trace, for its handler (server.ts passes it to the upstream call). */
const traces = new WeakMap<ServerContext, TraceContext>();

export function traceOf(ctx: ServerContext): TraceContext | undefined {
  return traces.get(ctx);
}

/**
 * Runs one request's handler, then logs and counts it (method, tool, outcome, latency, ids).
 * `outer` is the HTTP request's trace; over stdio each MCP request starts its own.
 */
export async function observeRequest(method: string, request: JSONRPCRequest, ctx: ServerContext, outer: TraceContext | undefined, handle: () => Promise<Result>): Promise<Result> {
  outer ??= newTrace();
  const tool = method === 'tools/call' ? toolName(request) : '';
  // With OTLP export on, the request's span names the trace context from here on (tracing.ts).
  const span = startRequestSpan(outer, method, tool);
  const trace = span?.context ?? outer;
  traces.set(ctx, trace);
  const sink = metrics();
  sink?.requestStarted();
  const started = performance.now();
  let outcome: Outcome = 'error';
  let failure: string | undefined;
  try {
    const result = await handle();
    outcome = (result as { isError?: unknown }).isError === true ? 'tool_error' : 'ok';
    return result;
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    throw error;
  } finally {
    const ms = performance.now() - started;
    // A name that is not a tool (the call threw) is the caller's text: not a label value.
    sink?.requestEnded(method, outcome === 'error' ? '' : tool, outcome, ms / 1000);
    span?.end(outcome);
    const log = logger();
    if (log.isLevelEnabled('info')) {
      log.info(
        { event: 'mcp_request', method, ...(tool === '' ? {} : { tool }), outcome, ms: Math.round(ms * 10) / 10, requestId: request.id, traceId: trace.traceId, spanId: trace.spanId, ...(failure === undefined ? {} : { error: failure }) },
        'mcp request',
      );
    }
  }
}

export interface UpstreamAttempt {
  readonly method: string;
  readonly origin: string;
  /** The URL as shown to users: credentials in the query are already masked (request.ts). */
  readonly url: string;
  readonly attempt: number;
  readonly status: number | 'error';
  readonly ms: number;
  readonly spanId: string;
  readonly error?: string;
}

export function observeUpstream(attempt: UpstreamAttempt, trace: TraceContext | undefined): void {
  metrics()?.upstreamAttempt(attempt.origin, attempt.method, attempt.status, attempt.ms / 1000);
  const log = logger();
  if (!log.isLevelEnabled('info')) return;
  const { origin: _origin, ms, ...rest } = attempt;
  log.info({ event: 'upstream_request', ...rest, ms: Math.round(ms * 10) / 10, ...(trace === undefined ? {} : { traceId: trace.traceId }) }, 'upstream request');
}

/** Retries and circuit changes, as log lines (warn: they show on a quiet stdio server too) and metrics. */
export function observeResilience(event: ResilienceEvent): void {
  const sink = metrics();
  const fields = event;
  if (event.event === 'upstream_retry') {
    sink?.retried(event.origin);
    logger().warn(fields, 'upstream retry');
    return;
  }
  const state = event.event === 'circuit_open' ? 'open' : event.event === 'circuit_half_open' ? 'half_open' : 'closed';
  sink?.circuitState(event.origin, state);
  if (state === 'open') logger().warn(fields, 'circuit open');
  else logger().info(fields, state === 'closed' ? 'circuit closed' : 'circuit half-open');
}

/** Client credentials token requests: a log line (info, warn when it failed) and a count. */
export function observeTokenRequest(request: TokenRequest): void {
  metrics()?.tokenRequested(request.scheme, request.outcome);
  const { ms, ...rest } = request;
  const fields = { event: 'token_request', ...rest, ms: Math.round(ms * 10) / 10 };
  if (request.outcome === 'ok') logger().info(fields, 'token request');
  else logger().warn(fields, 'token request failed');
}

/** A tool name longer than this is cut in the log line (it came from the caller). */
const MAX_LOGGED_NAME = 200;

function toolName(request: JSONRPCRequest): string {
  const name = (request.params as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name.slice(0, MAX_LOGGED_NAME) : '';
}
