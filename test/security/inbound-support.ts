// Helpers for the inbound security tests: a generated server run until it exits, and a
// real RFC 7662 introspection endpoint on 127.0.0.1 that counts the calls it gets.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { childEnv, makeClient, type Era } from '../support/mcp.js';

export interface Exit {
  readonly code: number | null;
  readonly stderr: string;
}

/** Runs `node dist/http.js` with `env` (PORT 0 unless given) and waits (at most `limitMs`) for it to exit on its own. */
export function runUntilExit(serverDir: string, env: Record<string, string>, limitMs = 20_000): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(serverDir, 'dist', 'http.js')], { cwd: serverDir, env: childEnv({ PORT: '0', ...env }), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-16_384);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server was still running after ${limitMs} ms; stderr:\n${stderr}`));
    }, limitMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

export interface IntrospectionEndpoint {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Tokens introspected, in order of arrival. */
  readonly calls: string[];
  count(token: string): number;
  close(): Promise<void>;
}

/**
 * Answers each token with `answer(token)` (a JSON body, or a status code for a failure),
 * after `delayMs(token)` so concurrent requests can overlap.
 */
export async function startIntrospection(
  answer: (token: string) => Record<string, unknown> | number,
  delayMs: (token: string) => number = () => 0,
): Promise<IntrospectionEndpoint> {
  const calls: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const token = new URLSearchParams(body).get('token') ?? '';
      calls.push(token);
      setTimeout(() => {
        const reply = answer(token);
        if (typeof reply === 'number') res.writeHead(reply).end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
      }, delayMs(token));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    count: (token) => calls.filter((call) => call === token).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The audience of the tokens the scope tests introspect (MCP_RESOURCE_URL of their servers). */
export const SCOPED_RESOURCE = 'https://mcp.example.test/mcp';

/** An introspection endpoint that knows `tokens` (token → its space-separated scopes) for SCOPED_RESOURCE. */
export function introspectScopes(tokens: Record<string, string>): Promise<IntrospectionEndpoint> {
  return startIntrospection((token) => {
    const scope = Object.hasOwn(tokens, token) ? tokens[token] : undefined;
    return scope === undefined ? { active: false } : { active: true, client_id: token, scope, aud: SCOPED_RESOURCE, exp: Math.floor(Date.now() / 1000) + 3600 };
  });
}

/** The environment that turns inbound auth on against `introspection`, for SCOPED_RESOURCE. */
export function inboundAuthEnv(introspection: IntrospectionEndpoint): Record<string, string> {
  return { MCP_AUTH_ISSUER: introspection.url, MCP_AUTH_INTROSPECTION_URL: `${introspection.url}/introspect`, MCP_RESOURCE_URL: SCOPED_RESOURCE };
}

/** An SDK client of `era` connected to `mcpUrl` with `token`; kept in `clients` to be closed. */
export async function connectWithToken(mcpUrl: string, token: string, era: Era, clients: Client[]): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  const client = makeClient(era);
  await client.connect(transport);
  clients.push(client);
  return client;
}

/** Runs `task` for 0..n-1 with at most `concurrency` at a time. */
export async function inParallel<T>(n: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return results;
}
