// Child processes with timeouts, free ports, and the registry of live children.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

const live = new Set();

/** Kills every child this module started that is still running (by pid, process group first). */
export function killAll() {
  for (const child of live) killTree(child, 'SIGKILL');
  live.clear();
}
process.once('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    killAll();
    process.exit(130);
  });
}

export function killTree(child, signal = 'SIGTERM') {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // detached: its own process group
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* gone */
    }
  }
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/**
 * Runs a command to completion with a timeout. Resolves
 * { code, signal, stdout, stderr, timedOut, ms, maxRssKb }.
 */
export function run(command, args, { cwd, env, timeoutMs = 120_000, maxBuffer = 64 * 1024 * 1024 } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    const wrapped = TIME ? [TIME, ['-f', '__MAXRSS__%M', command, ...args]] : [command, args];
    const child = spawn(wrapped[0], wrapped[1], { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    live.add(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (c) => {
      if (stdout.length < maxBuffer) stdout += c;
    });
    child.stderr.on('data', (c) => {
      if (stderr.length < maxBuffer) stderr += c;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      stderr += String(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      let maxRssKb;
      const m = /__MAXRSS__(\d+)\s*$/.exec(stderr);
      if (m) {
        maxRssKb = Number(m[1]);
        stderr = stderr.slice(0, m.index);
      }
      stderr = stderr.replace(/Command (exited with non-zero status \d+|terminated by signal \d+)\s*$/, '');
      resolve({ code, signal, stdout, stderr, timedOut, ms: Date.now() - started, maxRssKb });
    });
  });
}

/** Starts a long-running process in its own process group; the caller stops it with stop(). */
export function start(command, args, { cwd, env } = {}) {
  const child = spawn(command, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  live.add(child);
  let output = '';
  const append = (c) => {
    output = (output + c).slice(-32_768);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  child.on('error', (e) => append(String(e)));
  const exited = new Promise((r) => child.on('exit', () => r()));
  return {
    child,
    output: () => output,
    exited,
    async stop() {
      killTree(child, 'SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(3000).then(() => false)]);
      if (!done) killTree(child, 'SIGKILL');
      live.delete(child);
    },
  };
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
    }),
  ]);
}

/** A free TCP port on 127.0.0.1 (bind 0, release). */
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
