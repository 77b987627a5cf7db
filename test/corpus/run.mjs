#!/usr/bin/env node
// npm run corpus -- [--subset ci|all] [--limit N] [--jobs 2] [--with-swagger2] [--with-large] [--report FILE] [files…]
// For each spec: generate, type-check (build), start + tools/list with the real SDK client,
// check the published schemas, and call a sample of tools against Prism --errors.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runSpec, STAGES } from './lib/pipeline.mjs';
import { killAll } from './lib/proc.mjs';
import { failureGroups, printFailures, stageTable } from './lib/report.mjs';
import { resolveSpecs } from './lib/specs.mjs';
import { findCorpus } from '../support/corpus-root.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    subset: { type: 'string', default: 'all' },
    limit: { type: 'string' },
    jobs: { type: 'string', default: '2' },
    'with-swagger2': { type: 'boolean', default: false },
    'with-large': { type: 'boolean', default: false },
    report: { type: 'string', default: join(here, 'report.json') },
    corpus: { type: 'string', default: findCorpus(repoRoot) ?? resolve(repoRoot, '..', 'shared', 'corpus') },
    quiet: { type: 'boolean', default: false },
    // another mcpgen entry point (e.g. a snapshot of a commit) instead of this repo's bin/mcpgen.js
    mcpgen: { type: 'string', default: join(repoRoot, 'bin', 'mcpgen.js') },
  },
});
if (!['all', 'ci'].includes(values.subset)) throw new Error(`--subset must be ci or all, not ${values.subset}`);

const workRoot = join(here, '.work');
mkdirSync(workRoot, { recursive: true });
const specs = resolveSpecs({
  repoRoot,
  corpusRoot: resolve(values.corpus),
  workRoot,
  files: positionals,
  subset: values.subset,
  limit: values.limit ? Number(values.limit) : undefined,
  withSwagger2: values['with-swagger2'],
  withLarge: values['with-large'],
});
const jobs = Math.max(1, Number(values.jobs) || 2);
const log = values.quiet ? () => {} : (id, what) => process.stderr.write(`  ${id}: ${what}\n`);
const started = Date.now();
process.stderr.write(`corpus: ${specs.length} specs, ${jobs} jobs\n`);

const results = new Array(specs.length);
let next = 0;
let done = 0;
async function worker() {
  while (next < specs.length) {
    const i = next++;
    const spec = specs[i];
    try {
      results[i] = await runSpec(spec, { repoRoot, mcpgen: resolve(values.mcpgen), log });
    } catch (error) {
      results[i] = { id: spec.id, source: spec.source, stages: Object.fromEntries(STAGES.map((s) => [s, 'not-run'])), failedStage: 'generated', errors: [{ code: 'HARNESS_ERROR', message: String(error?.stack ?? error).split('\n')[0] }], harnessError: String(error?.stack ?? error) };
      results[i].stages.generated = 'fail';
    }
    done++;
    const r = results[i];
    // per-spec detail as soon as it is known, so a long run can be read while it goes on
    mkdirSync(spec.dir, { recursive: true });
    writeFileSync(join(spec.dir, 'result.json'), JSON.stringify(r, null, 2) + '\n');
    const verdict = r.failedStage ? `FAIL at ${r.failedStage}: ${String(r.errors?.[0]?.message ?? '').slice(0, 160)}` : `ok (${r.listedTools} tools, ${(r.calls ?? []).length} calls${r.stages.callsAccepted === 'skip' ? ', calls skipped' : ''})`;
    process.stderr.write(`[${done}/${specs.length}] ${r.id} ${verdict} ${Math.round((r.ms ?? 0) / 1000)}s\n`);
  }
}
await Promise.all(Array.from({ length: Math.min(jobs, specs.length) }, worker));
killAll();

const table = stageTable(results);
const failures = printFailures(results);
process.stdout.write(`\n${table}\n\nFailures grouped by cause (first error line):\n${failures}\n`);
const report = {
  startedAt: new Date(started).toISOString(),
  durationMs: Date.now() - started,
  options: { mcpgen: resolve(values.mcpgen), subset: values.subset, limit: values.limit, jobs, withSwagger2: values['with-swagger2'], files: positionals },
  totals: Object.fromEntries(STAGES.map((s) => [s, Object.fromEntries(['pass', 'fail', 'skip', 'not-run'].map((k) => [k, results.filter((r) => r.stages[s] === k).length]))])),
  failureGroups: failureGroups(results),
  specs: results,
};
mkdirSync(dirname(resolve(values.report)), { recursive: true });
writeFileSync(resolve(values.report), JSON.stringify(report, null, 2) + '\n');
process.stdout.write(`\nReport: ${resolve(values.report)} (${Math.round((Date.now() - started) / 1000)} s)\n`);
process.exitCode = results.every((r) => !r.failedStage) ? 0 : 1;
