// Generates and builds a server from a spec written by the test, with the real CLI, and
// runs a real upstream on 127.0.0.1 that records every request it receives.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoTmpDir, runCli, writeConfig } from '../../cli/helpers.js';

export interface GeneratedApi {
  /** Temp folder holding the spec, the config and the output (remove it when done). */
  readonly dir: string;
  /** The generated, built server. */
  readonly out: string;
}

/** `generate` then `build` of one server named `name` from `spec`; throws with the CLI's output when either fails. */
export function generateAndBuild(name: string, spec: object, entry: Record<string, unknown> = {}): GeneratedApi {
  const dir = repoTmpDir();
  writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec, null, 2));
  writeConfig(dir, [{ name, spec: 'spec.json', output: 'out', ...entry }]);
  for (const args of [['generate'], ['build', '--config', path.join(dir, 'mcpgen.config.json')]]) {
    const run = runCli(args, dir);
    if (run.status !== 0) throw new Error(`${args[0]} failed (${run.status}):\n${run.stderr}\n${run.stdout}`);
  }
  return { dir, out: path.join(dir, 'out') };
}

export interface Received {
  readonly method: string;
  /** The request target exactly as sent (path and query, still percent-encoded). */
  readonly rawUrl: string;
  readonly body: string;
}

export interface RecordingUpstream {
  readonly url: string;
  readonly received: Received[];
  close(): Promise<void>;
}

/** Answers every request with 200 and `{}` as JSON, after recording it. */
export async function startRecordingUpstream(): Promise<RecordingUpstream> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', rawUrl: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
