/**
 * `mcpgen diff OLD NEW`: plans one server from each version of a spec, with the same mapping
 * (a server of the config, or every operation with default settings), and compares their MCP
 * surfaces. Reads the files; writes nothing.
 */
import { relative, resolve } from 'node:path';
import { resolveServerEntry, specPathFromCommandLine, starterServerEntry } from '../config/default-server.js';
import { loadConfig } from '../config/load-config.js';
import type { ResolvedServerConfig } from '../config/schema.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { planServer } from '../pipeline.js';
import { diffMcpSurface, surfaceOfPlan, type SurfaceChangelog } from './changelog.js';

export interface DiffSpecsOptions {
  readonly oldSpec: string;
  readonly newSpec: string;
  /** Apply this config's mapping (include, exclude, names, resources, prompts); default: every operation. */
  readonly configPath?: string;
  /** The server of the config to apply (default: the one whose spec is NEW, else the only one). */
  readonly server?: string;
  readonly cwd?: string;
}

export interface DiffSpecsResult {
  readonly server?: string;
  readonly changelog?: SurfaceChangelog;
  readonly diagnostics: Diagnostic[];
}

async function chooseServer(options: DiffSpecsOptions, cwd: string): Promise<{ server?: ResolvedServerConfig; index: number; configDisplay: string; configText: string; diagnostics: Diagnostic[] }> {
  if (options.configPath === undefined) {
    const configPath = resolve(cwd, 'mcpgen.config.json');
    return { server: resolveServerEntry(starterServerEntry(resolve(cwd, options.newSpec), configPath), configPath, cwd), index: 0, configDisplay: '(default mapping)', configText: '', diagnostics: [] };
  }
  const loaded = await loadConfig(options.configPath, cwd);
  if (!loaded.config) return { index: 0, configDisplay: '', configText: '', diagnostics: loaded.diagnostics };
  const { servers, configDisplay, configText } = loaded.config;
  const newPath = resolve(cwd, options.newSpec);
  const index = options.server !== undefined ? servers.findIndex((s) => s.name === options.server) : servers.length === 1 ? 0 : servers.findIndex((s) => s.specPath === newPath);
  if (index === -1) {
    const message = options.server !== undefined ? `No server named "${options.server}" in the config.` : `The config has ${servers.length} servers and none reads ${options.newSpec}.`;
    return { index, configDisplay, configText, diagnostics: [{ code: 'MCPGEN_SERVER_UNKNOWN', severity: 'error', file: configDisplay, message, help: `Pass --server NAME: ${servers.map((s) => s.name).join(', ')}.` }] };
  }
  return { server: servers[index], index, configDisplay, configText, diagnostics: [] };
}

export async function diffSpecs(options: DiffSpecsOptions): Promise<DiffSpecsResult> {
  const cwd = options.cwd ?? process.cwd();
  const chosen = await chooseServer(options, cwd);
  if (!chosen.server) return { diagnostics: chosen.diagnostics };
  const server = chosen.server;
  const plans = [];
  const diagnostics: Diagnostic[] = [];
  for (const spec of [options.oldSpec, options.newSpec]) {
    const specPath = resolve(cwd, spec);
    const planned = await planServer({ ...server, specPath, specDisplay: relative(cwd, specPath) || specPath }, chosen.index, chosen);
    diagnostics.push(...specPathFromCommandLine(planned.diagnostics));
    plans.push(planned.plan);
  }
  const [before, after] = plans;
  if (!before || !after || hasErrors(diagnostics)) return { server: server.name, diagnostics };
  return { server: server.name, changelog: diffMcpSurface(surfaceOfPlan(before), surfaceOfPlan(after)), diagnostics };
}
