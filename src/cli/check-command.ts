// `mcpgen check`: fails when the committed output differs from what generate would write.
import { hasErrors } from '../diagnostics/diagnostic.js';
import { check } from '../index.js';
import type { CliArgs } from './args.js';
import { changeLines, clearProgress, progress, surfaceLines } from './changes-output.js';
import { io, printDiagnostics } from './output.js';

export async function runCheck(args: CliArgs): Promise<number> {
  const result = await check({ configPath: args.config, only: args.servers, onProgress: progress(args) });
  clearProgress(args);
  printDiagnostics(args, result.diagnostics);
  const lines = changeLines(result);
  if (args.json) io.out(JSON.stringify({ ok: result.ok, diagnostics: result.diagnostics, changes: result.changes }, null, 2));
  else if (hasErrors(result.diagnostics)) io.err('mcpgen check: generation failed.');
  else if (!result.ok) {
    io.err(`error: mcpgen check: generated output is out of date (MCPGEN_OUTPUT_STALE):\n${lines.join('\n')}\n  help: run mcpgen generate and commit the result.`);
    for (const line of surfaceLines(result)) io.err(line);
  }
  else if (!args.quiet) io.err('mcpgen check: generated output is up to date.');
  return result.ok ? 0 : 1;
}

