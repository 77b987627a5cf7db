// Seeded JSON-RPC fuzz of the ledger-api example over stdio and over HTTP (both eras).
// MCPGEN_FUZZ_MESSAGES sets the count per transport (2,000 in `npm test`, 10,000 in
// `npm run fuzz`), MCPGEN_FUZZ_SEED the seed. The process must never die, stdout must
// carry only JSON-RPC lines, and every request with a readable id gets exactly one answer.
import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, generatedDir, killAllSpawned, startHttp, type HttpServerHandle } from '../support/mcp.js';
import { LEDGER_BASE_PATH, startUpstream, type Upstream } from '../support/upstream.js';
import { expectedAnswer, fuzzMessages, idKey, MODERN_VERSION, type FuzzMessage } from './fuzz-messages.js';
import { discover, initialize, killStdioProcesses, spawnStdio } from './stdio-process.js';

const SERVER_DIR = generatedDir('ledger-api');
const COUNT = Number(process.env['MCPGEN_FUZZ_MESSAGES'] ?? 2_000);
const SEED = Number(process.env['MCPGEN_FUZZ_SEED'] ?? 20_261_203);
/** A small limit so huge-string mutations cross it cheaply. */
const LIMIT = 65_536;
const FUZZ_TIMEOUT_MS = 60_000 + COUNT * 50;

let upstream: Upstream;
beforeAll(async () => {
  assertBuilt(SERVER_DIR);
  upstream = await startUpstream();
});
afterAll(async () => {
  killStdioProcesses();
  await killAllSpawned();
  await upstream?.close();
});

const env = (): Record<string, string> => ({ LEDGER_API_BASE_URL: upstream.url + LEDGER_BASE_PATH, LEDGER_API_API_KEY: 'fuzz-key', MCPGEN_STDIO_MAX_MESSAGE_BYTES: String(LIMIT) });

describe(`JSON-RPC fuzz, ${COUNT} messages per transport, seed ${SEED}`, () => {
  // Three quarters of the stdio messages on a 2025-era connection (initialize), a quarter on a 2026-era one (server/discover).
  it.each([
    ['legacy', Math.ceil((COUNT * 3) / 4)],
    ['modern', Math.floor(COUNT / 4)],
  ] as const)(
    'stdio, %s era, %i messages: never dies, writes only JSON-RPC lines, answers each request id exactly once',
    async (era, count) => {
      const server = spawnStdio(SERVER_DIR, env());
      if (era === 'legacy') await initialize(server);
      else await discover(server);
      const messages = fuzzMessages({ seed: SEED + (era === 'legacy' ? 0 : 3), count, maxMessageBytes: LIMIT, modernEnvelope: era === 'modern' });
      // Chunks of many lines per write, cut at arbitrary places: framing must not depend on chunking.
      const stream = Buffer.concat(messages.flatMap((message) => [message.bytes, Buffer.from('\n')]));
      for (let at = 0; at < stream.length; ) {
        const size = 1 + ((at * 7_919) % 200_000);
        await server.write(stream.subarray(at, at + size));
        at += size;
      }
      server.child.stdin.end();
      // A clean end of stdin: answers still in flight are written, then exit 0.
      expect(await server.exit(FUZZ_TIMEOUT_MS)).toBe(0);

      const lines = server.lines();
      const parsed = lines.map((line, index) => {
        try {
          return JSON.parse(line) as Record<string, unknown>;
        } catch {
          throw new Error(`stdout line ${index} is not JSON: ${line.slice(0, 200)}`);
        }
      });
      for (const message of parsed) expect(message['jsonrpc'], JSON.stringify(message).slice(0, 300)).toBe('2.0');
      const answers = parsed.filter((message) => 'result' in message || 'error' in message);
      expect(answers.length + parsed.filter((message) => typeof message['method'] === 'string').length).toBe(parsed.length);

      const answered = countBy(answers.map((answer) => idKey(answer['id'])));
      answered.set(idKey('init'), (answered.get(idKey('init')) ?? 1) - 1);
      // The oracle runs on lines as the server sees them (a message's bytes may hold no newline, but check).
      const expectations = stream
        .toString('latin1')
        .split('\n')
        .slice(0, -1)
        .map((line) => expectedAnswer(Buffer.from(line, 'latin1'), LIMIT));
      assertAnswers(expectations, answered);
      // Not vacuous: most lines are requests with ids, and many of them succeed.
      expect(expectations.filter((e) => e.exact).length).toBeGreaterThan(count * 0.4);
      expect(answers.filter((answer) => 'result' in answer).length).toBeGreaterThan(count * 0.1);
      expect(server.stderr()).toMatch(/\d+ more similar line\(s\) suppressed/);
    },
    FUZZ_TIMEOUT_MS + 10_000,
  );

  it(
    'HTTP POST /mcp, legacy and modern headers: never a 5xx, each request id answered, notifications accepted',
    async () => {
      const http = await startHttp(SERVER_DIR, env());
      const legacy = fuzzMessages({ seed: SEED + 1, count: Math.ceil(COUNT / 2), maxMessageBytes: LIMIT });
      const modern = fuzzMessages({ seed: SEED + 2, count: Math.floor(COUNT / 2), maxMessageBytes: LIMIT, modernEnvelope: true });
      const agent = new Agent({ keepAlive: true, maxSockets: 8 });
      const problems: string[] = [];
      const statuses = new Map<number, number>();
      const jobs = [...legacy.map((message, i) => ({ message, era: i % 3 === 0 ? 'none' : 'legacy' }) as const), ...modern.map((message) => ({ message, era: 'modern' }) as const)];
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < jobs.length) {
          const job = jobs[next]!;
          next += 1;
          const { status, problem } = await postAndCheck(http, agent, job.message, job.era);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (problem !== undefined) problems.push(problem);
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      agent.destroy();
      expect(problems.slice(0, 10)).toEqual([]);
      // Not vacuous: both answered and rejected messages, in numbers.
      expect(statuses.get(200) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(COUNT * 0.2);
      expect(statuses.get(400) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(COUNT * 0.1);
      expect(http.process.exitCode).toBeNull();
      const health = await fetch(`${http.baseUrl}/healthz`);
      expect(health.status).toBe(200);
      await http.close();
    },
    FUZZ_TIMEOUT_MS + 10_000,
  );
});

function countBy(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/** Exactly one answer per exact expectation, at most one per loose one, nothing else. */
function assertAnswers(expectations: ReturnType<typeof expectedAnswer>[], answered: Map<string, number>): void {
  const exact = countBy(expectations.filter((e) => e.exact && e.key !== null).map((e) => e.key!));
  const loose = countBy(expectations.filter((e) => !e.exact).map((e) => e.key ?? idKey(null)));
  const wrong: string[] = [];
  for (const [key, count] of exact) {
    const got = answered.get(key) ?? 0;
    const extra = loose.get(key) ?? 0;
    if (got < count || got > count + extra) wrong.push(`${key}: ${got} answers for ${count} requests`);
  }
  for (const [key, got] of answered) {
    if (got === 0 || exact.has(key)) continue;
    if (got > (loose.get(key) ?? 0)) wrong.push(`${key}: ${got} answers, none expected`);
  }
  expect(wrong.slice(0, 20)).toEqual([]);
}

type Era = 'none' | 'legacy' | 'modern';

/** One POST; its status and a description of what is wrong with the answer, if anything. */
function postAndCheck(http: HttpServerHandle, agent: Agent, message: FuzzMessage, era: Era): Promise<{ status: number; problem?: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', host: `127.0.0.1:${http.port}` };
  if (era === 'legacy') headers['mcp-protocol-version'] = '2025-11-25';
  if (era === 'modern') {
    headers['mcp-protocol-version'] = MODERN_VERSION;
    headers['mcp-method'] = message.method;
    if (message.name !== undefined) headers['mcp-name'] = message.name;
  }
  const expectation = expectedAnswer(message.bytes, Number.POSITIVE_INFINITY);
  const label = `${era} ${message.mutation} ${message.bytes.subarray(0, 120).toString('utf8')}`;
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port: http.port, path: '/mcp', method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const problem = checkHttpAnswer(status, String(res.headers['content-type'] ?? ''), Buffer.concat(chunks).toString('utf8'), expectation, label);
        resolve(problem === undefined ? { status } : { status, problem });
      });
      res.on('error', (error) => resolve({ status: 0, problem: `${label}: ${error.message}` }));
    });
    req.setTimeout(20_000, () => req.destroy(new Error('timed out')));
    req.on('error', (error) => resolve({ status: 0, problem: `${label}: ${error.message}` }));
    req.end(message.bytes);
  });
}

function checkHttpAnswer(status: number, contentType: string, body: string, expectation: ReturnType<typeof expectedAnswer>, label: string): string | undefined {
  if (status >= 500 || status < 200) return `${label}: status ${status} ${body.slice(0, 200)}`;
  if (status === 202) return body === '' ? undefined : `${label}: 202 with a body`;
  const payloads = contentType.startsWith('text/event-stream')
    ? body
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5))
    : [body];
  let values: unknown[];
  try {
    values = payloads.filter((payload) => payload.trim() !== '').map((payload) => JSON.parse(payload) as unknown);
  } catch {
    return `${label}: status ${status} body is not JSON: ${body.slice(0, 200)}`;
  }
  if (values.length === 0) return `${label}: status ${status} without a body`;
  if (status >= 400) return undefined;
  if (!expectation.exact || expectation.key === null) return undefined;
  const answers = values.flatMap((value) => (Array.isArray(value) ? value : [value])).filter((value) => value !== null && typeof value === 'object' && ('result' in value || 'error' in value)) as Record<string, unknown>[];
  const matching = answers.filter((answer) => idKey(answer['id']) === expectation.key);
  return matching.length === 1 ? undefined : `${label}: ${matching.length} answers with ${expectation.key} in ${body.slice(0, 200)}`;
}
