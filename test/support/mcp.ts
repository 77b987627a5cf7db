// Start generated MCP servers as real child processes and connect the real SDK client
// to them, in both protocol eras (legacy `initialize`, modern `server/discover`).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport, type ClientOptions } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';

export type Era = 'legacy' | 'modern';
export const ERAS: readonly Era[] = ['legacy', 'modern'];
/** Protocol revision the modern era pins. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `generated/<name>` in the repository. */
export function generatedDir(name: string): string {
  return join(REPO_ROOT, 'generated', name);
}

/**
 * Throws (never skips) when the generated server has not been built.
 * Call it from a `beforeAll` so the whole suite fails with a clear message.
 */
export function assertBuilt(serverDir: string): void {
  for (const entry of ['stdio.js', 'http.js']) {
    const file = join(serverDir, 'dist', entry);
    if (!existsSync(file)) {
      throw new Error(`${file} does not exist: run \`node bin/mcpgen.js generate && node bin/mcpgen.js build\` first`);
    }
  }
}

// ---------------------------------------------------------------------------
// Process bookkeeping: everything spawned here is killed in teardown.
// ---------------------------------------------------------------------------

const livePids = new Set<number>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function killPid(pid: number): Promise<void> {
  if (!isAlive(pid)) {
    livePids.delete(pid);
    return;
  }
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  for (let i = 0; i < 40 && isAlive(pid); i++) await sleep(50);
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    for (let i = 0; i < 40 && isAlive(pid); i++) await sleep(50);
  }
  livePids.delete(pid);
}

/** Kills every process this module spawned that is still alive. Safe to call repeatedly. */
export async function killAllSpawned(): Promise<void> {
  await Promise.all([...livePids].map((pid) => killPid(pid)));
}

process.once('exit', () => {
  for (const pid of livePids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * A minimal environment for child servers: the SDK's safe inherited variables
 * (PATH, HOME, …) only — nothing of the test runner's own environment
 * (NODE_OPTIONS, VITEST_*, credentials) leaks in. `env` is merged over it.
 */
export function childEnv(env: Record<string, string>): Record<string, string> {
  return { ...getDefaultEnvironment(), ...env };
}

/** Bounded ring of a process' stderr, for failure diagnostics. */
class StderrTail {
  private text = '';
  append(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString()).slice(-16_384);
  }
  toString(): string {
    return this.text;
  }
}

export function makeClient(era: Era, options: ClientOptions = {}): Client {
  const info = { name: 'mcpgen-behaviour-tests', version: '0.0.0' };
  return era === 'legacy'
    ? new Client(info, options)
    : new Client(info, { ...options, versionNegotiation: { mode: { pin: MODERN_PROTOCOL_VERSION } } });
}

export interface Connection {
  readonly client: Client;
  readonly era: Era;
  /** Captured stderr of the server process (stdio only; '' for HTTP). */
  stderr(): string;
  close(): Promise<void>;
}

/**
 * Spawns `node <serverDir>/dist/stdio.js` through the SDK's stdio transport and connects.
 * `env` is merged over a minimal environment.
 */
export async function connectStdio(serverDir: string, env: Record<string, string>, era: Era, clientOptions: ClientOptions = {}): Promise<Connection> {
  const script = join(serverDir, 'dist', 'stdio.js');
  if (!existsSync(script)) throw new Error(`${script} does not exist: run \`node bin/mcpgen.js build\` first`);
  const tail = new StderrTail();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [script],
    env: childEnv(env),
    cwd: serverDir,
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => tail.append(chunk));
  const client = makeClient(era, clientOptions);
  let pid: number | null = null;
  const close = async () => {
    await client.close().catch(() => undefined);
    if (pid !== null) await killPid(pid);
  };
  try {
    await client.connect(transport);
    pid = transport.pid;
    if (pid !== null) livePids.add(pid);
  } catch (err) {
    pid = transport.pid;
    await close();
    throw new Error(`stdio connect (${era}) to ${script} failed: ${String(err)}\n--- server stderr ---\n${tail}`);
  }
  return { client, era, stderr: () => tail.toString(), close };
}

/** Finds a free TCP port on 127.0.0.1 by binding port 0 and releasing it. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface HttpServerHandle {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /** `http://127.0.0.1:<port>/mcp` */
  readonly mcpUrl: string;
  readonly port: number;
  readonly process: ChildProcess;
  stderr(): string;
  close(): Promise<void>;
}

/**
 * Spawns `node dist/http.js` (cwd = serverDir) with HOST=127.0.0.1 and a free PORT,
 * `env` merged over a minimal environment, and waits until `/healthz` answers 200.
 */
export async function startHttp(serverDir: string, env: Record<string, string>): Promise<HttpServerHandle> {
  const script = join(serverDir, 'dist', 'http.js');
  if (!existsSync(script)) throw new Error(`${script} does not exist: run \`node bin/mcpgen.js build\` first`);
  // A caller that must know the URL up front (e.g. as a token audience) passes PORT itself.
  const port = env['PORT'] !== undefined ? Number(env['PORT']) : await freePort();
  const tail = new StderrTail();
  const child = spawn(process.execPath, [script], {
    cwd: serverDir,
    // Stopped with SIGTERM: no shutdown delay, which only serves a load balancer (a test passes its own).
    env: childEnv({ HOST: '127.0.0.1', PORT: String(port), MCPGEN_SHUTDOWN_DELAY_MS: '0', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => tail.append(chunk));
  child.stderr?.on('data', (chunk: Buffer) => tail.append(chunk));
  if (child.pid !== undefined) livePids.add(child.pid);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited with code ${code} signal ${signal}`;
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (child.pid !== undefined) await killPid(child.pid);
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) {
      await close();
      throw new Error(`${script} ${exited} before /healthz answered\n--- server output ---\n${tail}`);
    }
    const status = await rawRequest({ port, path: '/healthz', method: 'GET' }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`${script} did not answer 200 on /healthz within 20s (last status ${status})\n--- server output ---\n${tail}`);
    }
    await sleep(100);
  }
  return { baseUrl, mcpUrl: `${baseUrl}/mcp`, port, process: child, stderr: () => tail.toString(), close };
}

/** Connects the SDK client to a Streamable HTTP MCP endpoint (`…/mcp`). */
export async function connectHttp(url: string, era: Era): Promise<Connection> {
  const transport = new StreamableHTTPClientTransport(new URL(url));
  const client = makeClient(era);
  try {
    await client.connect(transport);
  } catch (err) {
    await client.close().catch(() => undefined);
    throw new Error(`HTTP connect (${era}) to ${url} failed: ${String(err)}`);
  }
  return {
    client,
    era,
    stderr: () => '',
    close: async () => {
      await client.close().catch(() => undefined);
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A plain `node:http` request to 127.0.0.1:<port>, with full control of headers
 * (including `Host`, which fetch does not let callers set).
 */
export function rawRequest(opts: {
  port: number;
  path: string;
  method: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: opts.port,
        path: opts.path,
        method: opts.method,
        headers: opts.headers,
        setHost: opts.headers ? !Object.keys(opts.headers).some((h) => h.toLowerCase() === 'host') : true,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(opts.timeoutMs ?? 5_000, () => req.destroy(new Error(`request to ${opts.path} timed out`)));
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** A JSON-RPC `initialize` body suitable for probing the HTTP endpoint's guards. */
export function initializeBody(): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'raw-probe', version: '0.0.0' },
    },
  });
}

/** A connection over either transport; for HTTP the server process it started, closed with it. */
export interface TransportConnection extends Connection {
  /** The server's stderr (the stdio child's or the HTTP server's). */
  serverStderr(): string;
}

/** Starts the server at `serverDir` the way `transport` needs and connects a client in `era`. */
export async function connectOver(transport: 'stdio' | 'http', serverDir: string, env: Record<string, string>, era: Era): Promise<TransportConnection> {
  if (transport === 'stdio') {
    const conn = await connectStdio(serverDir, env, era);
    return { ...conn, serverStderr: () => conn.stderr() };
  }
  const http = await startHttp(serverDir, env);
  const conn = await connectHttp(http.mcpUrl, era);
  return {
    ...conn,
    serverStderr: () => http.stderr(),
    close: async () => {
      await conn.close();
      await http.close();
    },
  };
}
