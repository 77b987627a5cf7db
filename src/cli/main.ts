import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MANIFEST_FILE, parseManifest } from '../write/manifest.js';
import { buildServer, type BuildResult } from '../build/build-server.js';
import { loadConfig } from '../config/load-config.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { check, configJsonSchema, generate, type GenerateResult } from '../index.js';
import { parseCliArgs, USAGE, UsageError, type CliArgs } from './args.js';
import { runDiff } from './diff-command.js';
import { runInit } from './init-command.js';
import { budgetLines, io, printDiagnostics } from './output.js';
import { watchGenerate } from './watch-command.js';

/** The only module that prints and sets exit codes. */

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function progress(args: CliArgs) {
  if (args.quiet || args.json || !io.isTTY) return undefined;
  return (event: { server: string; stage: string }) => process.stderr.write(`\r\x1b[K${event.server}: ${event.stage}…`);
}

function clearProgress(args: CliArgs): void {
  if (!args.quiet && !args.json && io.isTTY) process.stderr.write('\r\x1b[K');
}

function changeLines(result: GenerateResult): string[] {
  const cwd = process.cwd();
  return result.changes.flatMap((c) => {
    const folder = relative(cwd, c.outputPath) || '.';
    return [
      ...c.missing.map((f) => `  missing  ${folder}/${f}`),
      ...c.stale.map((f) => `  stale    ${folder}/${f}`),
      ...c.extra.map((f) => `  extra    ${folder}/${f}`),
    ];
  });
}

/** The MCP surface changes per server, callers' breakages first. */
function surfaceLines(result: GenerateResult): string[] {
  return result.changes.flatMap((c) => {
    if (c.surface.length === 0) return [];
    const breaking = c.surface.filter((s) => s.breaks).length;
    const head = `${c.name}: MCP surface changed (${c.surface.length} change${c.surface.length === 1 ? '' : 's'}, ${breaking} breaking existing callers):`;
    return [
      head,
      ...c.surface.map((s) => {
        const what = s.kind === 'renamed' ? `${s.tool} → ${s.detail ?? '?'}` : s.kind === 'breaking' ? `${s.tool}: ${s.detail ?? ''}` : s.tool;
        return `  ${s.kind.padEnd(8)} ${what}`;
      }),
    ];
  });
}

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

async function runGenerate(args: CliArgs): Promise<number> {
  if (args.watch) return watchGenerate(() => generateOnce(args));
  return (await generateOnce(args)).ok ? 0 : 1;
}

async function runCheck(args: CliArgs): Promise<number> {
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

function summary(results: readonly BuildResult[], tools: ReadonlyMap<string, number>): string {
  const cwd = process.cwd();
  const rows = results.map((r) => {
    const folder = relative(cwd, r.outputPath) || '.';
    return `  ${r.name}  ${tools.get(r.name) ?? '?'} tools  ${folder}\n    stdio: node ${folder}/dist/stdio.js\n    http:  PORT=3000 node ${folder}/dist/http.js   (MCP at http://127.0.0.1:3000/mcp)`;
  });
  return `Built ${results.length} MCP server${results.length === 1 ? '' : 's'}:\n${rows.join('\n')}`;
}

async function runBuild(args: CliArgs): Promise<number> {
  const loaded = await loadConfig(args.config);
  printDiagnostics(args, loaded.diagnostics);
  if (!loaded.config) return 1;
  const servers = loaded.config.servers.filter((s) => !args.servers.length || args.servers.includes(s.name));
  const unknown = args.servers.filter((n) => !loaded.config!.servers.some((s) => s.name === n));
  if (unknown.length) {
    printDiagnostics(
      args,
      unknown.map((name) => ({ code: 'MCPGEN_SERVER_UNKNOWN', severity: 'error', file: loaded.config!.configDisplay, message: `No server named "${name}" in the config.`, help: `Servers: ${loaded.config!.servers.map((s) => s.name).join(', ')}.` })),
    );
    return 1;
  }
  const results: BuildResult[] = [];
  const tools = new Map<string, number>();
  for (const server of servers) {
    if (!args.quiet && !args.json) io.err(`building ${server.name}…`);
    const result = await buildServer(server.name, server.outputPath, { typecheck: args.typecheck, bundle: args.bundle, hooks: server.hooksPath !== undefined });
    results.push(result);
    const manifest = parseManifest(readIfPresent(join(server.outputPath, MANIFEST_FILE)));
    if (manifest) tools.set(server.name, manifest.tools.length);
  }
  const diagnostics = results.flatMap((r) => r.diagnostics);
  printDiagnostics(args, diagnostics);
  if (args.json) io.out(JSON.stringify({ ok: !hasErrors(diagnostics), diagnostics, servers: results.map((r) => ({ name: r.name, output: r.outputPath, installed: r.installed })) }, null, 2));
  else if (!hasErrors(diagnostics) && (args.summary || !args.quiet)) io.out(summary(results, tools));
  return hasErrors(diagnostics) ? 1 : 0;
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`mcpgen: ${error.message}\n\n${USAGE}`);
      return 1;
    }
    throw error;
  }
  switch (args.command) {
    case 'help':
      io.out(USAGE);
      return 0;
    case 'version':
      io.out(version());
      return 0;
    case 'schema':
      io.out(JSON.stringify(configJsonSchema(), null, 2));
      return 0;
    case 'generate':
      return runGenerate(args);
    case 'check':
      return runCheck(args);
    case 'build':
      return runBuild(args);
    case 'init':
      return runInit(args);
    case 'diff':
      return runDiff(args);
  }
}
