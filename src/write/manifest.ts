import type { VirtualFile } from '../emit/emit.js';

export const MANIFEST_FILE = '.mcpgen-manifest.json';

export interface Manifest {
  readonly generator: 'mcpgen';
  /** Every file mcpgen owns in the output folder; anything else there is the user's. */
  readonly files: readonly string[];
  /** Tool names, so a regeneration can report what it adds and removes. */
  readonly tools: readonly string[];
}

/** The manifest of a generated file set; it lists itself so `check` covers it too. */
export function manifestFile(files: readonly VirtualFile[], tools: readonly string[]): VirtualFile {
  const manifest: Manifest = { generator: 'mcpgen', files: [...files.map((f) => f.path), MANIFEST_FILE].sort(), tools: [...tools].sort() };
  return { path: MANIFEST_FILE, text: JSON.stringify(manifest, null, 2) + '\n' };
}

export function parseManifest(text: string | undefined): Manifest | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Manifest;
    return value.generator === "mcpgen" && Array.isArray(value.files) && Array.isArray(value.tools) ? value : undefined;
  } catch {
    return undefined;
  }
}
