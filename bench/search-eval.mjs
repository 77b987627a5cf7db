#!/usr/bin/env node
// `npm run search-eval [-- --verbose] [--reuse]`: recall@1 and recall@5 of search_tools on the hand-written
// tasks in bench/search-eval/tasks.json (GitHub, Stripe, Kubernetes). Needs `npm run compile`.
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
console.log(`all         ${String(result.tasks).padStart(15)} tasks  recall@1 ${pct(result.recall1).padStart(6)}  recall@5 ${pct(result.recall5).padStart(6)}`);
console.log(`held out    ${String(result.heldOut.tasks).padStart(15)} tasks  recall@1 ${pct(result.heldOut.recall1).padStart(6)}  recall@5 ${pct(result.heldOut.recall5).padStart(6)}  (written after tuning, never tuned on)`);
