// What logging and metrics cost a generated HTTP server: the ledger example served twice from
// one build, with the defaults (LOG_LEVEL=info: two JSON lines per tools/call, written to a file;
// /metrics on) and with both off (LOG_LEVEL=silent, MCPGEN_METRICS=off), loaded alternately in
// the same run so both see the same machine state. Returns medians and the on/off ratios.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { Counter, Histogram, Registry } from 'prom-client';
import { httpLoad, startHttpServer, toolsCallBody } from './mcp.mjs';
import { median } from './measure.mjs';

const OFF = { LOG_LEVEL: 'silent', MCPGEN_METRICS: 'off' };

/** `spec` is the ledger entry of SPECS (materialized); `mcpgen` the tool from mcpgen.mjs. */
export async function observabilityCost(spec, mcpgen, opts) {
  const log = (msg) => opts.log(`[observability] ${msg}`);
  const dir = join(opts.work, 'observability');
  const ctx = mcpgen.prepare(spec, dir);
  log('generate + build the ledger example');
  for (const step of [mcpgen.generate, mcpgen.build]) {
    const run = await step(ctx, 900_000);
    if (!run.ok) throw new Error(`observability bench: ${run.error}`);
  }
  const base = mcpgen.http(ctx, opts.upstream.url);
  const headers = await mcpgen.httpSession();
  const body = toolsCallBody('get_health');
  const sides = [];
  for (const [name, env] of [['on', {}], ['off', OFF]]) {
    const h = await startHttpServer({ ...base, env: { ...base.env, ...env }, logFile: join(dir, `http-${name}.log`) });
    sides.push({ name, h, runs: [] });
  }
  try {
    const reps = opts.quick ? 1 : opts.reps;
    for (let i = 0; i < reps; i++) {
      for (const side of i % 2 === 0 ? sides : [...sides].reverse()) {
        log(`logging+metrics ${side.name}: HTTP load ${i + 1}/${reps} (${opts.httpSeconds}s)`);
        const cpuBefore = cpuMs(side.h.pid);
        const run = await httpLoad({ url: side.h.url, pid: side.h.pid, headers, body, seconds: opts.httpSeconds });
        // CPU the server spent per request: robust to a busy machine, where throughput is not.
        side.runs.push({ ...run, cpuMsPerRequest: (cpuMs(side.h.pid) - cpuBefore) / (run.rps * opts.httpSeconds + 1) });
      }
    }
  } finally {
    for (const side of sides) await side.h.close();
  }
  const summary = Object.fromEntries(
    sides.map((s) => [
      s.name,
      { rps: median(s.runs.map((r) => r.rps)), cpuMsPerRequest: median(s.runs.map((r) => r.cpuMsPerRequest)), p99Ms: median(s.runs.map((r) => r.p99Ms)), rssMb: Math.max(...s.runs.map((r) => r.rssMb ?? 0)) || null, non2xx: s.runs.reduce((a, r) => a + r.non2xx, 0), errors: s.runs.reduce((a, r) => a + r.errors, 0), runs: s.runs },
    ]),
  );
  return { ...summary, perRequestUs: perRequestWork(), throughputCost: 1 - summary.on.rps / summary.off.rps, p99Ratio: summary.on.p99Ms / summary.off.p99Ms, cpuCost: summary.on.cpuMsPerRequest / summary.off.cpuMsPerRequest - 1 };
}

/**
 * The work logging and metrics add to one tools/call, timed in process (microseconds): two
 * JSON lines (request and upstream attempt) written synchronously to /dev/null as to a log
 * file, and the counter and histograms the request and its attempt update. On a busy shared
 * machine this is steadier than the end-to-end difference.
 */
function perRequestWork(n = 20_000) {
  const log = pino({ level: 'info', base: { server: 'bench' }, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } }, pino.destination({ dest: '/dev/null', sync: true }));
  const registers = [new Registry()];
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
  const requests = new Counter({ name: 'r', help: 'r', labelNames: ['method', 'tool', 'outcome'], registers });
  const requestSeconds = new Histogram({ name: 'rs', help: 'rs', labelNames: ['method', 'tool', 'outcome'], buckets, registers });
  const upstream = new Counter({ name: 'u', help: 'u', labelNames: ['origin', 'method', 'status'], registers });
  const upstreamSeconds = new Histogram({ name: 'us', help: 'us', labelNames: ['origin', 'method'], buckets, registers });
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    log.info({ event: 'upstream_request', method: 'GET', url: 'http://127.0.0.1:8080/health', attempt: 1, spanId: '00f067aa0ba902b7', status: 200, ms: 0.8, traceId }, 'upstream request');
    upstreamSeconds.observe({ origin: 'http://127.0.0.1:8080', method: 'GET' }, 0.0008);
    upstream.inc({ origin: 'http://127.0.0.1:8080', method: 'GET', status: '200' });
    const labels = { method: 'tools/call', tool: 'get_health', outcome: 'ok' };
    requests.inc(labels);
    requestSeconds.observe(labels, 0.0012);
    log.info({ event: 'mcp_request', method: 'tools/call', tool: 'get_health', outcome: 'ok', ms: 1.2, requestId: i, traceId, spanId: 'b7ad6b7169203331' }, 'mcp request');
  }
  return ((performance.now() - started) * 1000) / n;
}

/** User + system CPU time of a process so far, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** One line for the bench's notes. */
export function describeObservability(o) {
  const pct = (x) => `${(100 * x).toFixed(1)}%`;
  return `logging+metrics (ledger, HTTP tools/call, 10 connections, alternating on/off in one run): on ${o.on.rps.toFixed(0)} req/s, p99 ${o.on.p99Ms} ms, RSS ${o.on.rssMb?.toFixed(0)} MB; off ${o.off.rps.toFixed(0)} req/s, p99 ${o.off.p99Ms} ms, RSS ${o.off.rssMb?.toFixed(0)} MB; throughput cost ${pct(o.throughputCost)} (target < 10%), p99 on/off ${o.p99Ratio.toFixed(2)}; server CPU per request on ${o.on.cpuMsPerRequest.toFixed(2)} ms vs off ${o.off.cpuMsPerRequest.toFixed(2)} ms (${pct(o.cpuCost)}); the logging+metrics work itself ${o.perRequestUs.toFixed(0)} µs per tools/call in process (${pct(o.perRequestUs / 1000 / o.off.cpuMsPerRequest)} of the off CPU per request); non-2xx ${o.on.non2xx + o.off.non2xx}, errors ${o.on.errors + o.off.errors}.`;
}
