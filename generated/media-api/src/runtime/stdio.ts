// stdio serving. stdout carries the protocol and nothing else: one stray line of
// logging there corrupts the client's message stream.

import type { Server } from '@modelcontextprotocol/server';
import { serveStdio, type StdioServerHandle } from '@modelcontextprotocol/server/stdio';
import { format } from 'node:util';

export interface StdioOptions {
  /** Used in the start-up log line. */
  readonly name?: string;
}

export function runStdio(factory: () => Server, options: StdioOptions = {}): StdioServerHandle {
  // Any console.log (ours or a dependency's) would land on stdout; route it to stderr.
  const toStderr = (...args: unknown[]): void => {
    process.stderr.write(`${format(...args)}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;

  const handle = serveStdio(factory, {
    onerror: (error) => process.stderr.write(`MCP stdio error: ${error.message}\n`),
  });
  process.stderr.write(`${options.name ?? 'mcpgen'} MCP server running on stdio\n`);
  return handle;
}
