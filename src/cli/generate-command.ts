// `mcpgen generate [--watch]`: plan and write every server in the config.
import { relative } from 'node:path';
import { generate, type GenerateResult } from '../index.js';
import type { CliArgs } from './args.js';
import { changeLines, clearProgress, progress, surfaceLines } from './changes-output.js';
import { budgetLines, io, printDiagnostics } from './output.js';

/** One generation, reported; the result tells watch mode which files to watch. */
async function generateOnce(args: CliArgs): Promise<GenerateResult> {
  const result = await generate({ configPath: args.config, only: args.servers, dryRun: args.dryRun, onProgress: progress(args) });
  clearProgress(args);
  printDiagnostics(args, result.diagnostics);
  if (args.json) {
    io.out(JSON.stringify({ ok: result.ok, dryRun: args.dryRun, diagnostics: result.diagnostics, changes: result.changes, servers: result.servers.map((s) => ({ name: s.name, output: s.outputPath, tools: s.plan.tools.length, files: s.files.length, budget: s.plan.budget, discovery: s.plan.discovery, strict: s.plan.strict })) }, null, 2));
  }
  if (!result.ok) {
    if (!args.json) io.err('mcpgen: nothing was written.');
    return result;
  }
  if (!args.json && !args.quiet) {
    const lines = changeLines(result);
    const verb = args.dryRun ? 'would change' : 'changed';
    for (const server of result.servers) {
      io.err(`${server.name}: ${server.plan.tools.length} tools → ${relative(process.cwd(), server.outputPath) || '.'}`);
      for (const line of budgetLines(server.plan)) io.err(`  ${line}`);
    }
    io.err(lines.length ? `${lines.length} files ${verb}:\n${lines.join('\n')}` : 'Up to date: no file changed.');
    for (const line of surfaceLines(result)) io.err(line);
  }
  return result;
}

export async function runGenerate(args: CliArgs): Promise<number> {
  if (args.watch) {
    const { watchGenerate } = await import('./watch-command.js');
    return watchGenerate(() => generateOnce(args));
  }
  return (await generateOnce(args)).ok ? 0 : 1;
}

