import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { VirtualFile } from '../emit/emit.js';
import { MANIFEST_FILE, parseManifest } from './manifest.js';

export interface OutputSet {
  readonly name: string;
  readonly outputPath: string;
  readonly files: readonly VirtualFile[];
}

export interface OutputChanges {
  readonly name: string;
  readonly outputPath: string;
  /** Files whose content would change. */
  readonly stale: string[];
  /** Files that do not exist yet. */
  readonly missing: string[];
  /** Files mcpgen owned before (or that sit among its files) and no longer generates. */
  readonly extra: string[];
}

/** Folders a generated server grows that mcpgen never owns. */
const UNOWNED_DIRS = new Set(['node_modules', 'dist', '.git']);

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function listFiles(root: string, dir = root): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) {
      if (dir === root && UNOWNED_DIRS.has(entry.name)) continue;
      files.push(...(await listFiles(root, join(dir, entry.name))));
    } else {
      files.push(relative(root, join(dir, entry.name)).split(sep).join('/'));
    }
  }
  return files;
}

/** Compares a fresh generation with what is on disk. Reads only. */
export async function diffOutput(set: OutputSet): Promise<OutputChanges> {
  const stale: string[] = [];
  const missing: string[] = [];
  for (const file of set.files) {
    const current = await readIfExists(join(set.outputPath, file.path));
    if (current === undefined) missing.push(file.path);
    else if (current !== file.text) stale.push(file.path);
  }
  const wanted = new Set(set.files.map((f) => f.path));
  const previous = parseManifest(await readIfExists(join(set.outputPath, MANIFEST_FILE)));
  const present = await listFiles(set.outputPath);
  const extra = [...new Set([...(previous?.files ?? []).filter((f) => existsSync(join(set.outputPath, f))), ...present])]
    .filter((f) => !wanted.has(f))
    .sort();
  return { name: set.name, outputPath: set.outputPath, stale, missing, extra };
}

export function hasChanges(changes: OutputChanges): boolean {
  return changes.stale.length + changes.missing.length + changes.extra.length > 0;
}

async function removeEmptyParents(root: string, file: string): Promise<void> {
  for (let dir = dirname(file); dir.startsWith(root + sep); dir = dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
  }
}

/**
 * Writes the changed files of one output folder: each file goes to a temporary
 * sibling first and is renamed into place, so no file is ever half-written;
 * files the previous manifest owned and the new one does not are removed. Only
 * called once every server generated and type-checked, so a bad spec never
 * reaches this point.
 */
export async function writeOutput(set: OutputSet, changes: OutputChanges): Promise<void> {
  const previous = parseManifest(await readIfExists(join(set.outputPath, MANIFEST_FILE)));
  const owned = new Set(previous?.files ?? []);
  const toWrite = new Set([...changes.stale, ...changes.missing]);
  // The manifest goes last: if writing stops midway, the old one still lists what to clean up.
  const ordered = [...set.files.filter((f) => f.path !== MANIFEST_FILE), ...set.files.filter((f) => f.path === MANIFEST_FILE)];
  for (const file of ordered) {
    if (!toWrite.has(file.path)) continue;
    const target = join(set.outputPath, file.path);
    await mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.mcpgen-${process.pid}.tmp`;
    await writeFile(temporary, file.text);
    await rename(temporary, target);
  }
  for (const file of changes.extra) {
    // Files mcpgen never generated are the user's: they are reported, not deleted.
    if (!owned.has(file)) continue;
    const target = join(set.outputPath, file);
    await rm(target, { force: true });
    await removeEmptyParents(set.outputPath, target);
  }
}
