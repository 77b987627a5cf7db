// Description-budget rows of the discovery bench: o200k tokens of the full tools/list with every
// description whole and with a descriptionBudget, as the compiler's budget report counts them
// (over exactly the JSON the server lists; test/unit/budget.test.ts), from the plan alone.
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PLACEHOLDER_BASE_URL } from './mcpgen.mjs';

/** Plans `spec` twice (no budget, then `budget` characters) and returns both listings' tokens. */
export async function benchDescriptionBudget({ root, spec, dir, budget }) {
  const { generate } = await import(pathToFileURL(join(root, 'dist', 'index.js')).href);
  const measure = async (extra) => {
    const configPath = join(dir, 'mcpgen.budget.config.json');
    writeFileSync(configPath, JSON.stringify({ servers: [{ name: spec.name, spec: relative(dir, spec.file), output: 'budget-out', baseUrl: PLACEHOLDER_BASE_URL, ...extra }] }));
    const result = await generate({ configPath, verify: false, dryRun: true });
    if (!result.ok) throw new Error(`${spec.key}: ${result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ')}`);
    return result.servers[0].plan.budget;
  };
  const full = await measure({});
  const short = await measure({ descriptionBudget: budget });
  return { tools: full.tools, fullTokens: full.listTokens, budgetTokens: short.listTokens, shortened: short.descriptions.shortened, budget };
}
