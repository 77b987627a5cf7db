// A generated server's stdio entry as a raw child process: the tests write bytes to its
// stdin (including ones no SDK client would send) and read its stdout line by line.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { childEnv } from '../support/mcp.js';

export interface StdioProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Complete stdout lines so far. */
  lines(): string[];
  /** stdout lines parsed as JSON (a line that is not JSON throws: stdout must carry only messages). */
  messages(): Record<string, unknown>[];
  stderr(): string;
  /** Writes bytes to stdin, waiting for the pipe to drain. */
  write(bytes: Buffer | string): Promise<void>;
  /** Writes one message (a value to stringify) and a newline. */
  send(message: unknown): Promise<void>;
  /** Waits (bounded) until some answer carries `id`; returns it. */
  answer(id: string | number, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or signal name) once the process has exited, bounded. */
  exit(timeoutMs?: number): Promise<number | string>;
  kill(): void;
}

const alive = new Set<StdioProcess>();

/** Kills every process spawnStdio started that is still running. */
export function killStdioProcesses(): void {
  for (const process of alive) process.kill();
}

export function spawnStdio(serverDir: string, env: Record<string, string>): StdioProcess {
  const child = spawn(process.execPath, [join(serverDir, 'dist', 'stdio.js')], { cwd: serverDir, env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = Buffer.alloc(0);
  const complete: string[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout = Buffer.concat([stdout, chunk]);
    for (let newline = stdout.indexOf(10); newline !== -1; newline = stdout.indexOf(10)) {
      complete.push(stdout.subarray(0, newline).toString('utf8'));
      stdout = stdout.subarray(newline + 1);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-200_000);
  });
  // A server that exits while we write gives EPIPE on our side: that is asserted through exit().
  child.stdin.on('error', () => undefined);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));

  const handle: StdioProcess = {
    child,
    lines: () => [...complete],
    messages: () => complete.map((line) => JSON.parse(line) as Record<string, unknown>),
    stderr: () => stderr,
    write: (bytes) =>
      new Promise((resolve) => {
        if (child.stdin.write(bytes)) resolve();
        else child.stdin.once('drain', resolve);
      }),
    send: (message) => handle.write(`${JSON.stringify(message)}\n`),
    answer: async (id, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = handle.messages().find((message) => message['id'] === id && ('result' in message || 'error' in message));
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`no answer with id ${JSON.stringify(id)} within ${timeoutMs} ms\n--- stderr ---\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    exit: (timeoutMs = 20_000) =>
      Promise.race([
        exited,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the server did not exit within ${timeoutMs} ms\n--- stderr ---\n${stderr}`)), timeoutMs).unref()),
      ]),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      alive.delete(handle);
    },
  };
  alive.add(handle);
  void exited.then(() => alive.delete(handle));
  return handle;
}

/** The legacy-era opening: initialize (id "init") and the initialized notification. */
export async function initialize(server: StdioProcess): Promise<void> {
  await server.send({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'security-tests', version: '0' } } });
  await server.answer('init');
  await server.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
}

/** The 2026-era opening: server/discover (id "init") with the per-request envelope. */
export async function discover(server: StdioProcess): Promise<void> {
  const _meta = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientInfo': { name: 'security-tests', version: '0' },
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  await server.send({ jsonrpc: '2.0', id: 'init', method: 'server/discover', params: { _meta } });
  await server.answer('init');
}
