// The same malformed bodies sent to the ledger-api example over stdio and over HTTP (2025-era
// headers) get the same JSON-RPC error code and id on both transports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, generatedDir, killAllSpawned, rawRequest, startHttp, type HttpServerHandle } from '../support/mcp.js';
import { LEDGER_BASE_PATH, startUpstream, type Upstream } from '../support/upstream.js';
import { initialize, killStdioProcesses, spawnStdio, type StdioProcess } from './stdio-process.js';

const SERVER_DIR = generatedDir('ledger-api');

let upstream: Upstream;
let http: HttpServerHandle;
let stdio: StdioProcess;
beforeAll(async () => {
  assertBuilt(SERVER_DIR);
  upstream = await startUpstream();
  const env = { LEDGER_API_BASE_URL: upstream.url + LEDGER_BASE_PATH };
  http = await startHttp(SERVER_DIR, env);
  stdio = spawnStdio(SERVER_DIR, env);
  await initialize(stdio);
});
afterAll(async () => {
  killStdioProcesses();
  await killAllSpawned();
  await upstream?.close();
});

let fences = 0;
/** The single answer stdio gives to `body` with `id` (or id null), fenced by a ping. */
async function overStdio(body: string, id: unknown): Promise<Record<string, unknown>> {
  const before = stdio.messages().length;
  fences += 1;
  await stdio.write(`${body}\n${JSON.stringify({ jsonrpc: '2.0', id: `fence-${fences}`, method: 'ping' })}\n`);
  await stdio.answer(`fence-${fences}`);
  const answers = stdio
    .messages()
    .slice(before)
    .filter((message) => message['id'] === id || message['id'] === null);
  expect(answers).toHaveLength(1);
  return answers[0]!;
}

async function overHttp(body: string): Promise<{ status: number; answer: Record<string, unknown> }> {
  const response = await rawRequest({
    port: http.port,
    path: '/mcp',
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body,
  });
  return { status: response.status, answer: JSON.parse(response.body) as Record<string, unknown> };
}

describe('stdio answers malformed messages as HTTP does', () => {
  it.each([
    ['unparsable JSON', 'garbage{', null, -32700, 400],
    ['params not an object', '{"jsonrpc":"2.0","id":1,"method":"ping","params":"x"}', 1, -32600, 400],
    ['jsonrpc 1.0', '{"jsonrpc":"1.0","id":2,"method":"ping"}', 2, -32600, 400],
    ['id an object', '{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}', null, -32600, 400],
    ['unknown method', '{"jsonrpc":"2.0","id":3,"method":"no/such"}', 3, -32601, 200],
    ['tools/list cursor: 5', '{"jsonrpc":"2.0","id":4,"method":"tools/list","params":{"cursor":5}}', 4, -32602, 200],
    ['prompts/get without a name', '{"jsonrpc":"2.0","id":5,"method":"prompts/get","params":{}}', 5, -32602, 200],
  ] as const)('%s: %i on both', async (_name, body, id, code, status) => {
    const stdioAnswer = await overStdio(body, id);
    const httpAnswer = await overHttp(body);
    expect(httpAnswer.status).toBe(status);
    expect(stdioAnswer).toMatchObject({ id, error: { code } });
    expect(httpAnswer.answer).toMatchObject({ id, error: { code } });
  });
});

it('HTTP notes on stderr about rejected requests are rate-limited like stdio ones', async () => {
  const before = http.stderr().match(/MCP error/g)?.length ?? 0;
  for (let i = 0; i < 60; i += 1) expect((await overHttp('{"jsonrpc":"1.0","id":1,"method":"ping"}')).status).toBe(400);
  const notes = (http.stderr().match(/MCP error/g)?.length ?? 0) - before;
  // 20 per 10 s window; a slow machine may cross into a second window.
  expect(notes).toBeGreaterThan(0);
  expect(notes).toBeLessThanOrEqual(40);
});
