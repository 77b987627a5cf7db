// Scale-out, shown: three replicas of a generated dist/http.js on 127.0.0.1 behind a real nginx
// running the generated nginx.conf (pointed at them). Bounded load in both protocol eras, where
// each answer carries a value unique to its request; one replica is killed mid-load. Asserted:
// no answer reaches the wrong request, the only failures are requests nginx had handed to the
// killed replica before it died (counted from nginx's access log), and the load completes with
// every late call answered. Figures (throughput before and after the kill, RSS) are logged.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir } from '../cli/helpers.js';
import { ERAS, freePort, killAllSpawned, makeClient, rawRequest, startHttp, type HttpServerHandle } from '../support/mcp.js';
import { generateFixture, type GeneratedServer } from '../security/support/recording.js';
import { findNginx, localConfig, parseAccessLog, runNginx, type NginxProcess } from './nginx.js';

const CALLS = 600;
const CONCURRENCY = 16;
/** The replica is killed once this many calls have completed. */
const KILL_AFTER = 200;
/** Calls at the end of the run that must all succeed: load is back on the two replicas left. */
const TAIL = 150;
/** The echo upstream's delay, so that calls overlap and a replica has some in flight when it dies. */
const UPSTREAM_DELAY_MS = 15;
const CALL_TIMEOUT_MS = 15_000;

const nginx = findNginx();
if ('missing' in nginx) console.warn(`test/scale/nginx.test.ts skipped: ${nginx.missing}`);

interface Call {
  readonly index: number;
  readonly era: string;
  readonly value: string;
  readonly startMs: number;
  endMs?: number;
  answer?: string;
  error?: string;
}

/** An upstream answering GET /r<replica>/echo?value=… with that value, after a short delay. */
async function startEchoUpstream(): Promise<{ origin: string; perReplica: number[]; close: () => Promise<void> }> {
  const perReplica = [0, 0, 0];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://upstream');
    const replica = Number(/^\/r(\d)\/echo$/.exec(url.pathname)?.[1] ?? -1);
    if (replica < 0) return void res.writeHead(404).end();
    perReplica[replica]!++;
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: url.searchParams.get('value') })), UPSTREAM_DELAY_MS);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    perReplica,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

function rssMiB(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
}

describe.skipIf('missing' in nginx)('three replicas behind nginx', () => {
  let server: GeneratedServer;
  let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
  let replicas: HttpServerHandle[] = [];
  let proxy: NginxProcess | undefined;
  let prefix: string;
  let proxyPort: number;
  const clients: Client[] = [];

  beforeAll(async () => {
    server = generateFixture('notes.yaml', 'notes-api', { discovery: 'off', resources: { defaults: false } });
    upstream = await startEchoUpstream();
    replicas = await Promise.all([0, 1, 2].map((r) => startHttp(server.out, { NOTES_API_BASE_URL: `${upstream.origin}/r${r}` })));
    prefix = mkdtempSync(join(tmpdir(), 'mcpgen-nginx-'));
    proxyPort = await freePort();
    const config = localConfig(readFileSync(join(server.out, 'nginx.conf'), 'utf8'), prefix, proxyPort, replicas.map((r) => r.port));
    proxy = runNginx((nginx as { path: string }).path, prefix, config);
    for (let attempt = 0; ; attempt++) {
      const status = await rawRequest({ port: proxyPort, path: '/healthz', method: 'GET' }).then((r) => r.status, () => 0);
      if (status === 200) break;
      if (attempt >= 100 || proxy.process.exitCode !== null) throw new Error(`nginx did not answer /healthz (last status ${status}):\n${proxy.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 300_000);

  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => undefined);
    await proxy?.stop();
    await killAllSpawned();
    await upstream?.close();
    if (prefix) rmSync(prefix, { recursive: true, force: true });
    if (server) removeDir(server.dir);
  });

  it(`${CALLS} calls at concurrency ${CONCURRENCY} in both eras, one replica killed after ${KILL_AFTER}: no crossed answers, failures only among the killed replica's in-flight calls`, async () => {
    const mcpUrl = `http://127.0.0.1:${proxyPort}/mcp`;
    // Half the workers speak each era; each has its own SDK client through nginx.
    for (let w = 0; w < CONCURRENCY; w++) {
      const client = makeClient(ERAS[w % ERAS.length]!);
      await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)));
      clients.push(client);
    }
    const victim = replicas[1]!;
    const rssBefore = replicas.map((r) => rssMiB(r.process.pid));
    const calls: Call[] = [];
    let next = 0;
    let completed = 0;
    let killMs = 0;
    let deathMs = 0;
    let killed: Promise<void> | undefined;
    const started = Date.now();

    const worker = async (w: number): Promise<void> => {
      const client = clients[w]!;
      while (next < CALLS) {
        const index = next++;
        const call: Call = { index, era: ERAS[w % ERAS.length]!, value: `call-${index}-${Math.random().toString(36).slice(2)}`, startMs: Date.now() };
        calls.push(call);
        try {
          const result = await client.callTool({ name: 'echo', arguments: { value: call.value } }, { timeout: CALL_TIMEOUT_MS });
          call.answer = (result.structuredContent as { value?: string } | undefined)?.value ?? `(no structured value; isError ${String(result.isError)})`;
        } catch (error) {
          call.error = error instanceof Error ? error.message : String(error);
        }
        call.endMs = Date.now();
        completed++;
        if (completed === KILL_AFTER) {
          killMs = Date.now();
          const exit = once(victim.process, 'exit');
          victim.process.kill('SIGKILL');
          killed = exit.then(() => void (deathMs = Date.now()));
        }
      }
    };
    await Promise.all(clients.map((_, w) => worker(w)));
    await killed;
    const finished = Date.now();

    // Every answer is its own request's value; nothing crossed between requests or eras.
    const answered = calls.filter((c) => c.error === undefined);
    const crossed = answered.filter((c) => c.answer !== c.value);
    expect(crossed).toEqual([]);

    // Failures: only requests nginx had given the killed replica before it died, and never answered.
    const log = parseAccessLog(readFileSync(join(prefix, 'logs', 'access.log'), 'utf8')).filter((e) => e.method === 'POST');
    const inFlightOnVictim = log.filter((e) => e.upstreams[0] === victim.port && e.startMs <= deathMs + 1 && e.endMs >= killMs - 1);
    const failedInLog = log.filter((e) => e.status >= 500);
    const failed = calls.filter((c) => c.error !== undefined);
    expect(failedInLog.every((e) => e.upstreams.includes(victim.port))).toBe(true);
    expect(failed.length).toBe(failedInLog.length);
    expect(failed.length).toBeLessThanOrEqual(inFlightOnVictim.length);
    expect(failed.every((c) => c.startMs <= deathMs)).toBe(true);

    // Load went on: every call completed, and the last TAIL all succeeded on the two replicas left.
    expect(calls).toHaveLength(CALLS);
    const tail = [...calls].sort((a, b) => a.index - b.index).slice(-TAIL);
    expect(tail.filter((c) => c.error !== undefined)).toEqual([]);
    const afterDeath = log.filter((e) => e.startMs > deathMs);
    expect(afterDeath.length).toBeGreaterThan(0);
    expect(afterDeath.every((e) => e.status < 300 && e.upstreams.at(-1) !== victim.port)).toBe(true);

    // Both eras went through the proxy.
    for (const era of ERAS) expect(answered.filter((c) => c.era === era).length).toBeGreaterThan(0);

    const before = calls.filter((c) => c.endMs! <= killMs).length / ((killMs - started) / 1000);
    const afterCalls = calls.filter((c) => c.startMs > deathMs && c.error === undefined);
    const after = afterCalls.length / ((finished - deathMs) / 1000);
    const retried = log.filter((e) => e.upstreams.length > 1).length;
    const rssAfter = replicas.filter((r) => r !== victim).map((r) => rssMiB(r.process.pid));
    console.log(
      [
        `scale-out: ${CALLS} calls, concurrency ${CONCURRENCY} (${ERAS.join(' + ')}), upstream delay ${UPSTREAM_DELAY_MS} ms`,
        `  failures: ${failed.length} (in flight on the killed replica: ${inFlightOnVictim.length}; requests nginx passed on to another replica after a refused connection: ${retried})`,
        `  throughput: ${before.toFixed(0)} calls/s on 3 replicas before the kill, ${after.toFixed(0)} calls/s on 2 after (${afterCalls.length} calls); kill to exit ${deathMs - killMs} ms`,
        `  upstream requests per replica: ${upstream.perReplica.join(' / ')}`,
        `  RSS per replica before the load: ${rssBefore.join(' / ')} MiB; after, survivors: ${rssAfter.join(' / ')} MiB`,
      ].join('\n'),
    );
  }, 300_000);
});
