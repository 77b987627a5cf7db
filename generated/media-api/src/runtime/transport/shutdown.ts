// Graceful shutdown of the HTTP server. On SIGTERM (what Kubernetes, Docker and systemd send)
// /readyz answers 503 at once while the listener keeps serving for MCPGEN_SHUTDOWN_DELAY_MS:
// a load balancer needs a few probes to take the replica out, and requests it still sends
// meanwhile are served rather than refused. Then the listener stops accepting, requests in
// flight get DRAIN_TIMEOUT_MS to finish, and the process exits 0. SIGINT (Ctrl-C, a developer
// at a terminal) skips the delay, as does a second signal.

import type { Server as HttpServer } from 'node:http';
import { integerFromEnv } from '../env.js';
import { logger } from '../observe/logger.js';
import type { Readiness } from './readiness.js';
import { flushTracing } from '../observe/tracing.js';

/** How long the listener keeps serving after SIGTERM while /readyz answers 503. */
export const DEFAULT_SHUTDOWN_DELAY_MS = 5_000;
/** How long requests in flight get to finish once the listener has stopped accepting. */
export const DRAIN_TIMEOUT_MS = 5_000;
const MAX_SHUTDOWN_DELAY_MS = 600_000;
/** While draining, how often connections whose last request has finished are closed. */
const IDLE_SWEEP_MS = 100;

/** MCPGEN_SHUTDOWN_DELAY_MS, checked: a bad value stops the start. */
export function readShutdownDelay(env: Record<string, string | undefined>): number {
  return integerFromEnv(env, 'MCPGEN_SHUTDOWN_DELAY_MS', DEFAULT_SHUTDOWN_DELAY_MS, { min: 0, max: MAX_SHUTDOWN_DELAY_MS, unit: 'ms' });
}

/** Installs the SIGTERM and SIGINT handlers for `server`. */
export function shutDownGracefully(server: HttpServer, readiness: Readiness | undefined, delayMs: number): void {
  let delay: NodeJS.Timeout | undefined;
  let closing = false;
  const exit = (): void => void flushTracing().finally(() => process.exit(0));
  const close = (): void => {
    if (closing) return;
    closing = true;
    clearTimeout(delay);
    logger().info({ event: 'shutdown', phase: 'draining', drainTimeoutMs: DRAIN_TIMEOUT_MS }, 'no longer accepting connections');
    server.close(exit);
    server.closeIdleConnections();
    // A keep-alive connection whose request finishes goes idle: closed then, so the process
    // exits as soon as the last answer is out rather than at the drain timeout.
    setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS).unref();
    // Requests still running then are cut.
    setTimeout(() => {
      logger().warn({ event: 'shutdown', phase: 'cut', drainTimeoutMs: DRAIN_TIMEOUT_MS }, 'requests still in flight after the drain timeout: closing their connections');
      server.closeAllConnections();
      exit();
    }, DRAIN_TIMEOUT_MS).unref();
  };
  const onSignal = (waitMs: number) => (signal: NodeJS.Signals): void => {
    readiness?.drain();
    if (waitMs === 0 || delay !== undefined) return close();
    logger().info({ event: 'shutdown', phase: 'not_ready', signal, delayMs: waitMs }, 'shutting down: /readyz answers 503, still serving');
    delay = setTimeout(close, waitMs);
  };
  process.on('SIGTERM', onSignal(delayMs));
  process.on('SIGINT', onSignal(0));
}
