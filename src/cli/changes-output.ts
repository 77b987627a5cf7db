// What generate and check print about a run: progress on a terminal, changed files, MCP-surface changes.
import { relative } from 'node:path';
import type { GenerateResult } from '../index.js';
import type { CliArgs } from './args.js';
import { io } from './output.js';

export function progress(args: CliArgs) {
  if (args.quiet || args.json || !io.isTTY) return undefined;
  return (event: { server: string; stage: string }) => process.stderr.write(`\r\x1b[K${event.server}: ${event.stage}…`);
}

export function clearProgress(args: CliArgs): void {
  if (!args.quiet && !args.json && io.isTTY) process.stderr.write('\r\x1b[K');
}

export function changeLines(result: GenerateResult): string[] {
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
export function surfaceLines(result: GenerateResult): string[] {
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

