import { join, relative, sep } from 'node:path';

/**
 * How src/server.ts imports the user's hooks module: a relative specifier with the
 * extension Node resolves after compilation (.ts → .js, .mts → .mjs). Both paths sit
 * under the config's folder, so the specifier is the same on every machine.
 */
export function hooksImport(hooksPath: string | undefined, outputPath: string): string {
  if (hooksPath === undefined) return '';
  const path = relative(join(outputPath, 'src'), hooksPath).split(sep).join('/');
  const specifier = path.startsWith('.') ? path : `./${path}`;
  return specifier.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs');
}
