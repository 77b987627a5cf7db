// One spec, both generators, every stage. Runs alternate (mcpgen, peer, mcpgen, peer, …);
// a failed stage records the first line of its error and the run goes on.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { benchDiscovery } from './discovery.mjs';
import { firstErrorLine, median } from './measure.mjs';
import { listingBreakdown } from './listing.mjs';
import { coldStart, connectStdio, directFetch, httpLoad, latencies, startHttpServer, summarize, toolCaller, toolsCallBody } from './mcp.mjs';

const errorOf = (e) => firstErrorLine(e instanceof Error ? e.message : e);

/** Median seconds/peak of the runs that ran (failed ones too: a failing tsc still costs time); ok only when every run passed. */
function aggregate(runs) {
  const ran = runs.filter((r) => !r.skipped);
  const failed = runs.find((r) => !r.ok && !r.skipped);
  return {
    ok: runs.length > 0 && runs.every((r) => r.ok),
    ran: ran.length > 0,
    seconds: median(ran.map((r) => r.seconds)),
    peakMb: median(ran.map((r) => r.peakMb)),
    error: failed?.error ?? runs.find((r) => r.skipped)?.error ?? null,
    runs: runs.map(({ ok, seconds, peakMb, error }) => ({ ok, seconds, peakMb, error })),
  };
}

const CALL_BLOCKS = 8;

/**
 * About `calls` sequential calls of each runner ({ fn, ms: [] }), after a warm-up, in blocks
 * taken in turn so a noisy moment hits every runner alike. Latencies go to `ms`; a runner
 * that throws stops and keeps its first error in `error`.
 */
async function interleaved(runners, calls) {
  const perBlock = Math.ceil(calls / CALL_BLOCKS);
  for (const x of runners) await latencies(x.fn, 100).catch(() => undefined); // warm-up
  for (let b = 0; b < CALL_BLOCKS; b++) {
    for (const x of runners) {
      if (x.error) continue;
      try {
        x.ms.push(...(await latencies(x.fn, perBlock)));
      } catch (e) {
        x.error = errorOf(e);
      }
    }
  }
}

export async function benchSpec(spec, sides, opts) {
  const log = (msg) => opts.log(`[${spec.key}] ${msg}`);
  const dir = join(opts.work, spec.key);
  const ctx = Object.fromEntries(sides.map((s) => [s.name, s.prepare(spec, dir)]));
  const result = Object.fromEntries(sides.map((s) => [s.name, {}]));
  const reps = opts.quick ? 1 : (spec.reps ?? opts.reps);
  const limit = spec.key === 'graph' ? 1_800_000 : 900_000;

  // 1 + 2. generation, then the build of that output, alternating.
  const gen = Object.fromEntries(sides.map((s) => [s.name, []]));
  const build = Object.fromEntries(sides.map((s) => [s.name, []]));
  for (let i = 0; i < reps; i++) {
    for (const side of sides) {
      log(`${side.name}: generate ${i + 1}/${reps}`);
      const g = await side.generate(ctx[side.name], limit);
      gen[side.name].push(g);
      if (!g.ok) {
        build[side.name].push({ ok: false, skipped: true, error: 'skipped: generation failed' });
        continue;
      }
      if (side.ensureRuntime && !opts.peerRuntime) {
        opts.peerRuntime = await side.ensureRuntime(spec);
        log(`${side.name}: dependencies installed (${opts.peerRuntime.cached ? 'cached' : `${opts.peerRuntime.seconds}s`})`);
      }
      log(`${side.name}: build ${i + 1}/${reps}`);
      build[side.name].push(await side.build(ctx[side.name], limit));
    }
  }
  for (const side of sides) {
    result[side.name].generate = aggregate(gen[side.name]);
    result[side.name].build = aggregate(build[side.name]);
    const pairs = gen[side.name].map((g, i) => (g.ok && build[side.name][i].ok ? g.seconds + build[side.name][i].seconds : null));
    result[side.name].generateAndBuild = { seconds: median(pairs), peakMb: Math.max(result[side.name].generate.peakMb ?? 0, result[side.name].build.peakMb ?? 0) || null };
  }

  // 2b. plain `tsc --noEmit` over each output (once, full runs only).
  if (!opts.quick) {
    for (const side of sides) {
      if (!result[side.name].generate.ok) continue;
      log(`${side.name}: tsc --noEmit`);
      result[side.name].noEmit = aggregate([await side.noEmit(ctx[side.name], limit)]);
    }
  }

  // 3. stdio cold start to tools/list.
  const runnable = sides.filter((s) => s.hasServer(ctx[s.name]));
  for (const side of sides) if (!runnable.includes(side)) result[side.name].stdio = { error: 'no built server' };
  const upstream = opts.upstream.url;
  const cold = Object.fromEntries(runnable.map((s) => [s.name, []]));
  const coldReps = opts.quick ? 3 : reps === 1 ? 3 : 5;
  for (let i = 0; i < coldReps; i++) {
    for (const side of runnable) {
      if (cold[side.name].error) continue;
      log(`${side.name}: stdio cold start ${i + 1}/${coldReps}`);
      try {
        const c = await coldStart(side.stdio(ctx[side.name], upstream), { timeoutMs: 180_000 });
        cold[side.name].push(c.coldMs);
        const n = c.tools.length;
        result[side.name].stdio = { tools: n, pages: c.pages, bytes: c.bytes, tokens: Math.round(c.bytes / 4), bytesPerTool: n ? Math.round(c.bytes / n) : null, tokensPerTool: n ? Math.round(c.bytes / 4 / n) : null, ...listingBreakdown(c.tools) };
        result[side.name].toolList = c.tools;
      } catch (e) {
        cold[side.name].error = errorOf(e);
      }
    }
  }
  for (const side of runnable) {
    const r = result[side.name];
    r.stdio = cold[side.name].error && !cold[side.name].length ? { error: cold[side.name].error } : { ...r.stdio, coldMs: median(cold[side.name]), runsMs: cold[side.name] };
  }

  // 3b. discovery mode (mcpgen only): listing tokens in both modes, cold start, search latency.
  for (const side of runnable) {
    const stdio = side.stdio(ctx[side.name], upstream);
    if (!existsSync(join(stdio.cwd, 'data', 'search.json'))) continue;
    log(`${side.name}: discovery mode`);
    try {
      result[side.name].discovery = await benchDiscovery({ root: dirname(dirname(opts.work)), work: opts.work, stdio, reps: opts.quick || reps === 1 ? 1 : 3 });
    } catch (e) {
      result[side.name].discovery = { error: errorOf(e) };
    }
  }

  // 4. tools/call overhead over a direct fetch, interleaved in blocks.
  const [method, path] = spec.call;
  const callers = [];
  for (const side of runnable) {
    const r = result[side.name];
    if (!r.toolList) { r.call = { error: r.stdio?.error ?? 'no tools/list' }; continue; }
    const name = side.findTool(r.toolList, method, path, ctx[side.name]);
    delete r.toolList;
    if (!name) { r.call = { error: `no tool for ${method} ${path}` }; continue; }
    r.call = { tool: name };
    try {
      const c = await connectStdio(side.stdio(ctx[side.name], upstream), { timeoutMs: 180_000 });
      const fn = toolCaller(c.client, name);
      await fn();
      callers.push({ side, c, fn, ms: [] });
    } catch (e) {
      r.call.error = errorOf(e);
    }
  }
  for (const side of runnable) delete result[side.name].toolList;
  const baseline = { fn: directFetch(`${upstream}${path}`), ms: [] };
  log(`tools/call: ${CALL_BLOCKS} x ${Math.ceil(opts.calls / CALL_BLOCKS)} calls per side, interleaved with direct fetch`);
  await interleaved([baseline, ...callers], opts.calls);
  const direct = summarize(baseline.ms);
  for (const x of callers) {
    const s = summarize(x.ms);
    result[x.side.name].call = x.error
      ? { ...result[x.side.name].call, error: x.error }
      : { ...result[x.side.name].call, ...s, overheadMedian: s.median - direct.median, overheadP99: s.p99 - direct.p99 };
    await x.c.close();
  }

  // 5. Streamable HTTP throughput.
  const servers = [];
  for (const side of runnable) {
    const r = result[side.name];
    if (!r.call?.tool) { r.http = { error: r.call?.error ?? 'no tool' }; continue; }
    try {
      if (side.prepareHttp) {
        log(`${side.name}: generate + build the streamable-http variant (untimed)`);
        const p = await side.prepareHttp(ctx[side.name], limit);
        if (!p.ok) throw new Error(p.error);
      }
      const h = await startHttpServer({ ...side.http(ctx[side.name], upstream), logFile: join(dir, `${side.name}-http.log`) });
      const headers = await side.httpSession(h.url);
      servers.push({ side, h, headers, body: toolsCallBody(r.call.tool), runs: [] });
    } catch (e) {
      r.http = { error: errorOf(e) };
    }
  }
  for (let i = 0; i < reps; i++) {
    for (const s of servers) {
      if (s.error) continue;
      log(`${s.side.name}: HTTP load ${i + 1}/${reps} (${opts.httpSeconds}s)`);
      try {
        s.runs.push(await httpLoad({ url: s.h.url, pid: s.h.pid, headers: s.headers, body: s.body, seconds: opts.httpSeconds }));
      } catch (e) {
        s.error = errorOf(e);
      }
    }
  }
  for (const s of servers) {
    await s.h.close();
    result[s.side.name].http = s.runs.length
      ? { rps: median(s.runs.map((r) => r.rps)), rssMb: s.runs.at(-1).rssMb, non2xx: s.runs.reduce((a, r) => a + r.non2xx, 0), errors: s.runs.reduce((a, r) => a + r.errors, 0), runs: s.runs, error: s.error ?? null }
      : { error: s.error };
  }

  return { key: spec.key, operations: spec.operations ?? null, reps, direct, sides: result };
}

/**
 * bench/lib/floor-server.mjs (the SDK alone): spawn → tools/list, median of `reps`, and the
 * overhead of its bare `fetch` tool over a direct fetch of the same URL, measured like a spec's.
 */
export async function sdkFloor(opts) {
  const script = new URL('./floor-server.mjs', import.meta.url).pathname;
  const target = `${opts.upstream.url}/floor`;
  const server = { script, cwd: process.cwd(), env: { FLOOR_URL: target } };
  const ms = [];
  for (let i = 0; i < (opts.quick ? 5 : 11); i++) ms.push((await coldStart(server)).coldMs);
  const c = await connectStdio(server);
  try {
    const tool = { fn: toolCaller(c.client, 'fetch'), ms: [] };
    const direct = { fn: directFetch(target), ms: [] };
    await interleaved([direct, tool], opts.calls);
    const failed = direct.error ?? tool.error;
    if (failed) throw new Error(`SDK floor: ${failed}`);
    const d = summarize(direct.ms);
    const t = summarize(tool.ms);
    const floor = { coldMs: median(ms), runsMs: ms, callOverheadMedian: t.median - d.median, callOverheadP99: t.p99 - d.p99 };
    opts.log(`SDK floor: cold start ${floor.coldMs.toFixed(0)} ms, tools/call overhead ${floor.callOverheadMedian.toFixed(3)} ms`);
    return floor;
  } finally {
    await c.close();
  }
}
