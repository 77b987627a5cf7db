// A real nginx (Debian's package) for the scale-out test: found on PATH or in /usr/sbin,
// installed with apt-get only when running as root (as CI does), and run in the foreground
// with a temp prefix and config, so no system config, daemon or pid file is touched.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How to run the test by hand where nginx is missing. */
export const RUN_HINT = 'apt-get install -y nginx (as root), then: npx vitest run test/scale/nginx.test.ts';

const APT_TIMEOUT_MS = 300_000;

function onPath(): string | undefined {
  for (const dir of [...(process.env['PATH'] ?? '').split(':').filter((d) => d !== ''), '/usr/sbin']) {
    const candidate = join(dir, 'nginx');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The nginx binary, or why there is none (then the test skips and says so). */
export function findNginx(): { readonly path: string } | { readonly missing: string } {
  const found = onPath();
  if (found !== undefined) return { path: found };
  if (process.getuid?.() !== 0 || onPathOf('apt-get') === undefined) return { missing: `nginx is not installed and this is not root with apt-get: ${RUN_HINT}` };
  const apt = (args: string[]): void => void execFileSync('apt-get', args, { stdio: 'ignore', timeout: APT_TIMEOUT_MS, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  try {
    try {
      apt(['install', '-y', '-q', 'nginx']);
    } catch {
      apt(['update', '-q']);
      apt(['install', '-y', '-q', 'nginx']);
    }
  } catch (error) {
    return { missing: `nginx is not installed and apt-get install nginx failed (${error instanceof Error ? error.message.split('\n')[0] : String(error)}): ${RUN_HINT}` };
  }
  const installed = onPath();
  return installed === undefined ? { missing: `apt-get installed nginx but no nginx binary was found: ${RUN_HINT}` } : { path: installed };
}

function onPathOf(name: string): string | undefined {
  return (process.env['PATH'] ?? '').split(':').map((dir) => join(dir, name)).find((file) => existsSync(file));
}

export interface NginxProcess {
  readonly process: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

/** Runs `nginx -p <prefix> -c <prefix>/nginx.conf` in the foreground with `config` as its config. */
export function runNginx(binary: string, prefix: string, config: string): NginxProcess {
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  writeFileSync(join(prefix, 'nginx.conf'), config);
  const child = spawn(binary, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', 'stderr', '-g', `daemon off; master_process on; pid ${join(prefix, 'nginx.pid')};`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-16_384);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGQUIT: graceful shutdown of the master and its workers.
      child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The generated nginx.conf, pointed at `replicas` on 127.0.0.1 and listening on `port` there,
 * with its temp files under `prefix`, one worker and an access log the test reads. Every
 * proxy setting stays as generated; each replacement must apply exactly once.
 */
export function localConfig(generated: string, prefix: string, port: number, replicas: readonly number[]): string {
  let config = generated;
  const replace = (pattern: RegExp, replacement: (match: RegExpMatchArray) => string): void => {
    const matches = [...config.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))];
    if (matches.length !== 1) throw new Error(`the generated nginx.conf should have exactly one match of ${pattern}, has ${matches.length}`);
    config = config.replace(pattern, replacement(matches[0]!));
  };
  replace(/^(\s*)server mcp:3000( [^;]*)?;$/m, (m) => replicas.map((p) => `${m[1]}server 127.0.0.1:${p}${m[2] ?? ''};`).join('\n'));
  replace(/^(\s*)listen 8080;$/m, (m) => `${m[1]}listen 127.0.0.1:${port};`);
  replace(/^worker_processes auto;$/m, () => 'worker_processes 1;');
  replace(/^(\s*)access_log off;$/m, (m) =>
    [
      `${m[1]}log_format scale '$msec $request_time $status $request_method "$upstream_addr" "$upstream_status"';`,
      `${m[1]}access_log ${join(prefix, 'logs', 'access.log')} scale;`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `${m[1]}${kind}_temp_path ${join(prefix, kind)};`),
    ].join('\n'),
  );
  return config;
}

/** One access-log line: when nginx finished the request, how long it took, and which replicas it tried. */
export interface AccessEntry {
  readonly endMs: number;
  readonly startMs: number;
  readonly status: number;
  readonly method: string;
  /** Replica ports tried, in order. */
  readonly upstreams: readonly number[];
}

export function parseAccessLog(text: string): AccessEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const match = /^(\d+\.\d+) (\d+\.\d+) (\d+) (\S+) "([^"]*)" "([^"]*)"$/.exec(line);
      if (match === null) throw new Error(`unexpected access log line: ${line}`);
      const endMs = Number(match[1]) * 1000;
      return {
        endMs,
        startMs: endMs - Number(match[2]) * 1000,
        status: Number(match[3]),
        method: match[4]!,
        upstreams: [...match[5]!.matchAll(/:(\d+)/g)].map((m) => Number(m[1])),
      };
    });
}
