// Runs the runtime as a real child process over stdio, compiled with the same
// compiler options a generated server uses, and checks that stdout carries nothing
// but protocol messages.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcpgen-runtime-'));
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await writeFile(join(dir, 'package.json'), '{"type":"module"}');
  await promisify(execFile)(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.runtime.json'), '--noEmit', 'false', '--rootDir', join(root, 'templates/runtime'), '--outDir', join(dir, 'runtime')],
    { cwd: root },
  );
  await writeFile(
    join(dir, 'main.js'),
    `import { createServerFactory } from './runtime/protocol/server.js';
import { runStdio } from './runtime/transport/stdio.js';
const api = { name: 'stdio-api', version: '1.0.0', baseUrlEnv: 'X_BASE_URL', defaultBaseUrl: 'http://127.0.0.1:1', securitySchemes: {} };
const tools = [{ name: 'ping', description: 'ping', inputSchema: { type: 'object' },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  _meta: { 'mcpgen/operation': { method: 'GET', path: '/ping' } },
  operation: { method: 'GET', path: '/ping', parameters: [], security: [], response: { structured: false } } }];
runStdio(createServerFactory(api, { tools }), { name: api.name });
console.log('stray log line');
`,
  );
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runStdio', () => {
  it('answers over stdout with protocol messages only; logs go to stderr', async () => {
    const child = spawn(process.execPath, [join(dir, 'main.js')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const send = (message: unknown): void => {
      child.stdin.write(`${JSON.stringify(message)}\n`);
    };
    const lines = (): string[] => stdout.split('\n').filter((line) => line !== '');
    const waitForLines = async (count: number): Promise<void> => {
      for (let i = 0; i < 500 && lines().length < count; i += 1) await new Promise((r) => setTimeout(r, 10));
    };

    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '0' } } });
    await waitForLines(1);
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ping', arguments: {} } });
    await waitForLines(2);
    child.stdin.end();
    await new Promise((r) => child.once('exit', r));

    const messages = lines().map((line) => JSON.parse(line) as { id?: number; result?: Record<string, unknown> });
    expect(messages.map((m) => m.id)).toEqual([1, 2]);
    expect(messages[0]?.result?.['serverInfo']).toEqual({ name: 'stdio-api', version: '1.0.0' });
    // fetch refuses port 1 outright: a tool error, not a crash.
    expect(messages[1]?.result).toEqual({ isError: true, content: [{ type: 'text', text: 'Request to GET http://127.0.0.1:1/ping failed: bad port' }] });
    expect(stderr).toContain('stdio-api MCP server running on stdio');
    expect(stderr).toContain('stray log line');
  });
});
