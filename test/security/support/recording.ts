// Shared pieces of the security suite: generating a server from a fixture spec into a temp
// folder, and upstreams on 127.0.0.1 that record every request and answer as a test says.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoTmpDir, runCli, writeConfig } from '../../cli/helpers.js';

export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type Answer = (req: Seen, res: ServerResponse) => void;

export interface RecordingUpstream {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly seen: Seen[];
  /** How the next requests are answered (default: 200 `{}`). */
  answer: Answer;
  close(): Promise<void>;
}

export async function startRecordingUpstream(): Promise<RecordingUpstream> {
  const seen: Seen[] = [];
  const state: { answer: Answer } = { answer: (_req, res) => json(res, 200, {}) };
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const record: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(record);
      state.answer(record, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    seen,
    get answer() {
      return state.answer;
    },
    set answer(next: Answer) {
      state.answer = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function redirect(res: ServerResponse, status: number, location: string): void {
  res.writeHead(status, { location, 'content-type': 'text/plain' });
  res.end(`see ${location}`);
}

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export interface GeneratedServer {
  /** The folder that holds the temp config. */
  readonly dir: string;
  /** The generated server's folder (has dist/ after build). */
  readonly out: string;
}

/** Generates and builds `fixtures/<spec>` as server `name` (with `config` fields) in a temp folder inside the repo. */
/** `files`: more files beside the config (prompt templates, say), by relative path. */
export function generateFixture(spec: string, name: string, config: Record<string, unknown> = {}, files: Record<string, string> = {}): GeneratedServer {
  const dir = repoTmpDir();
  copyFileSync(path.join(FIXTURES, spec), path.join(dir, spec));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  writeConfig(dir, [{ ...config, name, spec, output: 'out' }]);
  const generate = runCli(['generate', '--quiet'], dir);
  if (generate.status !== 0) throw new Error(`generate failed (${generate.status}):\n${generate.stderr}\n${generate.stdout}`);
  const build = runCli(['build', '--quiet'], dir);
  if (build.status !== 0) throw new Error(`build failed (${build.status}):\n${build.stderr}\n${build.stdout}`);
  return { dir, out: path.join(dir, 'out') };
}
