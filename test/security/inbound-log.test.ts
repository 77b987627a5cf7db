// A flood of refused requests must not become a flood of stderr: the generated HTTP server
// writes at most REJECTION_LOG_LIMIT.lines lines per window, then one line counting the rest.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { rateLimitedLines, REJECTION_LOG_LIMIT } from '../../templates/runtime/observe/log-limit.js';
import { assertBuilt, generatedDir, initializeBody, killAllSpawned, rawRequest, startHttp, type HttpServerHandle } from '../support/mcp.js';
import { inParallel } from './inbound-support.js';

const SERVER_DIR = generatedDir('ledger-api');
const FLOOD = 300;
const { lines: LIMIT, windowMs: WINDOW_MS } = REJECTION_LOG_LIMIT;

describe('stderr under a flood of bad-Host requests (real process)', () => {
  let http: HttpServerHandle;
  let stderr = '';
  beforeAll(async () => {
    assertBuilt(SERVER_DIR);
    http = await startHttp(SERVER_DIR, { LEDGER_API_BASE_URL: 'http://127.0.0.1:9' });
    http.process.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  }, 60_000);
  afterAll(killAllSpawned);

  const refusals = () => stderr.split('\n').filter((line) => line.startsWith('403 for /mcp from 127.0.0.1: Host "evil.example"'));
  const suppressed = () => [...stderr.matchAll(/^(\d+) more similar line\(s\) suppressed in the last 10 s$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);

  it(`writes at most ${LIMIT} lines per ${WINDOW_MS / 1000} s, then accounts for every refusal in a summary line`, async () => {
    const started = Date.now();
    const statuses = await inParallel(FLOOD, 10, () =>
      rawRequest({
        port: http.port,
        path: '/mcp',
        method: 'POST',
        headers: { host: 'evil.example', 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: initializeBody(),
      }).then((res) => res.status),
    );
    const windows = 1 + Math.ceil((Date.now() - started) / WINDOW_MS);
    expect(statuses.every((status) => status === 403)).toBe(true);
    expect(refusals().length).toBeGreaterThan(0);
    expect(refusals().length).toBeLessThanOrEqual(LIMIT * windows);
    // The summary comes when the window closes, without further traffic.
    const deadline = Date.now() + WINDOW_MS + 5_000;
    while (refusals().length + suppressed() < FLOOD && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(refusals().length + suppressed()).toBe(FLOOD);
    expect(Buffer.byteLength(stderr)).toBeLessThan((LIMIT + 1) * windows * 400);
  }, 60_000);
});

describe('stderr under a mixed flood of refused requests (real process)', () => {
  let http: HttpServerHandle;
  let stderr = '';
  beforeAll(async () => {
    assertBuilt(SERVER_DIR);
    http = await startHttp(SERVER_DIR, { LEDGER_API_BASE_URL: 'http://127.0.0.1:9' });
    http.process.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  }, 60_000);
  afterAll(killAllSpawned);

  // Each kind of refusal that writes a line: a foreign Origin (403) and a body that is not JSON (415).
  const refused: { status: number; headers: Record<string, string> }[] = [
    { status: 403, headers: { origin: 'https://evil.example', 'content-type': 'application/json' } },
    { status: 415, headers: { 'content-type': 'text/plain' } },
  ];

  it('shares one budget across kinds of refusal', async () => {
    const started = Date.now();
    const statuses = await inParallel(200, 10, (i) =>
      rawRequest({
        port: http.port,
        path: '/mcp',
        method: 'POST',
        headers: { accept: 'application/json, text/event-stream', ...refused[i % refused.length]!.headers },
        body: initializeBody(),
      }).then((res) => res.status),
    );
    const windows = 1 + Math.ceil((Date.now() - started) / WINDOW_MS);
    expect(statuses).toEqual(Array.from({ length: 200 }, (_, i) => refused[i % refused.length]!.status));
    const lines = stderr.split('\n').filter((line) => line !== '');
    expect(lines.some((line) => line.includes('Origin "https://evil.example" not allowed'))).toBe(true);
    expect(lines.length).toBeLessThanOrEqual((LIMIT + 1) * windows);
  }, 60_000);
});

describe('rateLimitedLines', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes the first lines of a window, counts the rest, and reports them when the window ends', () => {
    vi.useFakeTimers();
    const out: string[] = [];
    const log = rateLimitedLines((line) => out.push(line), { lines: 3, windowMs: 10_000 });
    for (let i = 0; i < 10; i++) log(`refused ${i}`);
    expect(out).toEqual(['refused 0', 'refused 1', 'refused 2']);
    vi.advanceTimersByTime(9_999);
    expect(out).toHaveLength(3);
    vi.advanceTimersByTime(1);
    expect(out.at(-1)).toBe('7 more similar line(s) suppressed in the last 10 s');
    log('refused again');
    expect(out.at(-1)).toBe('refused again');
  });

  it('writes nothing extra when nothing was suppressed, and starts a fresh budget in the next window', () => {
    vi.useFakeTimers();
    const out: string[] = [];
    const log = rateLimitedLines((line) => out.push(line), { lines: 2, windowMs: 1_000 });
    log('a');
    log('b');
    vi.advanceTimersByTime(5_000);
    log('c');
    log('d');
    log('e');
    expect(out).toEqual(['a', 'b', 'c', 'd']);
    vi.advanceTimersByTime(1_000);
    expect(out).toEqual(['a', 'b', 'c', 'd', '1 more similar line(s) suppressed in the last 1 s']);
  });

  it.each([
    ['a forged newline', 'Host "x\nFAKE ENTRY"', 'Host "x\\u000aFAKE ENTRY"'],
    ['a carriage return and an escape', 'a\r\u001b[31m', 'a\\u000d\\u001b[31m'],
    ['a line separator', 'a\u2028b', 'a\\u2028b'],
    ['an overlong line', 'x'.repeat(1_000), `${'x'.repeat(300)}… (700 more chars)`],
  ])('keeps one bounded line: %s', (_name, line, written) => {
    const out: string[] = [];
    rateLimitedLines((text) => out.push(text))(line);
    expect(out).toEqual([written]);
  });
});
