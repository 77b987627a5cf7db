// `mcpgen build`: install, type-check and bundle each generated server.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildServer, type BuildResult } from '../build/build-server.js';
import { loadConfig } from '../config/load-config.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { MANIFEST_FILE, parseManifest } from '../write/manifest.js';
import type { CliArgs } from './args.js';
import { io, printDiagnostics } from './output.js';

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function summary(results: readonly BuildResult[], tools: ReadonlyMap<string, number>): string {
  const cwd = process.cwd();
  const rows = results.map((r) => {
    const folder = relative(cwd, r.outputPath) || '.';
    return `  ${r.name}  ${tools.get(r.name) ?? '?'} tools  ${folder}\n    stdio: node ${folder}/dist/stdio.js\n    http:  PORT=3000 node ${folder}/dist/http.js   (MCP at http://127.0.0.1:3000/mcp)`;
  });
  return `Built ${results.length} MCP server${results.length === 1 ? '' : 's'}:\n${rows.join('\n')}`;
}

export async function runBuild(args: CliArgs): Promise<number> {
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

