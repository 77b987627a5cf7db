/**
 * `mcpgen init [SPEC]`: plans a server for a spec with every default, and writes the starter
 * config that generates it. Never overwrites a config; writes nothing when the spec fails.
 */
import { existsSync } from 'node:fs';
import { link, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveServerEntry, specPathFromCommandLine, starterServerEntry } from '../config/default-server.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { planServer } from '../pipeline.js';
import type { ServerPlan } from '../plan/types.js';
import { suggestInclude, type IncludeSuggestion } from './suggest-include.js';

/** Looked for, in this order, when no spec is named. */
export const SPEC_CANDIDATES = ['openapi.yaml', 'openapi.yml', 'openapi.json', 'swagger.yaml', 'swagger.yml', 'swagger.json'] as const;

export interface InitOptions {
  /** The spec; default: the first of SPEC_CANDIDATES in cwd. */
  readonly spec?: string;
  /** The config file to write. */
  readonly configPath: string;
  readonly cwd?: string;
}

export interface InitResult {
  readonly ok: boolean;
  /** The config written (absolute path) and its text. */
  readonly configPath?: string;
  readonly configText?: string;
  readonly plan?: ServerPlan;
  /** Set for a large API: tags to include to fit the client limits and the token budget. */
  readonly suggestion?: IncludeSuggestion;
  readonly diagnostics: Diagnostic[];
}

/** `$schema` for editors: the schema shipped with this mcpgen, as a path from the config's folder. */
function schemaReference(configPath: string): string {
  const shipped = fileURLToPath(new URL('../../mcpgen.schema.json', import.meta.url));
  const path = relative(dirname(configPath), shipped).split('\\').join('/');
  // An mcpgen run from outside the project (a global install, npx's cache) is no stable place.
  return path.startsWith('../') ? './node_modules/mcpgen/mcpgen.schema.json' : path.startsWith('.') ? path : `./${path}`;
}

/**
 * Creates the file whole, and only if nothing is there: `link` fails on an existing target, so
 * a race cannot overwrite one. File systems without hard links get a rename after a last check.
 */
async function writeNewFile(path: string, text: string): Promise<NodeJS.ErrnoException | undefined> {
  const temporary = `${path}.mcpgen-${process.pid}.tmp`;
  try {
    await writeFile(temporary, text, { flag: 'wx' });
    try {
      await link(temporary, path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
      if (existsSync(path)) throw Object.assign(new Error(`${path} exists`), { code: 'EEXIST' });
      await rename(temporary, path);
    }
    return undefined;
  } catch (error) {
    return error as NodeJS.ErrnoException;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

function existsDiagnostic(display: string): Diagnostic {
  return { code: 'MCPGEN_CONFIG_EXISTS', severity: 'error', file: display, message: `${display} already exists; mcpgen init never overwrites a config.`, help: 'Edit it, delete it first, or pass --config FILE to write another one.' };
}

export async function initConfig(options: InitOptions): Promise<InitResult> {
  const cwd = options.cwd ?? process.cwd();
  const configPath = resolve(cwd, options.configPath);
  const display = relative(cwd, configPath) || configPath;
  if (existsSync(configPath)) return { ok: false, diagnostics: [existsDiagnostic(display)] };
  const spec = options.spec ?? SPEC_CANDIDATES.find((name) => existsSync(resolve(cwd, name)));
  if (spec === undefined) {
    return {
      ok: false,
      diagnostics: [{ code: 'MCPGEN_SPEC_NOT_FOUND', severity: 'error', file: cwd, message: `No spec named and none of ${SPEC_CANDIDATES.join(', ')} in this folder.`, help: 'Name the spec: mcpgen init path/to/openapi.yaml' }],
    };
  }
  const entry = starterServerEntry(resolve(cwd, spec), configPath);
  const configText = JSON.stringify({ $schema: schemaReference(configPath), servers: [entry] }, null, 2) + '\n';
  const server = resolveServerEntry(entry, configPath, cwd);
  const planned = await planServer(server, 0, { configDisplay: display, configText });
  const diagnostics = specPathFromCommandLine(planned.diagnostics);
  const plan = planned.plan;
  if (!plan) return { ok: false, diagnostics };
  const failure = await writeNewFile(configPath, configText);
  if (failure?.code === 'EEXIST') return { ok: false, diagnostics: [...diagnostics, existsDiagnostic(display)] };
  if (failure) {
    const diagnostic: Diagnostic = { code: 'MCPGEN_WRITE_FAILED', severity: 'error', file: display, message: `Could not write the config: ${failure.message}`, help: 'Nothing was written; make the folder writable and run again.' };
    return { ok: false, diagnostics: [...diagnostics, diagnostic] };
  }
  return { ok: true, configPath, configText, plan, suggestion: suggestInclude(plan, server.discoveryTokenBudget), diagnostics };
}
