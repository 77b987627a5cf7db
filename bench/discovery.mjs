#!/usr/bin/env node
// `npm run bench:discovery [-- --only github,graph] [--reuse] [--description-budget 200]`: discovery
// mode on the large specs. For each: tokens of the first tools/list (all tools vs discovery), cold
// start in both modes, search latency p50/p99; for GitHub and Stripe the full listing's tokens with
// a descriptionBudget; then recall@1/@5 of the search evaluation. Servers are generated and
// built into bench/.work/discovery/<spec>/ (--reuse keeps built ones).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchDescriptionBudget } from './lib/description-budget.mjs';
import { benchDiscovery } from './lib/discovery.mjs';
import { mcpgenTool } from './lib/mcpgen.mjs';
import { evaluateSearch } from './lib/search-eval.mjs';
import { SPECS, materialize } from './lib/specs.mjs';

const bench = dirname(fileURLToPath(import.meta.url));
const root = dirname(bench);
const work = join(bench, '.work');
const { values: args } = parseArgs({ options: { only: { type: 'string' }, reuse: { type: 'boolean', default: false }, 'description-budget': { type: 'string', default: '200' } } });
const log = (line) => process.stderr.write(`${line}\n`);
const only = args.only?.split(',') ?? ['github', 'stripe', 'kubernetes', 'graph'];
const mcpgen = mcpgenTool(root);
const compiled = await mcpgen.compile();
if (!compiled.ok) throw new Error(`mcpgen compile failed: ${compiled.error}`);
const rows = [];
const budgetRows = [];
for (const spec of materialize(SPECS.filter((s) => only.includes(s.key)), { root, work })) {
  const ctx = mcpgen.prepare(spec, join(work, 'discovery', spec.key));
  if (!args.reuse || !mcpgen.hasServer(ctx)) {
    log(`${spec.key}: generate + build…`);
    for (const step of [mcpgen.generate, mcpgen.build]) {
      const result = await step(ctx, 1_800_000);
      if (!result.ok) throw new Error(`${spec.key}: ${result.error}`);
    }
  }
  if (['github', 'stripe'].includes(spec.key)) {
    log(`${spec.key}: description budget…`);
    budgetRows.push({ spec: spec.key, ...(await benchDescriptionBudget({ root, spec, dir: join(work, 'discovery', spec.key), budget: Number(args['description-budget']) })) });
  }
  log(`${spec.key}: measuring…`);
  rows.push({ spec: spec.key, ...(await benchDiscovery({ root, work, stdio: mcpgen.stdio(ctx, 'http://127.0.0.1:9'), reps: spec.reps ?? 3 })) });
}
const n = (x) => new Intl.NumberFormat('en-US').format(Math.round(x));
console.log('| spec | tools | tools/list tokens, all | tools/list tokens, discovery | cold start all / discovery (ms) | index load (ms) | search p50 / p99 (ms) |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.spec} | ${n(r.all.tools)} | ${n(r.all.tokens)} | ${n(r.discovery.tokens)} (${r.discovery.tools} tools) | ${r.all.coldMs.toFixed(0)} / ${r.discovery.coldMs.toFixed(0)} | ${r.indexLoadMs.toFixed(1)} | ${r.searchP50Ms.toFixed(3)} / ${r.searchP99Ms.toFixed(3)} |`);
}
if (budgetRows.length > 0) {
  console.log('\n| spec | tools | tools/list tokens, full descriptions | with descriptionBudget | descriptions shortened | saved |');
  console.log('|---|---|---|---|---|---|');
  for (const r of budgetRows) {
    console.log(`| ${r.spec} | ${n(r.tools)} | ${n(r.fullTokens)} | ${n(r.budgetTokens)} (${r.budget} characters) | ${n(r.shortened)} | ${(100 * (1 - r.budgetTokens / r.fullTokens)).toFixed(1)}% |`);
  }
}
if (existsSync(join(root, 'dist'))) {
  const recall = await evaluateSearch({ root, work, log });
  const pct = (x) => `${(100 * x).toFixed(1)}%`;
  console.log(`\nsearch evaluation: held out (${recall.heldOut.tasks} tasks, never tuned on): recall@1 ${pct(recall.heldOut.recall1)}, recall@5 ${pct(recall.heldOut.recall5)}; tuning set (${recall.tuning.tasks}): recall@1 ${pct(recall.tuning.recall1)}, recall@5 ${pct(recall.tuning.recall5)}`);
}
