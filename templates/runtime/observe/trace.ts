// W3C Trace Context (https://www.w3.org/TR/trace-context/): every MCP request has a trace id,
// taken from the caller's `traceparent` header when it sent one, else made here, and it is in
// every log line the request causes. The header is sent upstream only when the caller sent
// one: a caller that traces gets the API's spans joined to its own, and an API is never sent
// a header its caller did not ask for.

import { randomBytes } from 'node:crypto';

export interface TraceContext {
  readonly traceId: string;
  /** The span of this MCP request (the parent of each upstream call's span). */
  readonly spanId: string;
  readonly flags: string;
  /** The caller's span (from its traceparent), when it sent one. */
  readonly parentSpanId?: string;
  /** True when the caller sent a traceparent (or spans are exported): upstream requests carry one too. */
  readonly propagate: boolean;
  /** The OpenTelemetry context holding this request's span, when exporting (tracing.ts). */
  readonly otel?: unknown;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);

/** A context continuing the caller's trace, or a new trace when the header is absent or malformed. */
export function traceFromHeader(header: string | undefined): TraceContext {
  const match = header === undefined ? null : TRACEPARENT.exec(header.trim().toLowerCase());
  if (match === null || match[1] === INVALID_TRACE_ID || match[2] === INVALID_SPAN_ID) return newTrace();
  return { traceId: match[1]!, spanId: spanId(), flags: match[3]!, parentSpanId: match[2]!, propagate: true };
}

export function newTrace(): TraceContext {
  return { traceId: randomBytes(16).toString('hex'), spanId: spanId(), flags: '01', propagate: false };
}

export function spanId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * The trace of an HTTP request's MCP requests (a stateless server is made per HTTP request:
 * server.ts), or undefined over stdio, where each MCP request starts a new one (observe.ts).
 * Passed along explicitly: AsyncLocalStorage would install promise hooks, a cost on every
 * request on Node 20.
 */
export function traceOfRequest(request: Request | undefined): TraceContext | undefined {
  return request === undefined ? undefined : traceFromHeader(request.headers.get('traceparent') ?? undefined);
}

/** The traceparent for an upstream call whose span is `childSpanId`, or undefined when not propagating. */
export function upstreamTraceparent(context: TraceContext | undefined, childSpanId: string): string | undefined {
  return context?.propagate === true ? `00-${context.traceId}-${childSpanId}-${context.flags}` : undefined;
}
