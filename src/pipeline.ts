import { resolve } from 'node:path';
import { loadConfig, promptTemplatePath } from './config/load-config.js';
import type { ResolvedConfig, ResolvedServerConfig } from './config/schema.js';
import { hasErrors, type Diagnostic } from './diagnostics/diagnostic.js';
import { emitServer, type VirtualFile } from './emit/emit.js';
import { formatFiles } from './format/format.js';
import { buildApiModel } from './ir/build-model.js';
import { loadSpec } from './load/load-spec.js';
import { createLocator } from './load/positions.js';
import { buildServerPlan } from './plan/build-plan.js';
import type { ServerPlan } from './plan/types.js';
import { verifyServer } from './verify/verify.js';
import { manifestFile } from './write/manifest.js';
import type { OutputSet } from './write/write.js';

export interface GeneratedServer extends OutputSet {
  readonly plan: ServerPlan;
}

export interface PipelineResult {
  readonly config?: ResolvedConfig;
  readonly servers: GeneratedServer[];
  readonly diagnostics: Diagnostic[];
  /** Absolute paths of the local files this run read (see inputFiles). */
  readonly inputs: readonly string[];
}

export interface PipelineOptions {
  readonly configPath: string;
  readonly cwd?: string;
  /** Only these servers (by name). */
  readonly only?: readonly string[];
  /** Skip the type-check (used by tests that study the plan only). */
  readonly verify?: boolean;
  readonly onProgress?: (event: { server: string; stage: string }) => void;
}

/**
 * Adds line and column to errors and warnings that name a pointer in a file whose
 * text we hold. Info diagnostics keep their pointer only: locating needs a full
 * positional parse, which costs seconds on large specs and is not worth it for news.
 */
function locate(diagnostics: Diagnostic[], file: string, text: string): Diagnostic[] {
  const locator = createLocator(text);
  return diagnostics.map((d) => (d.file === file && d.pointer && d.line === undefined && d.severity !== 'info' ? { ...d, ...locator(d.pointer) } : d));
}

export interface PlannedServer {
  readonly plan?: ServerPlan;
  /** Local files the spec was read from (root and external `$ref` targets); empty when it did not load. */
  readonly specFiles: readonly string[];
  readonly diagnostics: Diagnostic[];
}

/** config → load → ir → plan, for one server: what it would offer, nothing emitted. */
export async function planServer(server: ResolvedServerConfig, serverIndex: number, config: Pick<ResolvedConfig, 'configDisplay' | 'configText'>, onProgress?: (stage: string) => void): Promise<PlannedServer> {
  onProgress?.('load');
  const loaded = await loadSpec({ path: server.specPath, display: server.specDisplay, allowRemote: server.allowRemote });
  if (!loaded.spec) return { specFiles: [], diagnostics: loaded.diagnostics };
  const spec = loaded.spec;
  onProgress?.('ir');
  const { model, diagnostics: irDiagnostics } = buildApiModel(spec);
  onProgress?.('plan');
  const { plan, diagnostics: planDiagnostics } = buildServerPlan({ model, server, serverIndex, configFile: config.configDisplay });
  const mapped = [...loaded.diagnostics, ...irDiagnostics, ...planDiagnostics].map((d) =>
    spec.originalPointer && d.file === spec.file && d.pointer ? { ...d, pointer: spec.originalPointer(d.pointer) } : d,
  );
  const diagnostics = locate(locate(mapped, spec.file, spec.text), config.configDisplay, config.configText);
  return { ...(hasErrors(diagnostics) ? {} : { plan }), specFiles: spec.files, diagnostics };
}

/** config → load → ir → plan → emit → format → verify, for one server. Nothing is written. */
export async function generateServer(server: ResolvedServerConfig, serverIndex: number, config: ResolvedConfig, options: PipelineOptions): Promise<{ server?: GeneratedServer; specFiles: readonly string[]; diagnostics: Diagnostic[] }> {
  const progress = (stage: string) => options.onProgress?.({ server: server.name, stage });
  const { plan, specFiles, diagnostics } = await planServer(server, serverIndex, config, progress);
  if (!plan) return { specFiles, diagnostics };
  progress('emit');
  const emitted = emitServer(plan);
  progress('format');
  const formatted = await formatFiles(emitted);
  const files: VirtualFile[] = [...formatted, manifestFile(formatted, plan.tools.map((t) => t.definition.name))].sort((a, b) => (a.path < b.path ? -1 : 1));
  if (options.verify !== false) {
    progress('verify');
    diagnostics.push(...verifyServer(server.name, server.outputPath, files, server.hooksPath && server.hooksDisplay ? { path: server.hooksPath, display: server.hooksDisplay } : undefined));
    if (hasErrors(diagnostics)) return { specFiles, diagnostics };
  }
  return { server: { name: server.name, outputPath: server.outputPath, files, plan }, specFiles, diagnostics };
}

/**
 * The local files a run read: the config, each selected server's spec (every file of a
 * multi-file spec once it loaded) and its prompt templates. `generate --watch` watches them.
 */
function inputFiles(configPath: string, config: ResolvedConfig | undefined, only: readonly string[] | undefined, specFiles: readonly string[]): string[] {
  const files = new Set([configPath, ...specFiles]);
  for (const server of config?.servers ?? []) {
    if (only?.length && !only.includes(server.name)) continue;
    if (!/^https?:\/\//i.test(server.specPath)) files.add(server.specPath);
    for (const prompt of server.prompts) files.add(promptTemplatePath(config!.configPath, prompt.template));
    if (server.hooksPath) files.add(server.hooksPath);
  }
  return [...files].sort();
}

/** Runs the pipeline for every selected server; collects every diagnostic before deciding. */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const configPath = resolve(options.cwd ?? process.cwd(), options.configPath);
  const loaded = await loadConfig(options.configPath, options.cwd);
  if (!loaded.config) return { servers: [], diagnostics: loaded.diagnostics, inputs: [configPath] };
  const config = loaded.config;
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const names = config.servers.map((s) => s.name);
  for (const name of options.only ?? []) {
    if (!names.includes(name)) {
      diagnostics.push({ code: 'MCPGEN_SERVER_UNKNOWN', severity: 'error', file: config.configDisplay, message: `No server named "${name}" in the config.`, help: `Servers: ${names.join(', ')}.` });
    }
  }
  if (hasErrors(diagnostics)) return { config, servers: [], diagnostics, inputs: inputFiles(configPath, config, [], []) };
  const servers: GeneratedServer[] = [];
  const specFiles: string[] = [];
  for (const [index, server] of config.servers.entries()) {
    if (options.only?.length && !options.only.includes(server.name)) continue;
    const result = await generateServer(server, index, config, options);
    diagnostics.push(...result.diagnostics);
    specFiles.push(...result.specFiles);
    if (result.server) servers.push(result.server);
  }
  return { config, servers, diagnostics, inputs: inputFiles(configPath, config, options.only, specFiles) };
}
