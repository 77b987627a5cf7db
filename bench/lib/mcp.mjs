// Drives generated servers with the real MCP SDK v2 client (legacy era, i.e. `initialize`):
// stdio cold start, sequential tools/call latency, and Streamable HTTP load with autocannon.
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import autocannon from 'autocannon';
import { freePort, percentile, rssMb, sleep, stop, waitFor } from './measure.mjs';

/** HTTP server processes still running; killed if the bench exits early. */
const live = new Set();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

const CLIENT_INFO = { name: 'mcpgen-bench', version: '0.0.0' };
export const HTTP_PROTOCOL_VERSION = '2025-11-25';

/** Spawns `node <script>` over stdio and connects; returns { client, close, coldMs, tools, bytes }. */
export async function connectStdio({ script, cwd, env }, { timeoutMs = 60_000 } = {}) {
  const started = performance.now();
  let stderr = '';
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [script],
    cwd,
    env: { ...getDefaultEnvironment(), ...env },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (c) => (stderr = (stderr + c).slice(-4000)));
  const client = new Client(CLIENT_INFO);
  // A transport error (e.g. the SDK's 10 MB stdio ReadBuffer limit) surfaces only as
  // "Connection closed" on the pending request; keep the first one as the real cause.
  let transportError = null;
  client.onerror = (error) => (transportError ??= error.message);
  const close = () => client.close().catch(() => undefined);
  try {
    await client.connect(transport, { timeout: timeoutMs });
    const result = await client.listTools(undefined, { timeout: timeoutMs });
    const coldMs = performance.now() - started;
    const bytes = Buffer.byteLength(JSON.stringify(result));
    return { client, close, coldMs, tools: result.tools, bytes };
  } catch (error) {
    await close();
    const cause = transportError ? `${transportError}; ` : '';
    throw new Error(`${cause}${error.message}${stderr ? ` (stderr: ${stderr.trim().split('\n').slice(-1)[0]})` : ''}`);
  }
}

/**
 * Spawn → the first tools/list answer, timed on raw JSON-RPC lines over the child's pipes
 * (legacy era: initialize, initialized, tools/list). Only the server's work is timed: an SDK
 * client would add its own parsing of the answer (and Ajv compiles of every outputSchema),
 * which is the client's cost, not the server's. Returns { coldMs, tools, bytes, pages }: coldMs to
 * the first page, tools and bytes over every page.
 */
export function coldStart({ script, cwd, env }, { timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [script], { cwd, env: { ...getDefaultEnvironment(), ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let settled = false;
    let coldMs;
    const tools = [];
    let bytes = 0;
    let pages = 0;
    const finish = (error, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill();
      if (error) reject(new Error(`${error.message}${stderr ? ` (stderr: ${stderr.trim().split('\n').slice(-1)[0]})` : ''}`));
      else resolve(value);
    };
    const timer = setTimeout(() => finish(new Error(`no tools/list answer within ${timeoutMs} ms`)), timeoutMs);
    const send = (message) => child.stdin.write(`${JSON.stringify(message)}\n`);
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
    child.stdin.on('error', (error) => finish(error));
    child.on('error', (error) => finish(error));
    child.on('exit', (code, signal) => finish(new Error(`server exited (code ${code}, signal ${signal}) before answering tools/list`)));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      for (let end = stdout.indexOf('\n'); end >= 0; end = stdout.indexOf('\n')) {
        const line = stdout.slice(0, end);
        stdout = stdout.slice(end + 1);
        const message = JSON.parse(line);
        if (message.id === 1) {
          if (message.error) return finish(new Error(`initialize failed: ${message.error.message}`));
          send({ jsonrpc: '2.0', method: 'notifications/initialized' });
          send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
        } else if (message.id >= 2) {
          // Cold start is the first page's arrival; the listing is every page (nextCursor followed).
          coldMs ??= performance.now() - started;
          if (message.error) return finish(new Error(`tools/list failed: ${message.error.message}`));
          tools.push(...message.result.tools);
          bytes += Buffer.byteLength(JSON.stringify(message.result));
          pages += 1;
          if (message.result.nextCursor === undefined) return finish(null, { coldMs, tools, bytes, pages });
          send({ jsonrpc: '2.0', id: message.id + 1, method: 'tools/list', params: { cursor: message.result.nextCursor } });
        }
      }
    });
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: HTTP_PROTOCOL_VERSION, capabilities: {}, clientInfo: CLIENT_INFO } });
  });
}

/** Latencies (ms) of `n` sequential calls of `fn`. */
export async function latencies(fn, n) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out[i] = performance.now() - t;
  }
  return out;
}

/** A tools/call through an SDK client that throws unless the call succeeded. */
export function toolCaller(client, name, args = {}) {
  return async () => {
    const r = await client.callTool({ name, arguments: args }, { timeout: 30_000 });
    if (r.isError) throw new Error(`tools/call ${name} failed: ${JSON.stringify(r.content).slice(0, 200)}`);
  };
}

export function directFetch(url) {
  return async () => {
    const res = await fetch(url);
    await res.text();
    if (!res.ok) throw new Error(`direct fetch ${url}: ${res.status}`);
  };
}

export const summarize = (ms) => ({ n: ms.length, median: percentile(ms, 50), p99: percentile(ms, 99) });

/**
 * Spawns an HTTP server process (`node <script>` with PORT/HOST env), logs to a file,
 * waits until the port answers `probePath`. Returns { url, pid, child, close }.
 */
export async function startHttpServer({ script, cwd, env, probePath, logFile }, { timeoutMs = 60_000 } = {}) {
  const port = await freePort();
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [script], {
    cwd,
    env: { ...getDefaultEnvironment(), HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  live.add(child);
  child.once('exit', () => live.delete(child));
  let exited = null;
  child.once('exit', (code, signal) => (exited = `exited with code ${code} signal ${signal}`));
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => {
      if (exited) throw new Error(exited);
      const res = await fetch(`${base}${probePath}`);
      await res.arrayBuffer();
      return res.status === 200;
    }, timeoutMs, `${script} on ${base}${probePath}`);
  } catch (error) {
    await stop(child);
    throw new Error(exited ? `${script} ${exited} (see ${logFile})` : error.message);
  }
  return { base, url: `${base}/mcp`, pid: child.pid, child, close: () => stop(child) };
}

/** POSTs one JSON-RPC message; returns { status, headers, body }. */
export async function postJsonRpc(url, message, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(message),
  });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

export function toolsCallBody(name, args = {}, id = 1) {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } };
}

/**
 * Autocannon load of identical POSTs; verifies one request by hand first (a tool error or a
 * non-2xx fails the stage). Returns { rps, latencyMs, p99Ms, non2xx, errors, rssMb }.
 */
export async function httpLoad({ url, pid, headers, body, seconds, connections = 10 }) {
  const probe = await postJsonRpc(url, body, headers);
  if (probe.status !== 200 || !probe.body.includes('"result"') || probe.body.includes('"isError":true')) {
    throw new Error(`probe tools/call answered ${probe.status}: ${probe.body.replace(/\s+/g, ' ').slice(0, 160)}`);
  }
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
  await sleep(200);
  return {
    rps: result.requests.average,
    latencyMs: result.latency.average,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    rssMb: rssMb(pid),
  };
}
