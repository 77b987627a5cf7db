// /readyz: whether this replica should get traffic. Liveness (/healthz) only says the process
// answers. Ready means: listening with its tables loaded (the factory is built before the
// server listens), not shutting down, and, with inbound auth on, the authorization server's
// introspection endpoint answers, since without it every request would fail with 503.
// Any HTTP status from it counts as reachable (it refuses a request without credentials);
// only a connection failure or a timeout does not. The verdict is reused for a few seconds
// so a probe every second costs the authorization server little.

export const READINESS_CACHE_MS = 5_000;
const PROBE_TIMEOUT_MS = 2_000;

export interface ReadinessVerdict {
  readonly ready: boolean;
  readonly reason?: string;
}

export class Readiness {
  private started = false;
  private draining = false;
  private cached: { verdict: ReadinessVerdict; at: number } | undefined;
  private pending: Promise<ReadinessVerdict> | undefined;

  constructor(
    private readonly dependency: URL | undefined,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly now: () => number = Date.now,
  ) {}

  /** Once listening with everything set up (inbound auth included). */
  start(): void {
    this.started = true;
  }

  /** From SIGTERM on the replica is not ready: load balancers stop sending it requests while in-flight ones finish. */
  drain(): void {
    this.draining = true;
  }

  async check(): Promise<ReadinessVerdict> {
    if (!this.started) return { ready: false, reason: 'starting' };
    if (this.draining) return { ready: false, reason: 'shutting down' };
    if (this.dependency === undefined) return { ready: true };
    if (this.cached !== undefined && this.now() - this.cached.at < READINESS_CACHE_MS) return this.cached.verdict;
    this.pending ??= this.probe(this.dependency).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async probe(url: URL): Promise<ReadinessVerdict> {
    let verdict: ReadinessVerdict;
    try {
      const response = await this.fetchImpl(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      await response.body?.cancel().catch(() => undefined);
      verdict = { ready: true };
    } catch {
      verdict = { ready: false, reason: `the authorization server (${url.origin}) does not answer` };
    }
    this.cached = { verdict, at: this.now() };
    return verdict;
  }
}
