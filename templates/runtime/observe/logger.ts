// Structured logs: one JSON line per MCP request and per upstream attempt, plus retries and
// circuit changes, written by pino (a maintained logger) to stderr. Never stdout: on stdio
// that is the protocol stream. Lines go through process.stderr.write, which guardStderr
// (secrets.ts) wraps, so every configured credential is redacted from them as from any
// other stderr text.

import { pino, type Level, type Logger } from 'pino';
import { nonEmpty } from '../env.js';

export type { Logger };

export type Transport = 'http' | 'stdio';

/**
 * LOG_LEVEL when unset. An HTTP server logs every request (info): operators read its logs.
 * A stdio server's stderr goes to the client application's own log file, for one user: it
 * stays quiet (warn: retries, open circuits, failures) unless LOG_LEVEL asks for more.
 */
export const DEFAULT_LOG_LEVEL: Readonly<Record<Transport, Level>> = { http: 'info', stdio: 'warn' };

const LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** LOG_LEVEL, checked: a typo stops the start rather than silently logging everything or nothing. */
export function readLogLevel(env: Record<string, string | undefined>, transport: Transport): Level | 'silent' {
  const raw = nonEmpty(env['LOG_LEVEL'])?.toLowerCase();
  if (raw === undefined) return DEFAULT_LOG_LEVEL[transport];
  if (!LEVELS.includes(raw)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(env['LOG_LEVEL'])}`);
  return raw as Level | 'silent';
}

export function createLogger(name: string, level: Level | 'silent'): Logger {
  return pino(
    {
      level,
      base: { server: name },
      // Time as an ISO string and the level as its name: what log pipelines parse without setup.
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    // process.stderr.write, not a file descriptor: redaction (guardStderr) applies to it.
    process.stderr,
  );
}

let current: Logger | undefined;

/** Sets the process's logger (the transport entry points call this before serving). */
export function useLogger(logger: Logger): Logger {
  current = logger;
  return logger;
}

/** The process's logger; until an entry point sets one, a stdio-quiet one (tests, embedding). */
export function logger(): Logger {
  current ??= createLogger('mcpgen', DEFAULT_LOG_LEVEL.stdio);
  return current;
}
