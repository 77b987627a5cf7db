// `mcpgen init [SPEC]`: writes the starter config and says what its server would offer.
import { relative } from 'node:path';
import { initConfig } from '../init/init-config.js';
import type { IncludeSuggestion } from '../init/suggest-include.js';
import type { ServerPlan } from '../plan/types.js';
import type { CliArgs } from './args.js';
import { budgetLines, integer, io, printDiagnostics } from './output.js';

const count = (n: number, word: string) => `${integer.format(n)} ${word}${n === 1 ? '' : 's'}`;

function offerLines(plan: ServerPlan): string[] {
  return [
    `${count(plan.tools.length, 'tool')}, ${count(plan.resources.length, 'resource')}, ${count(plan.resourceTemplates.length, 'resource template')}, ${count(plan.prompts.length, 'prompt')}`,
    ...budgetLines(plan),
  ];
}

function suggestionLines(s: IncludeSuggestion): string[] {
  const lines = [`Large API: ${s.reason}.`, 'Largest groups of operations:', ...s.groups.map((g) => `  ${g.selector}: ${count(g.tools, 'tool')}, ${integer.format(g.tokens)} tokens`)];
  if (s.include.length) {
    lines.push(
      `To serve a part of it directly (${count(s.includeTools, 'tool')}, ${integer.format(s.includeTokens)} tokens), add to the server in the config:`,
      `  "include": ${JSON.stringify(s.include)}`,
    );
  } else lines.push('No single group fits the limits: choose operations with "include", or keep discovery on.');
  lines.push('Or keep every operation: discovery mode (search_tools, describe_tools, call_tool) is on while the API is over the budget.');
  return lines;
}

export async function runInit(args: CliArgs): Promise<number> {
  const result = await initConfig({ spec: args.files[0], configPath: args.config });
  printDiagnostics(args, result.diagnostics);
  const { plan, suggestion } = result;
  if (args.json) {
    io.out(
      JSON.stringify(
        {
          ok: result.ok,
          config: result.configPath,
          diagnostics: result.diagnostics,
          ...(plan ? { server: { name: plan.name, tools: plan.tools.length, resources: plan.resources.length, resourceTemplates: plan.resourceTemplates.length, prompts: plan.prompts.length, budget: plan.budget, discovery: plan.discovery } } : {}),
          ...(suggestion ? { suggestion } : {}),
        },
        null,
        2,
      ),
    );
  }
  if (!result.ok || !plan) {
    if (!args.json) io.err('mcpgen init: nothing was written.');
    return 1;
  }
  if (!args.json && !args.quiet) {
    const where = relative(process.cwd(), result.configPath!) || result.configPath!;
    io.out(`Wrote ${where}: server "${plan.name}" from ${plan.specFile}, output generated/${plan.name}.`);
    io.out(`The server would offer ${offerLines(plan)[0]}.`);
    for (const line of offerLines(plan).slice(1)) io.out(`  ${line}`);
    if (suggestion) for (const line of suggestionLines(suggestion)) io.out(line);
    io.out(`Next: mcpgen generate${where === 'mcpgen.config.json' ? '' : ` --config ${where}`}`);
  }
  return 0;
}
