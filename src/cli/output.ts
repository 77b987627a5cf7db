// Printing shared by the commands: src/cli/ is the only place that prints.
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ServerPlan } from '../plan/types.js';
import type { CliArgs } from './args.js';
import { terminalText } from './terminal.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  readonly isTTY: boolean;
}

export const io: Io = {
  out: (text) => process.stdout.write(terminalText(text) + '\n'),
  err: (text) => process.stderr.write(terminalText(text) + '\n'),
  isTTY: Boolean(process.stderr.isTTY),
};

export function printDiagnostics(args: CliArgs, diagnostics: readonly Diagnostic[]): void {
  if (args.json) return;
  for (const d of diagnostics.map(containLines)) {
    if (d.severity === 'error') io.err(`error: ${formatDiagnostic(d)}`);
    else if (!args.quiet && d.severity === 'warning') io.err(`warning: ${formatDiagnostic(d)}`);
  }
  const infos = diagnostics.filter((d) => d.severity === 'info').length;
  if (infos && !args.quiet) io.err(`(${infos} info diagnostics; --json lists them)`);
}

/**
 * Continuation lines of a diagnostic (compiler output in a build failure, a line break
 * quoted from a spec) are indented, so no text inside one can pass for an `error:` line.
 */
function containLines(d: Diagnostic): Diagnostic {
  const indent = (text: string | undefined) => text?.replace(/\n/g, '\n    ');
  return { ...d, message: indent(d.message)!, ...(d.file ? { file: indent(d.file) } : {}), ...(d.pointer ? { pointer: indent(d.pointer) } : {}), ...(d.help ? { help: indent(d.help) } : {}) };
}

export const integer = new Intl.NumberFormat('en-US');

/** The token budget of one server: what its tools/list costs, its dearest tools, client limits. */
export function budgetLines(plan: ServerPlan): string[] {
  const { budget, discovery } = plan;
  const lines = [`tools/list: ${integer.format(budget.listTokens)} tokens (${budget.encoding}); discovery ${discovery.enabled ? 'on' : 'off'} (${discovery.reason})`];
  if (budget.outputSchemaTokens > 0) lines.push(`output schemas: ${integer.format(budget.outputSchemaTokens)} tokens of that (${Math.round((100 * budget.outputSchemaTokens) / budget.listTokens)} %); "outputSchemas": false leaves them out`);
  if (budget.descriptions) lines.push(`descriptions: ${integer.format(budget.descriptions.shortened)} shortened to ${integer.format(budget.descriptions.budget)} characters, saving ${integer.format(budget.descriptions.savedTokens)} tokens (full text from describe_tools)`);
  if (budget.top.length) lines.push(`most expensive: ${budget.top.slice(0, 5).map((t) => `${t.name} ${integer.format(t.tokens)}`).join(', ')}`);
  for (const warning of budget.warnings) lines.push(`warning: ${warning.message}`);
  return [...lines, ...strictLines(plan)];
}

/** How many tools OpenAI strict mode takes; the first few it does not, with why. */
function strictLines(plan: ServerPlan): string[] {
  const { strict } = plan;
  if (strict.tools === 0) return [];
  const others = strict.refused.length ? ' (the others work as non-strict tools)' : '';
  const lines = [`OpenAI strict mode: ${integer.format(strict.convertible)} of ${integer.format(strict.tools)} tools${others}`];
  for (const refusal of strict.refused.slice(0, 3)) lines.push(`  not strict: ${refusal.tool}: ${refusal.reasons.join('; ')}`);
  if (strict.refused.length > 3) lines.push(`  … and ${integer.format(strict.refused.length - 3)} more (--json lists them all; so does the README)`);
  return lines;
}

