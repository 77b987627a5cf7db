// stdio robustness of the generated ledger-api server, as a real process fed raw bytes:
// oversized and malformed messages are answered (or noted on stderr) and serving goes on;
// invalid params are -32602; the exit code tells a clean stop from a failure.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, generatedDir } from '../support/mcp.js';
import { LEDGER_BASE_PATH, startUpstream, type Upstream } from '../support/upstream.js';
import { initialize, killStdioProcesses, spawnStdio, type StdioProcess } from './stdio-process.js';

const SERVER_DIR = generatedDir('ledger-api');
const DEFAULT_LIMIT = 10 * 1024 * 1024;

let upstream: Upstream;
beforeAll(async () => {
  assertBuilt(SERVER_DIR);
  upstream = await startUpstream();
});
afterAll(async () => {
  killStdioProcesses();
  await upstream?.close();
});

const env = (extra: Record<string, string> = {}): Record<string, string> => ({ LEDGER_API_BASE_URL: upstream.url + LEDGER_BASE_PATH, LEDGER_API_API_KEY: 'k', ...extra });

async function started(extra: Record<string, string> = {}): Promise<StdioProcess> {
  const server = spawnStdio(SERVER_DIR, env(extra));
  await initialize(server);
  return server;
}

/** A ping request line of exactly `bytes` bytes (padding in params), with the id first or last. */
function paddedPing(id: number, bytes: number, idFirst = true): string {
  const shell = idFirst ? { jsonrpc: '2.0', id, method: 'ping', params: { padding: '' } } : { jsonrpc: '2.0', method: 'ping', params: { padding: '' }, id };
  return JSON.stringify(shell).replace('"padding":""', `"padding":"${'x'.repeat(bytes - JSON.stringify(shell).length)}"`);
}

describe('stdio: oversized messages', () => {
  afterEach(() => killStdioProcesses());

  it('answers a message over the default 10 MiB limit with its id, notes it on stderr, and keeps serving', async () => {
    const server = await started();
    const line = paddedPing(7, DEFAULT_LIMIT + 1_000);
    expect(Buffer.byteLength(line)).toBe(DEFAULT_LIMIT + 1_000);
    await server.write(`${line}\n`);
    const answer = await server.answer(7, 30_000);
    expect(answer['error']).toEqual({ code: -32600, message: `Invalid Request: the message is ${DEFAULT_LIMIT + 1_000} bytes, over the ${DEFAULT_LIMIT}-byte limit (MCPGEN_STDIO_MAX_MESSAGE_BYTES)` });
    await server.send({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'get_health', arguments: {} } });
    expect((await server.answer(8))['result']).toMatchObject({ structuredContent: { status: 'ok' } });
    expect(server.stderr()).toContain(`Skipped a ${DEFAULT_LIMIT + 1_000}-byte message over the ${DEFAULT_LIMIT}-byte limit`);
    expect(server.child.exitCode).toBeNull();
  });

  it('notes an oversized message whose id is not in its first bytes on stderr only, and answers the next request', async () => {
    const server = await started({ MCPGEN_STDIO_MAX_MESSAGE_BYTES: '100000' });
    await server.write(`${paddedPing(9, 200_000, false)}\n`);
    await server.send({ jsonrpc: '2.0', id: 10, method: 'ping' });
    expect((await server.answer(10))['result']).toEqual({});
    expect(server.messages().filter((message) => message['id'] === 9)).toEqual([]);
    expect(server.stderr()).toContain('Skipped a 200000-byte message over the 100000-byte limit (MCPGEN_STDIO_MAX_MESSAGE_BYTES); no id in its first bytes, so it was not answered');
  });

  it('takes its limit from MCPGEN_STDIO_MAX_MESSAGE_BYTES: one byte over is refused, the limit itself is served', async () => {
    const server = await started({ MCPGEN_STDIO_MAX_MESSAGE_BYTES: '4096' });
    expect(server.stderr()).toContain('running on stdio (messages up to 4096 bytes)');
    await server.write(`${paddedPing(1, 4_097)}\n${paddedPing(2, 4_096)}\n`);
    expect((await server.answer(1))['error']).toMatchObject({ code: -32600, message: expect.stringContaining('4097 bytes, over the 4096-byte limit') });
    expect((await server.answer(2))['result']).toEqual({});
  });

  it('frames lines split across many small writes and bounds a line that never ends', async () => {
    const server = await started({ MCPGEN_STDIO_MAX_MESSAGE_BYTES: '2048' });
    const line = `${JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'ping' })}\n`;
    for (const byte of Buffer.from(line)) await server.write(Buffer.from([byte]));
    expect((await server.answer(3))['result']).toEqual({});
    // 1 MB without a newline is held as at most its first bytes; the newline ends it.
    await server.write(`{"jsonrpc":"2.0","id":4,"method":"ping","params":{"p":"`);
    for (let i = 0; i < 16; i += 1) await server.write('y'.repeat(65_536));
    await server.write('"}}\n');
    expect((await server.answer(4))['error']).toMatchObject({ code: -32600 });
  });
});

describe('stdio: malformed messages are answered as HTTP answers them', () => {
  let server: StdioProcess;
  let pings = 0;
  beforeAll(async () => {
    server = spawnStdio(SERVER_DIR, env());
    await initialize(server);
  });
  afterAll(() => server?.kill());

  /** Sends `line`, then a ping; returns the answers that arrived between them (by id or id null). */
  async function answersTo(line: string | Buffer, id: unknown): Promise<Record<string, unknown>[]> {
    const before = server.messages().length;
    await server.write(Buffer.concat([Buffer.isBuffer(line) ? line : Buffer.from(line), Buffer.from('\n')]));
    pings += 1;
    const fence = `fence-${pings}`;
    await server.send({ jsonrpc: '2.0', id: fence, method: 'ping' });
    await server.answer(fence);
    return server
      .messages()
      .slice(before)
      .filter((message) => message['id'] !== fence && (message['id'] === id || message['id'] === null));
  }

  it.each([
    ['unparsable JSON', 'garbage{', null, -32700],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), null, -32700],
    ['params not an object', '{"jsonrpc":"2.0","id":1,"method":"ping","params":"x"}', 1, -32600],
    ['params an array', '{"jsonrpc":"2.0","id":2,"method":"tools/list","params":[1]}', 2, -32600],
    ['jsonrpc 1.0', '{"jsonrpc":"1.0","id":3,"method":"ping"}', 3, -32600],
    ['jsonrpc missing', '{"id":"s4","method":"ping"}', 's4', -32600],
    ['method not a string', '{"jsonrpc":"2.0","id":5,"method":5}', 5, -32600],
    ['no method', '{"jsonrpc":"2.0","id":6}', 6, -32600],
    ['id an object', '{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}', null, -32600],
    ['id null', '{"jsonrpc":"2.0","id":null,"method":"ping"}', null, -32600],
    ['id a fraction', '{"jsonrpc":"2.0","id":1.5,"method":"ping"}', 1.5, -32600],
    ['a batch', '[{"jsonrpc":"2.0","id":7,"method":"ping"}]', null, -32600],
    ['an empty batch', '[]', null, -32600],
    ['a bare number', '42', null, -32600],
    ['unknown method', '{"jsonrpc":"2.0","id":8,"method":"no/such"}', 8, -32601],
    ['tools/list cursor: 5', '{"jsonrpc":"2.0","id":9,"method":"tools/list","params":{"cursor":5}}', 9, -32602],
    ['tools/list cursor not handed out', '{"jsonrpc":"2.0","id":10,"method":"tools/list","params":{"cursor":"1e3"}}', 10, -32602],
    ['resources/read uri: 5', '{"jsonrpc":"2.0","id":11,"method":"resources/read","params":{"uri":5}}', 11, -32602],
    ['tools/call name: 5', '{"jsonrpc":"2.0","id":12,"method":"tools/call","params":{"name":5}}', 12, -32602],
    ['logging/setLevel to no level', '{"jsonrpc":"2.0","id":13,"method":"logging/setLevel","params":{"level":"loud"}}', 13, -32602],
  ] as const)('%s → one answer with code %i', async (_name, line, id, code) => {
    const answers = await answersTo(line, id);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ jsonrpc: '2.0', id, error: { code } });
    // A short message, never the SDK's schema dump.
    const message = String((answers[0]!['error'] as { message: unknown }).message);
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(300);
  });

  it('gives -32602 a readable message naming the field', async () => {
    const [answer] = await answersTo('{"jsonrpc":"2.0","id":20,"method":"tools/list","params":{"cursor":5}}', 20);
    expect(answer?.['error']).toEqual({ code: -32602, message: 'Invalid params for tools/list: params.cursor: expected string, received number' });
  });

  it.each([
    ['a notification with params not an object', '{"jsonrpc":"2.0","method":"notifications/initialized","params":5}'],
    ['a notification with jsonrpc 1.0', '{"jsonrpc":"1.0","method":"notifications/initialized"}'],
    ['a blank line', '   '],
  ])('%s is not answered', async (_name, line) => {
    expect(await answersTo(line, 'never')).toEqual([]);
  });

  it('wrote nothing but JSON-RPC messages to stdout', () => {
    for (const message of server.messages()) expect(message['jsonrpc']).toBe('2.0');
  });
});

describe('stdio: rejected input on stderr is rate-limited', () => {
  afterEach(() => killStdioProcesses());

  it('writes at most 20 notes, then one line with the count of the rest', async () => {
    const server = await started();
    await server.write('not json\n'.repeat(500));
    server.child.stdin.end();
    expect(await server.exit()).toBe(0);
    expect(server.messages().filter((message) => message['id'] === null)).toHaveLength(500);
    expect(server.stderr().match(/Rejected a message/g)).toHaveLength(20);
    expect(server.stderr()).toContain('480 more similar line(s) suppressed');
  });
});

describe('stdio: exit codes', () => {
  afterEach(() => killStdioProcesses());

  it('exits 0 when stdin ends, after answering the calls still in flight', async () => {
    const server = await started();
    await server.send({ jsonrpc: '2.0', id: 'last', method: 'tools/call', params: { name: 'get_health', arguments: {} } });
    server.child.stdin.end();
    expect(await server.exit()).toBe(0);
    expect(server.messages().find((message) => message['id'] === 'last')?.['result']).toMatchObject({ structuredContent: { status: 'ok' } });
  });

  it('exits 0 at once when stdin ends after the only call in flight was cancelled (a cancelled request is not answered)', async () => {
    // An upstream that never answers: the call stays in flight until cancelled.
    const held: ServerResponse[] = [];
    const hanging = createServer((_req, res) => void held.push(res));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const server = await started({ LEDGER_API_BASE_URL: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}` });
      await server.send({ jsonrpc: '2.0', id: 'slow', method: 'tools/call', params: { name: 'get_health', arguments: {} } });
      for (let i = 0; i < 200 && held.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(held).toHaveLength(1);
      await server.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'slow' } });
      server.child.stdin.end();
      const stdinEnd = Date.now();
      expect(await server.exit(10_000)).toBe(0);
      expect(Date.now() - stdinEnd).toBeLessThan(5_000);
      expect(server.messages().filter((message) => message['id'] === 'slow')).toEqual([]);
    } finally {
      for (const res of held) res.destroy();
      hanging.close();
    }
  });

  it('exits 0 on SIGTERM', async () => {
    const server = await started();
    server.child.kill('SIGTERM');
    expect(await server.exit()).toBe(0);
  });

  it('exits non-zero when stdout breaks', async () => {
    const server = await started();
    server.child.stdout.destroy();
    await server.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    expect(await server.exit()).toBe(1);
    expect(server.stderr()).toMatch(/stopping, the stdio connection broke: .*EPIPE/);
  });

  it.each(['abc', '0', '1023', '134217729', '1e6', '-5', '4096.5'])('refuses MCPGEN_STDIO_MAX_MESSAGE_BYTES=%s at start with exit 1', async (value) => {
    const server = spawnStdio(SERVER_DIR, env({ MCPGEN_STDIO_MAX_MESSAGE_BYTES: value }));
    expect(await server.exit()).toBe(1);
    expect(server.stderr()).toContain(`ledger-api: MCPGEN_STDIO_MAX_MESSAGE_BYTES must be a whole number of bytes between 1024 and 134217728, got "${value}"`);
    expect(server.lines()).toEqual([]);
  });
});
