import * as prettier from 'prettier';
import type { VirtualFile } from '../emit/emit.js';

/**
 * Pinned formatting options: output never depends on a user's .prettierrc
 * (prettier.format reads no config file), so golden files are stable.
 */
export const PRETTIER_OPTIONS = {
  printWidth: 120,
  singleQuote: true,
  trailingComma: 'all',
  quoteProps: 'consistent',
  endOfLine: 'lf',
} as const satisfies prettier.Options;

function parserFor(path: string): string | undefined {
  if (path.endsWith('.ts')) return 'typescript';
  if (path.endsWith('.json')) return 'json';
  // Markdown is left as rendered: Prettier re-pads whole tables, so one changed
  // tool would rewrite every row of the README's tool table.
  return undefined;
}

/**
 * Files under src/runtime/ are copied from templates/runtime and already formatted;
 * data/ holds JSON printed canonically by JSON.stringify, which Prettier would only
 * re-read at great cost (and re-wrap short arrays).
 */
function preformatted(path: string): boolean {
  return path.startsWith('src/runtime/') || path.startsWith('data/');
}

export async function formatFiles(files: readonly VirtualFile[]): Promise<VirtualFile[]> {
  return Promise.all(
    files.map(async (file) => {
      const parser = parserFor(file.path);
      if (!parser || preformatted(file.path)) return file;
      return { path: file.path, text: await prettier.format(file.text, { ...PRETTIER_OPTIONS, parser }) };
    }),
  );
}
