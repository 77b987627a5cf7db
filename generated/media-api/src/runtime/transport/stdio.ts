// stdio serving. stdout carries the protocol and nothing else: one stray line of
// logging there corrupts the client's message stream.

import { STDIO_DEFAULT_MAX_BUFFER_SIZE, type Server } from '@modelcontextprotocol/server';
import { serveStdio, type StdioServerHandle } from '@modelcontextprotocol/server/stdio';
import { format } from 'node:util';
import { nonEmpty } from '../env.js';
import { rejectionLog } from '../observe/log-limit.js';
import { createLogger, readLogLevel, useLogger } from '../observe/logger.js';
import { flushTracing, startTracing } from '../observe/tracing.js';
import { BoundedStdioTransport } from './stdio-transport.js';

export interface StdioOptions {
  /** Used in the start-up log line. */
  readonly name?: string;
  /** Source of MCPGEN_STDIO_MAX_MESSAGE_BYTES and LOG_LEVEL; defaults to process.env. */
  readonly env?: Record<string, string | undefined>;
}

/** The SDK's own stdio limit (10 MiB): what MCP clients are built to expect. */
export const DEFAULT_STDIO_MAX_MESSAGE_BYTES = STDIO_DEFAULT_MAX_BUFFER_SIZE;
/** Below this not even an initialize request with a long client name fits. */
const MIN_STDIO_MAX_MESSAGE_BYTES = 1_024;
/** V8 cannot hold a string much longer than 512 MiB; a quarter of that is already absurd for one message. */
const MAX_STDIO_MAX_MESSAGE_BYTES = 128 * 1024 * 1024;
/** After stdin ends, how long calls still running may take to answer (the default upstream timeout). */
const DRAIN_MS = 30_000;
/** The exit code of a stop on a failure (a supervisor restarts or alerts on it). */
import { EXIT_FAILURE } from '../start.js';
/** After SIGTERM/SIGINT, how long closing may take before the process goes anyway. */
const SHUTDOWN_MS = 5_000;

/**
 * Serves MCP on stdin/stdout until stdin ends (exit 0) or SIGTERM/SIGINT (exit 0); a broken
 * stdout or stdin exits 1. A bad MCPGEN_STDIO_MAX_MESSAGE_BYTES stops the start with exit 1.
 */
export function runStdio(factory: () => Server, options: StdioOptions = {}): StdioServerHandle {
  const name = options.name ?? 'mcpgen';
  let maxMessageBytes: number;
  try {
    maxMessageBytes = readMaxMessageBytes(options.env ?? process.env);
    // Quiet by default (warn); LOG_LEVEL=info logs each request (see logger.ts).
    useLogger(createLogger(name, readLogLevel(options.env ?? process.env, 'stdio')));
  } catch (error) {
    process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EXIT_FAILURE);
  }

  // Any console.log (ours or a dependency's) would land on stdout; route it to stderr.
  const toStderr = (...args: unknown[]): void => {
    process.stderr.write(`${format(...args)}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;

  const notes = rejectionLog();
  const note = (text: string): void => notes(text);
  const transport = new BoundedStdioTransport(process.stdin, process.stdout, {
    maxMessageBytes,
    note,
    drainMs: DRAIN_MS,
    onClosed: (failure) => {
      notes.flush();
      if (failure === undefined) return exitAfterStdout(0);
      process.stderr.write(`${name}: stopping, the stdio connection broke: ${failure.message}\n`);
      process.exit(EXIT_FAILURE);
    },
  });
  const handle = serveStdio(factory, { transport, onerror: (error) => note(`MCP stdio: ${error.message}`) });
  // Spans exported over OTLP only with OTEL_EXPORTER_OTLP_ENDPOINT; requests before the SDK has loaded are not traced.
  startTracing(name, options.env ?? process.env).catch((error: unknown) => {
    process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EXIT_FAILURE);
  });

  const shutdown = (): void => {
    setTimeout(() => process.exit(0), SHUTDOWN_MS).unref();
    void handle.close().finally(() => {
      notes.flush();
      exitAfterStdout(0);
    });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  process.stderr.write(`${name} MCP server running on stdio (messages up to ${maxMessageBytes} bytes)\n`);
  return handle;
}

/** MCPGEN_STDIO_MAX_MESSAGE_BYTES, range-checked: a typo must not silently lift or drop the limit. */
export function readMaxMessageBytes(env: Record<string, string | undefined>): number {
  const raw = nonEmpty(env['MCPGEN_STDIO_MAX_MESSAGE_BYTES']);
  if (raw === undefined) return DEFAULT_STDIO_MAX_MESSAGE_BYTES;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < MIN_STDIO_MAX_MESSAGE_BYTES || value > MAX_STDIO_MAX_MESSAGE_BYTES) {
    throw new Error(
      `MCPGEN_STDIO_MAX_MESSAGE_BYTES must be a whole number of bytes between ${MIN_STDIO_MAX_MESSAGE_BYTES} and ${MAX_STDIO_MAX_MESSAGE_BYTES}, got "${raw}"`,
    );
  }
  return value;
}

/** Exits once what was written to stdout has been handed to the pipe (answers are not cut off), or after SHUTDOWN_MS when the client stopped reading. */
function exitAfterStdout(code: number): void {
  setTimeout(() => process.exit(code), SHUTDOWN_MS).unref();
  process.stdout.write('', () => void flushTracing().finally(() => process.exit(code)));
}
