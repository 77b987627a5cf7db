/**
 * The programmatic API. Functions return values and diagnostics; they never
 * print or exit (src/cli/ does that).
 */
import { hasErrors, type Diagnostic } from './diagnostics/diagnostic.js';
import { runPipeline, type GeneratedServer, type PipelineOptions } from './pipeline.js';
import { diffOutput, hasChanges, writeOutputs, type OutputChanges } from './write/write.js';

export type { Diagnostic } from './diagnostics/diagnostic.js';
export { formatDiagnostic } from './diagnostics/diagnostic.js';
export { diagnosticCatalog, type DiagnosticCode } from './diagnostics/catalog.js';
export { configJsonSchema, type ResolvedConfig, type ServerConfig } from './config/schema.js';
export type { GeneratedServer, PipelineOptions } from './pipeline.js';
export type { OutputChanges } from './write/write.js';
export type { ServerPlan, ToolPlan } from './plan/types.js';
export { diffSpecs, type DiffSpecsOptions, type DiffSpecsResult } from './diff/diff-specs.js';
export { diffMcpSurface, surfaceOfPlan, type ChangelogEntry, type McpSurface, type SurfaceChangelog } from './diff/changelog.js';
export { changelogMarkdown } from './diff/markdown.js';
export { initConfig, type InitOptions, type InitResult } from './init/init-config.js';

export interface GenerateResult {
  readonly ok: boolean;
  readonly servers: readonly GeneratedServer[];
  readonly changes: readonly OutputChanges[];
  readonly diagnostics: readonly Diagnostic[];
  /** Absolute paths of the local files the run read: config, specs (every file of a multi-file spec), prompt templates. */
  readonly inputs: readonly string[];
}

/**
 * Generates every server in memory; writes only when all of them succeeded
 * (and not on a dry run), so a failed run leaves every output folder as it was.
 */
export async function generate(options: PipelineOptions & { dryRun?: boolean }): Promise<GenerateResult> {
  const result = await runPipeline(options);
  if (hasErrors(result.diagnostics)) return { ok: false, servers: result.servers, changes: [], diagnostics: result.diagnostics, inputs: result.inputs };
  const changes = await Promise.all(result.servers.map(diffOutput));
  if (!options.dryRun) {
    const failure = await writeOutputs(result.servers.map((set, index) => ({ set, changes: changes[index]! })).filter((s) => hasChanges(s.changes)));
    if (failure) {
      const diagnostic: Diagnostic = {
        code: 'MCPGEN_WRITE_FAILED',
        severity: 'error',
        file: failure.path,
        message: `Could not write the generated files: ${failure.message}`,
        help: 'Nothing was changed in any output folder; make the path writable (or move what is in the way) and run again.',
      };
      return { ok: false, servers: result.servers, changes: [], diagnostics: [...result.diagnostics, diagnostic], inputs: result.inputs };
    }
  }
  return { ok: true, servers: result.servers, changes, diagnostics: result.diagnostics, inputs: result.inputs };
}

/** Regenerates in memory and compares with disk; ok is false when anything is stale, missing or extra. */
export async function check(options: PipelineOptions): Promise<GenerateResult> {
  const result = await runPipeline(options);
  if (hasErrors(result.diagnostics)) return { ok: false, servers: result.servers, changes: [], diagnostics: result.diagnostics, inputs: result.inputs };
  const changes = await Promise.all(result.servers.map(diffOutput));
  return { ok: !changes.some(hasChanges), servers: result.servers, changes, diagnostics: result.diagnostics, inputs: result.inputs };
}

/** Loads, validates and plans without emitting or type-checking. */
export async function validate(options: PipelineOptions): Promise<{ ok: boolean; diagnostics: readonly Diagnostic[] }> {
  const result = await runPipeline({ ...options, verify: false });
  return { ok: !hasErrors(result.diagnostics), diagnostics: result.diagnostics };
}
