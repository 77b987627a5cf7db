#!/usr/bin/env node
// `npm run search-eval [-- --verbose] [--reuse]`: recall@1 and recall@5 of search_tools on the hand-written
// tasks in bench/search-eval/tasks.json (tuning) and held-out.json (never tuned on), over GitHub, Stripe,
// Kubernetes and Microsoft Graph. Needs `npm run compile`.
// --reuse indexes the search documents a previous run saved, to tune the index quickly.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { evaluateSearch } from './lib/search-eval.mjs';

const bench = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { verbose: { type: 'boolean', default: false }, reuse: { type: 'boolean', default: false } } });
const log = (line) => process.stderr.write(`${line}\n`);
const result = await evaluateSearch({ root: dirname(bench), work: join(bench, '.work'), log, verbose: values.verbose, reuse: values.reuse });
const pct = (x) => `${(100 * x).toFixed(1)}%`;
for (const s of result.perSpec) {
  console.log(`${s.spec.padEnd(11)} ${String(s.tools).padStart(5)} tools  ${String(s.tasks).padStart(3)} tasks  recall@1 ${pct(s.recall1).padStart(6)}  recall@5 ${pct(s.recall5).padStart(6)}  search p50 ${s.p50Ms.toFixed(3)} ms  p99 ${s.p99Ms.toFixed(3)} ms`);
}
const row = (label, r, note = '') => console.log(`${label.padEnd(11)} ${String(r.tasks).padStart(15)} tasks  recall@1 ${pct(r.recall1).padStart(6)}  recall@5 ${pct(r.recall5).padStart(6)}${note}`);
row('tuning', result.tuning, '  (tasks.json: the ranking was tuned on these)');
row('held out', result.heldOut, '  (held-out.json: never tuned on; the honest number)');
row('combined', result.combined);
