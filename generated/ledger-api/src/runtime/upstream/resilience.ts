// Retries, a circuit breaker per upstream origin and a cap on concurrent upstream requests,
// built on cockatiel (a maintained resilience library) rather than hand-rolled.
//
// Defaults are what a production user wants: an idempotent request (GET, HEAD, OPTIONS, PUT,
// DELETE) that fails to connect or answers 429/502/503/504 is retried up to twice with
// exponential backoff and jitter, honouring Retry-After up to a cap; POST and PATCH are
// retried only when the operation is declared idempotent (`x-idempotent: true` in the spec,
// or `idempotentHint: true` in the mapping), since repeating them may act twice. The breaker and the concurrency cap change what callers see (fast failures,
// queueing), so they are off until configured.

import { AsyncLocalStorage } from 'node:async_hooks';
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  bulkhead,
  circuitBreaker,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  handleWhenResult,
  noop,
  retry,
  wrap,
  type IBackoff,
  type IBackoffFactory,
  type IPolicy,
  type IRetryBackoffContext,
} from 'cockatiel';
import { integerFromEnv, MAX_TIMER_MS } from '../env.js';

export interface ResilienceSettings {
  /** Extra attempts for an idempotent request (0 turns retries off). */
  readonly retries: number;
  /** Longest Retry-After honoured; a longer one is returned to the caller instead of waited out. */
  readonly retryAfterMaxMs: number;
  /** Consecutive failures that open an origin's circuit (0: no breaker). */
  readonly breakerFailures: number;
  /** How long an open circuit fails fast before one request may try again. */
  readonly breakerOpenMs: number;
  /** Concurrent upstream requests per process (0: no cap). */
  readonly maxConcurrent: number;
}

export const DEFAULT_RESILIENCE: ResilienceSettings = { retries: 2, retryAfterMaxMs: 10_000, breakerFailures: 0, breakerOpenMs: 30_000, maxConcurrent: 0 };

/** The settings from MCPGEN_* variables (documented in the generated README); out of range stops the start. */
export function readResilience(env: Record<string, string | undefined>): ResilienceSettings {
  const d = DEFAULT_RESILIENCE;
  return {
    retries: integerFromEnv(env, 'MCPGEN_RETRIES', d.retries, { min: 0, max: 10, unit: 'extra attempts' }),
    retryAfterMaxMs: integerFromEnv(env, 'MCPGEN_RETRY_AFTER_MAX_MS', d.retryAfterMaxMs, { min: 0, max: MAX_TIMER_MS, unit: 'milliseconds' }),
    breakerFailures: integerFromEnv(env, 'MCPGEN_CIRCUIT_BREAKER_FAILURES', d.breakerFailures, { min: 0, max: 1_000, unit: 'consecutive failures' }),
    breakerOpenMs: integerFromEnv(env, 'MCPGEN_CIRCUIT_BREAKER_OPEN_MS', d.breakerOpenMs, { min: 1, max: MAX_TIMER_MS, unit: 'milliseconds' }),
    maxConcurrent: integerFromEnv(env, 'MCPGEN_MAX_CONCURRENT_REQUESTS', d.maxConcurrent, { min: 0, max: 100_000, unit: 'requests' }),
  };
}

/**
 * One line per retry and per circuit change, for the server's log; `traceId` is the trace of
 * the MCP request whose upstream call retried or changed the circuit.
 */
export type ResilienceEvent =
  | { readonly event: 'upstream_retry'; readonly origin: string; readonly attempt: number; readonly cause: string; readonly delayMs: number; readonly traceId?: string }
  | { readonly event: 'circuit_open' | 'circuit_half_open' | 'circuit_closed'; readonly origin: string; readonly traceId?: string };

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const INITIAL_DELAY_MS = 200;
const MAX_DELAY_MS = 5_000;

/** Thrown when a circuit is open or the concurrency cap's queue is full; the message is for the model. */
export class FastFailure extends Error {
  override readonly name = 'FastFailure';
}

export class Resilience {
  private readonly breakers = new Map<string, IPolicy>();
  private readonly cap: IPolicy;
  /** The trace id of the call being run: a circuit is shared, its events come from whichever call tripped it. */
  private readonly callTrace = new AsyncLocalStorage<string>();

  constructor(
    private readonly settings: ResilienceSettings,
    private readonly log: (event: ResilienceEvent) => void = () => undefined,
  ) {
    this.cap = settings.maxConcurrent > 0 ? bulkhead(settings.maxConcurrent, settings.maxConcurrent * 64) : noop;
  }

  /**
   * Runs `attempt` (one upstream exchange, redirects included) under the policies for
   * `method` at `origin`. Resolves with the last response (a retried-out 503 is still the
   * caller's to see); rejects with the last error, or with FastFailure. `declaredIdempotent`:
   * the operation says a POST or PATCH may be repeated (OperationDef.idempotent); `traceId`
   * goes into the retry and circuit log lines this call causes.
   */
  execute(method: string, origin: string, attempt: (signal: AbortSignal) => Promise<Response>, signal: AbortSignal, declaredIdempotent = false, traceId?: string): Promise<Response> {
    const run = (): Promise<Response> => this.policies(method, origin, attempt, signal, declaredIdempotent);
    return traceId === undefined ? run() : this.callTrace.run(traceId, run);
  }

  private async policies(method: string, origin: string, attempt: (signal: AbortSignal) => Promise<Response>, signal: AbortSignal, declaredIdempotent: boolean): Promise<Response> {
    const once = wrap(this.breaker(origin), this.cap);
    const run = (ctx: { signal: AbortSignal }): Promise<Response> => once.execute(() => attempt(ctx.signal), ctx.signal);
    try {
      if (!(declaredIdempotent || IDEMPOTENT.has(method.toUpperCase())) || this.settings.retries === 0) return await run({ signal });
      return await this.retryPolicy(origin).execute(run, signal);
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new FastFailure(`the upstream ${origin} failed ${this.settings.breakerFailures} times in a row; calls fail fast for up to ${Math.round(this.settings.breakerOpenMs / 1000)} s before it is tried again`);
      }
      if (error instanceof BulkheadRejectedError) throw new FastFailure(`too many requests to ${origin} are waiting already; try again shortly`);
      throw error;
    }
  }

  private retryPolicy(origin: string) {
    const cap = this.settings.retryAfterMaxMs;
    // fetch rejects with a TypeError when the connection fails (refused, reset, DNS); aborts,
    // timeouts, refused redirects and open circuits are other errors and are not retried.
    const retryable = handleWhen(isConnectionError).orWhenResult(
      (result) => result instanceof Response && RETRY_STATUSES.has(result.status) && (retryAfterMs(result) ?? 0) <= cap,
    );
    const policy = retry(retryable, { maxAttempts: this.settings.retries, backoff: new RetryAfterBackoff(new ExponentialBackoff({ initialDelay: INITIAL_DELAY_MS, maxDelay: MAX_DELAY_MS })) });
    policy.onRetry((reason) => {
      const cause = 'error' in reason ? reason.error.message : `HTTP ${(reason.value as Response).status}`;
      // The response that is retried is never read: drop its body so its connection is freed.
      if ('value' in reason && reason.value instanceof Response) reason.value.body?.cancel().catch(() => undefined);
      this.emit({ event: 'upstream_retry', origin, attempt: reason.attempt, cause, delayMs: Math.round(reason.delay) });
    });
    return policy;
  }

  private emit(event: ResilienceEvent): void {
    const traceId = this.callTrace.getStore();
    this.log(traceId === undefined ? event : { ...event, traceId });
  }

  private breaker(origin: string): IPolicy {
    if (this.settings.breakerFailures <= 0) return noop;
    let policy = this.breakers.get(origin);
    if (policy === undefined) {
      const failing = handleWhen(isConnectionError).orWhenResult((result) => result instanceof Response && result.status >= 500);
      const breaker = circuitBreaker(failing, { halfOpenAfter: this.settings.breakerOpenMs, breaker: new ConsecutiveBreaker(this.settings.breakerFailures) });
      breaker.onBreak(() => this.emit({ event: 'circuit_open', origin }));
      breaker.onHalfOpen(() => this.emit({ event: 'circuit_half_open', origin }));
      breaker.onReset(() => this.emit({ event: 'circuit_closed', origin }));
      policy = breaker;
      this.breakers.set(origin, policy);
    }
    return policy;
  }
}

function isConnectionError(error: Error): boolean {
  return error instanceof TypeError;
}

/** Exponential backoff with jitter, except that a response's Retry-After says how long to wait. */
class RetryAfterBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  constructor(private readonly fallback: IBackoffFactory<unknown>) {}

  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const step = this.fallback.next(context);
    const result = context.result;
    const asked = 'value' in result && result.value instanceof Response ? retryAfterMs(result.value) : undefined;
    return { duration: asked ?? step.duration, next: (ctx) => new RetryAfterBackoff(step).next(ctx) };
  }
}

/** Retry-After in milliseconds (delay-seconds or an HTTP date), undefined when absent or unreadable. */
export function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get('retry-after')?.trim();
  if (header === undefined || header === '') return undefined;
  if (/^\d+$/.test(header)) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
