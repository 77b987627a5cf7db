// Process measurement helpers: wall time and peak RSS of a child, percentiles, RSS of a live pid.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const GNU_TIME = '/usr/bin/time';
const MARK = '__bench_time__';

/** First meaningful line of a command's output, for the table. */
export function firstErrorLine(text) {
  const lines = String(text).split('\n').map((l) => l.trim()).filter(Boolean);
  const line =
    lines.find((l) => /heap out of memory|error TS\d+|MCPGEN_[A-Z_]+/.test(l)) ??
    lines.find((l) => /error|fail|cannot|not found|exception/i.test(l)) ??
    lines[0] ??
    'unknown error';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/**
 * Runs a command to completion under GNU time (falls back to wall clock only) with a hard timeout.
 * Returns { ok, code, seconds, peakMb, output, error }.
 */
export function timed(command, args, { cwd, env, timeoutMs = 600_000 } = {}) {
  const useTime = existsSync(GNU_TIME);
  const [cmd, argv] = useTime ? [GNU_TIME, ['-f', `${MARK} %e %M`, command, ...args]] : [command, args];
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => {
      output += chunk;
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      const m = output.match(new RegExp(`${MARK} ([\\d.]+) (\\d+)`));
      const clean = output.replace(new RegExp(`(Command exited with non-zero status \\d+\\n)?${MARK}.*\\n?`), '');
      const ok = code === 0 && !timedOut;
      resolve({
        ok,
        code,
        seconds: m ? Number(m[1]) : wall,
        wall,
        peakMb: m ? Number(m[2]) / 1024 : null,
        output: clean,
        error: ok ? null : timedOut ? `timed out after ${timeoutMs / 1000}s` : firstErrorLine(clean),
      });
    });
  });
}

export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function percentile(values, p) {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return null;
  return v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)];
}

/** Resident memory of a live process in MB (VmRSS), or null. */
export function rssMb(pid) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it resolves truthy, at most `timeoutMs`. */
export async function waitFor(probe, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs / 1000}s`);
    await sleep(50);
  }
}

/** Kills one child we started (SIGTERM, then SIGKILL), bounded. */
export async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 3000);
  await Promise.race([gone, sleep(6000)]);
  clearTimeout(t);
}
