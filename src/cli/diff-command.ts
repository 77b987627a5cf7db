// `mcpgen diff OLD NEW`: the MCP-surface changelog as Markdown (default) or JSON, on stdout.
import { diffSpecs } from '../diff/diff-specs.js';
import { changelogMarkdown } from '../diff/markdown.js';
import type { CliArgs } from './args.js';
import { io, printDiagnostics } from './output.js';

/** Exit code of `diff --fail-on-breaking` when a change breaks existing callers (1 and 2 mean what they mean everywhere). */
export const EXIT_BREAKING = 3;

export async function runDiff(args: CliArgs): Promise<number> {
  const [oldSpec, newSpec] = args.files as [string, string];
  const result = await diffSpecs({ oldSpec, newSpec, ...(args.configGiven ? { configPath: args.config } : {}), ...(args.servers[0] !== undefined ? { server: args.servers[0] } : {}) });
  printDiagnostics(args, result.diagnostics);
  const { changelog } = result;
  if (args.json) io.out(JSON.stringify({ ok: Boolean(changelog), old: oldSpec, new: newSpec, server: result.server, ...(changelog ?? {}), diagnostics: result.diagnostics }, null, 2));
  if (!changelog) {
    if (!args.json) io.err('mcpgen diff: a spec failed to load or plan; no changelog.');
    return 1;
  }
  if (!args.json) io.out(changelogMarkdown(changelog, `MCP surface changes: ${oldSpec} → ${newSpec}`));
  return args.failOnBreaking && changelog.counts.major > 0 ? EXIT_BREAKING : 0;
}
