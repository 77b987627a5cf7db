// The search evaluation: builds each large spec's plan with the compiled compiler (dist/), runs
// every task of bench/search-eval/tasks.json (tuned on) and held-out.json (never tuned on) through the generated servers' own search code
// (templates/runtime/protocol/search.ts, transpiled), and measures recall@1, recall@5 and latency.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { materialize } from './specs.mjs';

/** templates/runtime/protocol/search.ts as an ES module (it imports nothing, so transpiling is enough). */
export async function loadRuntimeSearch(root, work) {
  const source = readFileSync(join(root, 'templates', 'runtime', 'protocol', 'search''), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } });
  mkdirSync(work, { recursive: true });
  const file = join(work, 'search-runtime.mjs');
  writeFileSync(file, outputText);
  return import(pathToFileURL(file).href);
}

/** The server plan of one spec, through the compiler's own stages (no emit, no type-check). */
export async function planSpec(root, file, name) {
  const dist = (p) => pathToFileURL(join(root, 'dist', p)).href;
  const { loadSpec } = await import(dist('load/load-spec.js'));
  const { buildApiModel } = await import(dist('ir/build-model.js'));
  const { buildServerPlan } = await import(dist('plan/build-plan.js'));
  const { serverConfigSchema } = await import(dist('config/schema.js'));
  const loaded = await loadSpec({ path: file, display: file, allowRemote: false });
  if (!loaded.spec) throw new Error(`cannot load ${file}`);
  const { model } = buildApiModel(loaded.spec);
  const config = serverConfigSchema.parse({ name, spec: file, output: 'out' });
  const server = { ...config, specPath: file, outputPath: 'out', specDisplay: file, promptSources: new Map() };
  return buildServerPlan({ model, server, serverIndex: 0, configFile: 'mcpgen.config.json' }).plan;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * The search documents and the index of one spec. With `reuse`, documents saved by an earlier
 * run are indexed again (seconds instead of a minute): for tuning the index, not the plan.
 */
async function specIndex(root, work, key, file, reuse) {
  const { buildSearchIndex, searchDocument } = await import(pathToFileURL(join(root, 'dist', 'plan', 'search-index.js')).href);
  const saved = join(work, `search-docs-${key}.json`);
  if (reuse && existsSync(saved)) {
    const { docs, operationIds } = JSON.parse(readFileSync(saved, 'utf8'));
    return { index: buildSearchIndex(docs), operationIds: new Map(operationIds) };
  }
  const plan = await planSpec(root, file, key);
  const docs = plan.tools.map(searchDocument);
  const operationIds = plan.tools.map((t) => [t.definition.name, t.definition.operation.operationId]);
  writeFileSync(saved, JSON.stringify({ docs, operationIds }));
  return { index: plan.searchIndex, operationIds: new Map(operationIds) };
}

/** The two task sets: tasks.json (tuned on) and held-out.json (never tuned on). */
const SETS = [
  { set: 'tuning', file: 'tasks.json' },
  { set: 'heldOut', file: 'held-out.json' },
];

function readTasks(root) {
  const specs = {};
  const tasks = [];
  for (const { set, file } of SETS) {
    const data = JSON.parse(readFileSync(join(root, 'bench', 'search-eval', file), 'utf8'));
    Object.assign(specs, data.specs);
    for (const task of data.tasks) tasks.push({ ...task, set });
  }
  return { specs, tasks };
}

function recall(ranks) {
  return { tasks: ranks.length, recall1: ranks.filter((r) => r === 0).length / Math.max(1, ranks.length), recall5: ranks.filter((r) => r >= 0).length / Math.max(1, ranks.length) };
}

/**
 * Runs the evaluation; `log` gets one line per miss when `verbose`. Returns recall on the
 * tuning set, on the held-out set and on both, and per spec (with search latency).
 */
export async function evaluateSearch({ root, work, log = () => {}, verbose = false, reuse = false }) {
  const { tasks, specs: files } = readTasks(root);
  const { ToolSearch } = await loadRuntimeSearch(root, work);
  const perSpec = [];
  const ranks = { tuning: [], heldOut: [] };
  for (const [key, corpus] of Object.entries(files)) {
    const [spec] = materialize([{ key, name: key, corpus }], { root, work });
    log(`indexing ${key}…`);
    const { index, operationIds: opOf } = await specIndex(root, work, key, spec.file, reuse);
    const search = new ToolSearch(JSON.parse(JSON.stringify(index)));
    const mine = tasks.filter((t) => t.spec === key);
    const specRanks = [];
    const times = [];
    for (const task of mine) {
      const start = process.hrtime.bigint();
      const hits = search.search(task.query, 5, () => true);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      const ops = hits.map((h) => opOf.get(h.name));
      const rank = ops.findIndex((op) => task.expect.includes(op));
      specRanks.push(rank);
      ranks[task.set].push(rank);
      if (verbose && rank !== 0) log(`  ${rank < 0 ? 'MISS' : `@${rank + 1}  `} ${task.set === 'heldOut' ? '[held out] ' : ''}${key}: "${task.query}" → ${ops.join(', ')} (want ${task.expect.join(' | ')})`);
    }
    times.sort((a, b) => a - b);
    perSpec.push({ spec: key, tools: index.names.length, ...recall(specRanks), p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) });
  }
  return { tuning: recall(ranks.tuning), heldOut: recall(ranks.heldOut), combined: recall([...ranks.tuning, ...ranks.heldOut]), perSpec };
}
