// Streamable HTTP serving on node:http. Both protocol eras are served statelessly
// from one factory. Host and Origin are checked because a local MCP server is
// otherwise reachable from any web page through DNS rebinding.

import { createServer, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostHeaderValidation, originValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, type Server } from '@modelcontextprotocol/server';

export interface HttpOptions {
  /** Source of HOST, PORT, MCP_ALLOWED_HOSTS, MCP_ALLOWED_ORIGINS; defaults to process.env. */
  readonly env?: Record<string, string | undefined>;
  /** Used in the start-up log line. */
  readonly name?: string;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 3000;

/** Starts listening; resolves once bound. Closing the returned server also closes the MCP handler. */
export async function startHttpServer(factory: () => Server, options: HttpOptions = {}): Promise<HttpServer> {
  const env = options.env ?? process.env;
  const host = nonEmpty(env['HOST']) ?? DEFAULT_HOST;
  const port = parsePort(env['PORT']);
  const defaults = ['localhost', '127.0.0.1', '[::1]', hostname(host)];
  const validHost = hostHeaderValidation(list(env['MCP_ALLOWED_HOSTS']) ?? defaults);
  const validOrigin = originValidation(list(env['MCP_ALLOWED_ORIGINS']) ?? defaults);

  const handler = createMcpHandler(factory, {
    legacy: 'stateless',
    onerror: (error) => process.stderr.write(`MCP error: ${error.message}\n`),
  });
  const mcp = toNodeHandler(handler, {
    onerror: (error) => process.stderr.write(`MCP adapter error: ${error.message}\n`),
  });

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === '/mcp') {
      if (!validHost(req, res) || !validOrigin(req, res)) return;
      mcp(req, res).catch((error: unknown) => fail(res, error));
      return;
    }
    if (path === '/healthz') {
      if (req.method === 'GET' || req.method === 'HEAD') return json(res, 200, { status: 'ok' });
      return json(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
    }
    json(res, 404, { error: 'not found', hint: 'the MCP endpoint is /mcp' });
  });
  server.on('close', () => {
    handler.close().catch(() => undefined);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // listen() wants a bare IPv6 literal; HOST may be written either way.
    server.listen(port, host.replace(/^\[(.*)\]$/, '$1'), () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  process.stderr.write(
    `${options.name ?? 'mcpgen'} MCP server listening on http://${hostname(host)}:${address.port}/mcp\n`,
  );
  return server;
}

/** Starts the server and closes it gracefully on SIGINT/SIGTERM. */
export async function runHttp(factory: () => Server, options: HttpOptions = {}): Promise<HttpServer> {
  const server = await startHttpServer(factory, options);
  const shutdown = (): void => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    // In-flight requests get a grace period, then go.
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(0);
    }, 5_000).unref();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return server;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function fail(res: ServerResponse, error: unknown): void {
  process.stderr.write(`MCP request failed: ${error instanceof Error ? error.message : String(error)}\n`);
  if (!res.headersSent) json(res, 500, { error: 'internal error' });
  else res.destroy();
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function list(value: string | undefined): string[] | undefined {
  const items = nonEmpty(value)
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items === undefined || items.length === 0 ? undefined : items;
}

/** Host as it appears in a URL or Host header: IPv6 literals in brackets. */
function hostname(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function parsePort(raw: string | undefined): number {
  const text = nonEmpty(raw);
  if (text === undefined) return DEFAULT_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be an integer between 0 and 65535, got "${raw ?? ''}"`);
  }
  return port;
}
