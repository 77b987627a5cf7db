// Optional OpenTelemetry tracing: with OTEL_EXPORTER_OTLP_ENDPOINT set, a span per MCP request
// (the caller's traceparent as its parent) and one per upstream attempt (its child, whose id
// the upstream receives in traceparent), exported over OTLP/HTTP (JSON) by the OpenTelemetry
// SDK. The SDK is heavy and most deployments do not trace, so it is not a dependency of the
// server: an operator who sets the endpoint installs OTEL_PACKAGES beside it, and the modules
// are imported only then (a missing one stops the start with the command that installs it).

import { nonEmpty } from '../env.js';
import type { TraceContext } from './trace.js';

/** What to install for tracing: versions the runtime is tested with (Node 20 compatible). */
export const OTEL_PACKAGES = ['@opentelemetry/api@1.9.1', '@opentelemetry/sdk-trace@2.12.1', '@opentelemetry/resources@2.12.1', '@opentelemetry/exporter-trace-otlp-http@0.223.1'];

const SPAN_KIND_SERVER = 1;
const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;
const FLUSH_TIMEOUT_MS = 5_000;

/** The parts of the OpenTelemetry API used here (the modules are untyped dynamic imports). */
interface OtelSpan {
  spanContext(): { traceId: string; spanId: string; traceFlags: number };
  setAttribute(key: string, value: string | number): void;
  setStatus(status: { code: number; message?: string }): void;
  end(): void;
}
interface OtelTracer {
  startSpan(name: string, options: { kind: number; attributes?: Record<string, string | number> }, context?: unknown): OtelSpan;
}
interface OtelApi {
  ROOT_CONTEXT: unknown;
  trace: { setSpanContext(context: unknown, spanContext: { traceId: string; spanId: string; traceFlags: number; isRemote: boolean }): unknown; setSpan(context: unknown, span: OtelSpan): unknown };
}

interface Tracing {
  readonly api: OtelApi;
  readonly tracer: OtelTracer;
  readonly flush: () => Promise<void>;
}

let active: Tracing | undefined;

/** Starts the exporter when OTEL_EXPORTER_OTLP_ENDPOINT is set; resolves at once otherwise. */
export async function startTracing(name: string, env: Record<string, string | undefined>): Promise<void> {
  if (active !== undefined || nonEmpty(env['OTEL_EXPORTER_OTLP_ENDPOINT']) === undefined) return;
  const load = (specifier: string): Promise<Record<string, unknown>> =>
    // A variable specifier: the server builds without these packages installed.
    import(specifier).catch(() => {
      throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT is set but ${specifier} is not installed: run npm install --save-exact ${OTEL_PACKAGES.join(' ')}`);
    });
  const [api, sdk, resources, otlp] = await Promise.all(OTEL_PACKAGES.map((spec) => load(spec.slice(0, spec.lastIndexOf('@')))));
  type Ctor = new (...args: unknown[]) => Record<string, (...args: unknown[]) => unknown>;
  const Exporter = otlp!['OTLPTraceExporter'] as Ctor;
  const Batch = sdk!['BatchSpanProcessor'] as Ctor;
  const Provider = sdk!['TracerProvider'] as Ctor;
  const resource = (resources!['resourceFromAttributes'] as (attributes: Record<string, string>) => unknown)({ 'service.name': nonEmpty(env['OTEL_SERVICE_NAME']) ?? name });
  // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and _HEADERS, _TIMEOUT) itself; spans go to <endpoint>/v1/traces.
  const delay = Number(nonEmpty(env['OTEL_BSP_SCHEDULE_DELAY']) ?? 5_000);
  // sdk-trace 2.x takes the exporter among the options (the older sdk-trace-base took it first).
  const processor = new Batch({ exporter: new Exporter(), scheduledDelayMillis: Number.isFinite(delay) && delay > 0 ? delay : 5_000 });
  const provider = new Provider({ resource, spanProcessors: [processor] });
  const tracer = provider['getTracer']!(name) as OtelTracer;
  active = {
    api: api as unknown as OtelApi,
    tracer,
    flush: async () => {
      await Promise.race([provider['shutdown']!() as Promise<void>, new Promise((resolve) => setTimeout(resolve, FLUSH_TIMEOUT_MS).unref())]);
    },
  };
}

/** Sends the spans not yet exported (before the process exits). */
export async function flushTracing(): Promise<void> {
  await active?.flush().catch(() => undefined);
}

export interface RequestSpan {
  /** The request's trace context, now naming the exported span (and propagating upstream). */
  readonly context: TraceContext;
  readonly end: (outcome: string) => void;
}

/** A server span for one MCP request, or undefined when not exporting. */
export function startRequestSpan(trace: TraceContext, method: string, tool: string): RequestSpan | undefined {
  if (active === undefined) return undefined;
  const { api, tracer } = active;
  const parent =
    trace.parentSpanId === undefined
      ? api.ROOT_CONTEXT
      : api.trace.setSpanContext(api.ROOT_CONTEXT, { traceId: trace.traceId, spanId: trace.parentSpanId, traceFlags: parseInt(trace.flags, 16), isRemote: true });
  const attributes: Record<string, string> = { 'rpc.system': 'jsonrpc', 'mcp.method.name': method, ...(tool === '' ? {} : { 'gen_ai.tool.name': tool }) };
  const span = tracer.startSpan(tool === '' ? method : `${method} ${tool}`, { kind: SPAN_KIND_SERVER, attributes }, parent);
  const ids = span.spanContext();
  const flags = ids.traceFlags.toString(16).padStart(2, '0');
  const context: TraceContext = { ...trace, traceId: ids.traceId, spanId: ids.spanId, flags, propagate: true, otel: api.trace.setSpan(parent, span) };
  return {
    context,
    // No error messages on spans: they leave the process without passing the redactor.
    end: (outcome) => {
      span.setAttribute('mcp.outcome', outcome);
      if (outcome !== 'ok') span.setStatus({ code: STATUS_ERROR });
      span.end();
    },
  };
}

export interface UpstreamSpan {
  readonly spanId: string;
  readonly end: (status: number | 'error') => void;
}

/** A client span for one upstream attempt, child of the request's span; undefined when not exporting. */
export function startUpstreamSpan(trace: TraceContext | undefined, method: string, url: string): UpstreamSpan | undefined {
  if (active === undefined || trace?.otel === undefined) return undefined;
  const span = active.tracer.startSpan(method, { kind: SPAN_KIND_CLIENT, attributes: { 'http.request.method': method, 'url.full': url } }, trace.otel);
  return {
    spanId: span.spanContext().spanId,
    end: (status) => {
      if (status === 'error' || status >= 500) span.setStatus({ code: STATUS_ERROR });
      if (status !== 'error') span.setAttribute('http.response.status_code', status);
      span.end();
    },
  };
}
