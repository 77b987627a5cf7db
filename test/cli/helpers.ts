// Shared helpers for the CLI suites: run the real CLI as a child process in a temp folder.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(REPO_ROOT, 'bin', 'mcpgen.js');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/mcpgen.js …args` with `cwd`, capturing everything. */
export function runCli(args: readonly string[], cwd: string, timeoutMs = 300_000): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh folder under the OS temp dir. */
export function tmpDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'mcpgen-'));
}

/** A fresh folder inside the repository (so the build resolves the SDK from the repo's node_modules). */
export function repoTmpDir(): string {
  return mkdtempSync(path.join(REPO_ROOT, 'test', 'cli', '.tmp-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Copies a spec from the repository's specs/ folder into `dir`. */
export function copySpec(name: string, dir: string, as = name): string {
  const target = path.join(dir, as);
  copyFileSync(path.join(REPO_ROOT, 'specs', name), target);
  return target;
}

export interface ServerEntry {
  name: string;
  spec: string;
  output: string;
  [key: string]: unknown;
}

/** Writes a pretty-printed config (one key per line, so pointers have distinct lines). */
export function writeConfig(dir: string, servers: ServerEntry[], file = 'mcpgen.config.json'): string {
  const target = path.join(dir, file);
  writeFileSync(target, JSON.stringify({ servers }, null, 2) + '\n');
  return target;
}

export interface FileState {
  readonly content: string;
  readonly mtimeMs: number;
}

/** Every file under `dir` (recursively, including dot files) → content (base64) and mtime. */
export function snapshot(dir: string): Map<string, FileState> {
  const out = new Map<string, FileState>();
  if (!existsSync(dir)) return out;
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.set(path.relative(dir, full).split(path.sep).join('/'), { content: readFileSync(full).toString('base64'), mtimeMs: statSync(full).mtimeMs });
    }
  };
  walk(dir);
  return out;
}

/** Snapshot as a plain sorted object of path → content (for toEqual diffs). */
export function contents(snap: Map<string, FileState>): Record<string, string> {
  return Object.fromEntries([...snap.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, v.content]));
}

/** 1-based line of the first line containing `needle` (throws when absent). */
export function lineOf(text: string, needle: string, from = 1): number {
  const lines = text.split('\n');
  for (let i = from - 1; i < lines.length; i++) if (lines[i]!.includes(needle)) return i + 1;
  throw new Error(`"${needle}" not found`);
}

/** Replaces exactly one occurrence of `from` (throws when it is absent or ambiguous). */
export function replaceOnce(text: string, from: string, to: string): string {
  const first = text.indexOf(from);
  if (first === -1) throw new Error(`"${from}" not found`);
  if (text.indexOf(from, first + 1) !== -1) throw new Error(`"${from}" occurs more than once`);
  return text.slice(0, first) + to + text.slice(first + from.length);
}

export function editFile(file: string, edit: (text: string) => string): void {
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

/** `error:` lines of stderr, each with its help line. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('error: '));
}
