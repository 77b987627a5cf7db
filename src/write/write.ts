import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { VirtualFile } from '../emit/emit.js';
import { MANIFEST_FILE, parseManifest } from './manifest.js';
import { diffSurface, type SurfaceChange, type SurfaceTool } from '../diff/surface.js';

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
  /** Of the extra files, those the previous manifest listed (mcpgen's own, safe to delete). */
  readonly owned: string[];
  /** Tools added, removed, renamed or changed in a breaking way since the output on disk (empty on a first generation). */
  readonly surface: SurfaceChange[];
}

const TOOL_TABLES = /^data\/tools\/[^/]+\.json$/;

function parseTools(text: string | undefined): SurfaceTool[] {
  if (text === undefined) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as SurfaceTool[]) : [];
  } catch {
    return []; // a hand-edited table: check reports the file as stale anyway
  }
}

/**
 * The surface change, worked out only when a tool table changed; none when no table was on
 * disk before. `read` holds the tables diffOutput already read; only extra ones are read here.
 */
async function surfaceChanges(set: OutputSet, changed: readonly string[], present: readonly string[], read: ReadonlyMap<string, string>): Promise<SurfaceChange[]> {
  if (!changed.some((f) => TOOL_TABLES.test(f))) return [];
  const oldTables = present.filter((f) => TOOL_TABLES.test(f));
  if (oldTables.length === 0) return [];
  const before: SurfaceTool[] = [];
  for (const file of oldTables.sort()) before.push(...parseTools(read.get(file) ?? (await readIfExists(join(set.outputPath, file)))));
  const after = set.files.filter((f) => TOOL_TABLES.test(f.path)).flatMap((f) => parseTools(f.text));
  return diffSurface(before, after);
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
  const toolTables = new Map<string, string>();
  for (const file of set.files) {
    const current = await readIfExists(join(set.outputPath, file.path));
    if (current === undefined) missing.push(file.path);
    else if (current !== file.text) stale.push(file.path);
    if (current !== undefined && TOOL_TABLES.test(file.path)) toolTables.set(file.path, current);
  }
  const wanted = new Set(set.files.map((f) => f.path));
  const previous = parseManifest(await readIfExists(join(set.outputPath, MANIFEST_FILE)));
  const present = await listFiles(set.outputPath);
  const extra = [...new Set([...(previous?.files ?? []).filter((f) => existsSync(join(set.outputPath, f))), ...present])]
    .filter((f) => !wanted.has(f))
    .sort();
  const previouslyOwned = new Set(previous?.files ?? []);
  const surface = await surfaceChanges(set, [...stale, ...missing, ...extra], present, toolTables);
  return { name: set.name, outputPath: set.outputPath, stale, missing, extra, owned: extra.filter((f) => previouslyOwned.has(f)), surface };
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

interface StagedFile {
  readonly temporary: string;
  readonly target: string;
}

export interface WriteFailure {
  readonly path: string;
  readonly message: string;
}

/**
 * Writes the changed files of every output folder in two phases. Phase one stages
 * each file as a temporary sibling; if any staging fails, every staged file is
 * removed and nothing in any output folder has changed. Phase two renames the staged
 * files into place (manifests last) and removes the files the previous manifests
 * owned and the new ones do not. Only called once every server generated and
 * type-checked, so a bad spec never reaches this point.
 */
export async function writeOutputs(sets: readonly { set: OutputSet; changes: OutputChanges }[]): Promise<WriteFailure | undefined> {
  const staged: StagedFile[] = [];
  const manifests: StagedFile[] = [];
  try {
    for (const { set, changes } of sets) {
      const toWrite = new Set([...changes.stale, ...changes.missing]);
      for (const file of set.files) {
        if (!toWrite.has(file.path)) continue;
        const target = join(set.outputPath, file.path);
        const temporary = `${target}.mcpgen-${process.pid}.tmp`;
        await mkdir(dirname(target), { recursive: true });
        await writeFile(temporary, file.text);
        (file.path === MANIFEST_FILE ? manifests : staged).push({ temporary, target });
      }
    }
  } catch (error) {
    await Promise.all([...staged, ...manifests].map((f) => rm(f.temporary, { force: true })));
    return { path: (error as NodeJS.ErrnoException).path ?? '', message: (error as Error).message };
  }
  try {
    // A rename fails only when something else holds the target (e.g. a folder where a
    // file belongs): checked before any rename, so the folders stay as they were.
    for (const file of [...staged, ...manifests]) {
      if (existsSync(file.target) && (await stat(file.target)).isDirectory()) throw Object.assign(new Error(`EISDIR: a folder is in the way of ${file.target}`), { path: file.target });
    }
    // The manifests go last: if renaming stops midway, the old ones still list what to clean up.
    for (const file of [...staged, ...manifests]) await rename(file.temporary, file.target);
  } catch (error) {
    await Promise.all([...staged, ...manifests].map((f) => rm(f.temporary, { force: true })));
    return { path: (error as NodeJS.ErrnoException).path ?? '', message: (error as Error).message };
  }
  for (const { set, changes } of sets) await removeStale(set, changes);
  return undefined;
}

/** Removes files the previous manifest owned and this generation no longer produces. */
async function removeStale(set: OutputSet, changes: OutputChanges): Promise<void> {
  for (const file of changes.extra) {
    // Files mcpgen never generated are the user's: they are reported, not deleted.
    if (!changes.owned.includes(file)) continue;
    const target = join(set.outputPath, file);
    await rm(target, { force: true });
    await removeEmptyParents(set.outputPath, target);
  }
}
