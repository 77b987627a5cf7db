#!/usr/bin/env node
// `npm run bench [-- --quick] [--only github,stripe] [--reps 3] [--calls 2000] [--mcpgen DIR]`: mcpgen vs openapi-mcp-generator, side by side.
// Prints one table and writes bench/report.json; scratch output goes to bench/.work/.
import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mcpgenTool } from './lib/mcpgen.mjs';
import { peerTool } from './lib/peer.mjs';
import { SPECS, materialize } from './lib/specs.mjs';
import { describeObservability, observabilityCost } from './lib/observability.mjs';
import { benchSpec, sdkFloor } from './lib/suite.mjs';
import { bundleColdStart, renderBundleTable } from './lib/bundle-cold-start.mjs';
import { evaluateSearch } from './lib/search-eval.mjs';
import { renderTable } from './lib/table.mjs';
import { startUpstream } from './lib/upstream.mjs';

const bench = dirname(fileURLToPath(import.meta.url));
const root = dirname(bench);
const work = join(bench, '.work');
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    mcpgen: { type: 'string' },
    reps: { type: 'string', default: '3' },
    calls: { type: 'string', default: '2000' },
  },
});
const log = (msg) => process.stderr.write(`${msg}\n`);
mkdirSync(work, { recursive: true });

// --mcpgen DIR benchmarks another checkout of mcpgen (e.g. before/after a change); default: this repo.
const mcpgenRoot = args.mcpgen ? resolve(args.mcpgen) : root;
const mcpgen = mcpgenTool(mcpgenRoot);
const peer = peerTool(bench);
const setup = {};
log(`compiling mcpgen in ${mcpgenRoot} (tsc -p tsconfig.json)`);
setup.mcpgenCompile = await mcpgen.compile();
if (!setup.mcpgenCompile.ok) log(`mcpgen compile failed: ${setup.mcpgenCompile.error}`);
log('installing the peer into bench/peer (first run only)');
setup.peerInstall = await peer.ensureInstalled();
if (!setup.peerInstall.ok) throw new Error(`peer install failed: ${setup.peerInstall.error}`);

const only = args.only?.split(',');
const chosen = SPECS.filter((s) => (only ? only.includes(s.key) : !args.quick || s.quick));
const specs = materialize(chosen, { root, work });
const upstream = await startUpstream();
const opts = { work, log, quick: args.quick, reps: Number(args.reps), calls: Number(args.calls), httpSeconds: args.quick ? 3 : 10, upstream };

const report = {
  date: new Date().toISOString(),
  mode: args.quick ? 'quick' : 'full',
  machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, memGb: Math.round(totalmem() / 2 ** 30) },
  peer: { name: peer.name, version: peer.version() },
  mcpgenRoot,
  setup: { mcpgenCompile: { ok: setup.mcpgenCompile.ok, seconds: setup.mcpgenCompile.seconds, error: setup.mcpgenCompile.error } },
  specs: [],
};
const reportFile = join(bench, 'report.json');
try {
  report.sdkFloor = await sdkFloor(opts);
  try {
    report.bundleColdStart = await bundleColdStart({ root: mcpgenRoot, work, log, quick: args.quick });
  } catch (error) {
    report.bundleColdStart = { error: error.message };
  }
  const ledger = materialize(SPECS.filter((s) => s.key === 'ledger'), { root, work })[0];
  report.observability = await observabilityCost(ledger, mcpgen, opts).catch((error) => ({ error: error.message }));
  for (const spec of specs) {
    report.specs.push(await benchSpec(spec, [mcpgen, peer], opts));
    report.peerRuntime = opts.peerRuntime ?? null;
    writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  }
} finally {
  await upstream.close();
}

const rt = report.peerRuntime;
const notes = [
  `mcpgen ${report.mode} run, ${report.machine.cpus} CPUs, Node ${report.machine.node}; peer ${report.peer.name}@${report.peer.version}; medians of alternating runs (generate/build: ${args.quick ? 1 : args.reps} reps, Graph 1).`,
  'mcpgen generate = load + validate + IR + plan + emit + Prettier + type-check of the spec-made files against the SDK and runtime declarations + write; mcpgen build = per-file transpile of that checked output (`build --typecheck` would check it again).',
  `SDK floor (bench/lib/floor-server.mjs: the SDK server with one bare fetch tool, nothing of mcpgen): spawn → tools/list ${report.sdkFloor.coldMs.toFixed(0)} ms median; tools/call overhead median ${report.sdkFloor.callOverheadMedian.toFixed(3)} ms, p99 ${report.sdkFloor.callOverheadP99.toFixed(3)} ms. No server on this SDK and transport does better.`,
  'tools/list core = name + description + inputSchema only (what both publish); description text = the tool and input-schema description strings alone, a floor for any listing that keeps them verbatim.',
  'peer generate = parse + string concatenation only: it skips formatting and any type-check; its build is its own `tsc -p tsconfig.json` (the `shx chmod` of `npm run build` is left out).',
  rt
    ? `peer output dependencies: installed once with \`npm install\` (${rt.cached ? 'earlier run' : 'this run'}: ${rt.seconds?.toFixed(1)} s, not counted in build) into bench/.work/peer-runtime and symlinked as node_modules into each output; SDK pinned to 1.24.3 (newer 1.x crashes its HTTP server, see lib/peer.mjs); ${Object.entries(rt.versions ?? {}).map(([k, v]) => `${k}@${v}`).join(', ')}.`
    : 'peer output dependencies: not installed (no successful peer generation).',
  'peer HTTP: a second generation with --transport streamable-http (stateful: one initialize, then its session id on every request); mcpgen HTTP: stateless, legacy era (mcp-protocol-version: 2025-11-25).',
  report.observability.error ? `logging+metrics cost: not measured (${report.observability.error})` : describeObservability(report.observability),
  `tools/call overhead = latency of SDK-client tools/call over stdio minus a direct fetch of the same upstream URL, ${opts.calls} calls each, interleaved in blocks.`,
];
try {
  const recall = await evaluateSearch({ root: mcpgenRoot, work, log });
  report.searchEval = recall;
  writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  const pct = (x) => `${(100 * x).toFixed(1)}%`;
  notes.push(`search_tools on bench/search-eval: held out (never tuned on, ${recall.heldOut.tasks} requests over GitHub, Stripe, Kubernetes, Graph): recall@1 ${pct(recall.heldOut.recall1)}, recall@5 ${pct(recall.heldOut.recall5)}; tuning set (${recall.tuning.tasks}): recall@1 ${pct(recall.tuning.recall1)}, recall@5 ${pct(recall.tuning.recall5)}.`);
} catch (error) {
  notes.push(`search evaluation failed: ${error.message}`);
}
const bundleTable = Array.isArray(report.bundleColdStart) ? renderBundleTable(report.bundleColdStart) : `bundled vs unbundled cold start failed: ${report.bundleColdStart?.error}`;
process.stdout.write(`\n${notes.map((n) => `- ${n}`).join('\n')}\n\n${renderTable(report, ['mcpgen', peer.name])}\n\n${bundleTable}\n\nreport: ${reportFile}\n`);
