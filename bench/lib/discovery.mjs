// Discovery-mode rows of the benchmark, for one built mcpgen server: tokens (o200k) of the
// first tools/list with every tool and in discovery mode, cold start (spawn → tools/list) in
// both modes, and search_tools latency over the server's own index (in process, so it is the
// search alone, not the transport).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { coldStart } from './mcp.mjs';
import { median, percentile } from './measure.mjs';
import { loadRuntimeSearch } from './search-eval.mjs';

/** Requests of the kind agents send: the evaluation's queries plus generic ones that hit many tools. */
function queries(root) {
  const tasks = ['tasks.json', 'held-out.json'].flatMap((file) => JSON.parse(readFileSync(join(root, 'bench', 'search-eval', file), 'utf8')).tasks);
  return [...tasks.map((t) => t.query), 'list', 'get user', 'create a new item', 'delete', 'update settings of a group', 'send an email message to someone', 'list all files in a folder'];
}

export async function benchDiscovery({ root, work, stdio, reps = 3, searches = 2000 }) {
  const modes = {};
  for (const mode of ['off', 'on']) {
    const env = { ...stdio.env, MCPGEN_DISCOVERY: mode };
    const runs = [];
    for (let i = 0; i < reps; i++) runs.push(await coldStart({ ...stdio, env }, { timeoutMs: 600_000 }));
    const tools = runs[0].tools;
    modes[mode] = { tools: tools.length, tokens: countTokens(JSON.stringify({ tools })), coldMs: median(runs.map((r) => r.coldMs)) };
  }
  const { ToolSearch } = await loadRuntimeSearch(root, work);
  const loadStarted = performance.now();
  const search = new ToolSearch(JSON.parse(readFileSync(join(stdio.cwd, 'data', 'search.json'), 'utf8')));
  const loadMs = performance.now() - loadStarted;
  const list = queries(root);
  const all = () => true;
  for (let i = 0; i < 200; i++) search.search(list[i % list.length], 10, all);
  const times = [];
  for (let i = 0; i < searches; i++) {
    const started = process.hrtime.bigint();
    search.search(list[i % list.length], 10, all);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { all: modes.off, discovery: modes.on, startupDeltaMs: modes.on.coldMs - modes.off.coldMs, indexLoadMs: loadMs, searchP50Ms: percentile(times, 50), searchP99Ms: percentile(times, 99), searches };
}
