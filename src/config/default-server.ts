import { basename, dirname, relative, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { serverConfigSchema, type ResolvedServerConfig } from './schema.js';

/** File names too generic to name a server after; the folder holding them names it instead. */
const GENERIC_NAMES = new Set(['openapi', 'swagger', 'spec', 'api', 'schema', 'index']);

/** An npm package name (the server name) made from a spec's file name: `specs/Ledger API.yaml` → `ledger-api`. */
export function serverNameForSpec(specPath: string): string {
  const slug = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9._~-]+/g, '-')
      .replace(/^[._~-]+|[._~-]+$/g, '')
      .slice(0, 214);
  const stem = slug(basename(specPath).replace(/(\.gz)?$/i, '').replace(/\.(ya?ml|json)$/i, '').replace(/[.-](openapi|swagger|spec)$/i, ''));
  if (stem && !GENERIC_NAMES.has(stem)) return stem;
  const folder = slug(basename(dirname(resolve(specPath))));
  return folder && !GENERIC_NAMES.has(folder) ? folder : 'api';
}

/** The server entry `mcpgen init` writes for a spec: every operation, output in generated/<name>. */
export function starterServerEntry(specPath: string, configPath: string): { name: string; spec: string; output: string } {
  const name = serverNameForSpec(specPath);
  const spec = relative(dirname(configPath), specPath).split('\\').join('/');
  return { name, spec, output: `generated/${name}` };
}

/**
 * A server with every default, as if a config held only name, spec and output: what `mcpgen
 * diff` compares when no config is given, and what `mcpgen init` previews before writing one.
 */
export function resolveServerEntry(entry: { name: string; spec: string; output: string }, configPath: string, cwd: string): ResolvedServerConfig {
  const base = dirname(configPath);
  const specPath = resolve(base, entry.spec);
  return {
    ...serverConfigSchema.parse(entry),
    specPath,
    specDisplay: relative(cwd, specPath) || specPath,
    outputPath: resolve(base, entry.output),
    promptSources: new Map(),
  };
}

/** A spec path typed on the command line resolves against the current folder, not a config: say so. */
export function specPathFromCommandLine(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.map((d) => (d.code === 'MCPGEN_SPEC_NOT_FOUND' ? { ...d, help: 'Check the path: it resolves against the current folder.' } : d));
}
