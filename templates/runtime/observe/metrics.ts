// Prometheus metrics for the HTTP server's /metrics, with prom-client (the maintained Node
// client): MCP requests by method, tool and outcome, upstream latency and statuses, retries,
// circuit state, requests in flight, and Node's process metrics. Labels take only bounded
// values (tool names from the table, origins from the spec, status codes), never request text.

import type { ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { nonEmpty } from '../env.js';

/** Seconds; from a cached answer to a slow upstream's timeout. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** What the circuit gauge reports for each state. */
export const CIRCUIT_STATE = { closed: 0, half_open: 1, open: 2 } as const;

export type Outcome = 'ok' | 'tool_error' | 'error';

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'tool' | 'outcome'>;
  private readonly requestSeconds: Histogram<'method' | 'tool' | 'outcome'>;
  private readonly inFlight: Gauge;
  private readonly upstreamSeconds: Histogram<'origin' | 'method'>;
  private readonly upstreamResponses: Counter<'origin' | 'method' | 'status'>;
  private readonly retries: Counter<'origin'>;
  private readonly circuit: Gauge<'origin'>;
  private readonly rateLimited: Counter;
  private readonly tokenRequests: Counter<'scheme' | 'outcome'>;

  constructor() {
    const registers = [this.registry];
    this.requests = new Counter({ name: 'mcp_requests_total', help: 'MCP requests handled, by method, tool (tools/call) and outcome', labelNames: ['method', 'tool', 'outcome'], registers });
    this.requestSeconds = new Histogram({ name: 'mcp_request_duration_seconds', help: 'Time to answer an MCP request', labelNames: ['method', 'tool', 'outcome'], buckets: LATENCY_BUCKETS, registers });
    this.inFlight = new Gauge({ name: 'mcp_requests_in_flight', help: 'MCP requests being handled', registers });
    this.upstreamSeconds = new Histogram({ name: 'mcp_upstream_request_duration_seconds', help: 'Time to the response headers of one upstream attempt', labelNames: ['origin', 'method'], buckets: LATENCY_BUCKETS, registers });
    this.upstreamResponses = new Counter({ name: 'mcp_upstream_responses_total', help: 'Upstream attempts by status code ("error" when no response came)', labelNames: ['origin', 'method', 'status'], registers });
    this.retries = new Counter({ name: 'mcp_upstream_retries_total', help: 'Upstream requests retried', labelNames: ['origin'], registers });
    this.circuit = new Gauge({ name: 'mcp_upstream_circuit_state', help: 'Circuit breaker state per upstream origin: 0 closed, 1 half-open, 2 open', labelNames: ['origin'], registers });
    this.rateLimited = new Counter({ name: 'mcp_rate_limited_total', help: 'HTTP requests refused with 429 by the inbound rate limit', registers });
    this.tokenRequests = new Counter({ name: 'mcp_upstream_token_requests_total', help: 'OAuth client credentials token requests, by security scheme and outcome (ok, error)', labelNames: ['scheme', 'outcome'], registers });
    collectDefaultMetrics({ register: this.registry });
  }

  requestStarted(): void {
    this.inFlight.inc();
  }

  requestEnded(method: string, tool: string, outcome: Outcome, seconds: number): void {
    this.inFlight.dec();
    this.requests.inc({ method, tool, outcome });
    this.requestSeconds.observe({ method, tool, outcome }, seconds);
  }

  upstreamAttempt(origin: string, method: string, status: number | 'error', seconds: number): void {
    this.upstreamSeconds.observe({ origin, method }, seconds);
    this.upstreamResponses.inc({ origin, method, status: String(status) });
  }

  retried(origin: string): void {
    this.retries.inc({ origin });
  }

  circuitState(origin: string, state: keyof typeof CIRCUIT_STATE): void {
    this.circuit.set({ origin }, CIRCUIT_STATE[state]);
  }

  refused(): void {
    this.rateLimited.inc();
  }

  tokenRequested(scheme: string, outcome: 'ok' | 'error'): void {
    this.tokenRequests.inc({ scheme, outcome });
  }
}

/** MCPGEN_METRICS: on (the default) or off; anything else stops the start. */
export function readMetricsEnabled(env: Record<string, string | undefined>): boolean {
  const value = nonEmpty(env['MCPGEN_METRICS'])?.toLowerCase();
  if (value === undefined || value === 'on') return true;
  if (value === 'off') return false;
  throw new Error(`MCPGEN_METRICS must be on or off, got ${JSON.stringify(env['MCPGEN_METRICS'])}`);
}

/** GET /metrics: the Prometheus text exposition format. */
export async function serveMetrics(res: ServerResponse, metrics: Metrics): Promise<void> {
  const text = await metrics.registry.metrics();
  res.writeHead(200, { 'content-type': metrics.registry.contentType });
  res.end(text);
}

let current: Metrics | undefined;

/** Turns collection on for this process (the HTTP server does, unless MCPGEN_METRICS=off). */
export function enableMetrics(): Metrics {
  current ??= new Metrics();
  return current;
}

/** The process's metrics, or undefined when nothing serves them (stdio, or turned off): nothing is recorded. */
export function metrics(): Metrics | undefined {
  return current;
}
