// A response property named like an Object.prototype member (`constructor`) used to make
// the SDK client reject every result without it: its validator checks
// `data.constructor !== undefined` and finds Object's function. Generated, built and
// called for real: the client accepts a result that lacks the field, and one that has it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStdio, killAllSpawned, type Connection } from '../support/mcp.js';
import { removeDir, repoTmpDir, runCli, writeConfig } from '../cli/helpers.js';

const SPEC = {
  openapi: '3.0.3',
  info: { title: 'Prototype names', version: '1' },
  servers: [{ url: 'http://127.0.0.1:9' }],
  paths: {
    '/things/{id}': {
      get: {
        operationId: 'getThing',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['id', 'constructor'],
                  properties: { id: { type: 'string' }, constructor: { type: 'string' }, toString: { type: 'string' }, valueOf: { type: 'integer' } },
                },
              },
            },
          },
        },
      },
    },
  },
};

let dir: string;
let upstream: Server;
let conn: Connection;
/** What the upstream answers next. */
let answer: unknown = { id: 'a1' };

beforeAll(async () => {
  dir = repoTmpDir();
  writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(SPEC, null, 2));
  writeConfig(dir, [{ name: 'proto-api', spec: 'spec.json', output: 'out' }]);
  const generate = runCli(['generate', '--quiet'], dir);
  if (generate.status !== 0) throw new Error(`generate failed (${generate.status}):\n${generate.stderr}`);
  const build = runCli(['build', '--quiet'], dir);
  if (build.status !== 0) throw new Error(`build failed (${build.status}):\n${build.stderr}\n${build.stdout}`);
  upstream = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  conn = await connectStdio(path.join(dir, 'out'), { PROTO_API_BASE_URL: url }, 'legacy');
}, 600_000);

afterAll(async () => {
  await conn?.close();
  await killAllSpawned();
  await new Promise<void>((r) => (upstream ? upstream.close(() => r()) : r()));
  if (dir) removeDir(dir);
});

describe('an output property named constructor', { timeout: 60_000 }, () => {
  it('is not published in the output schema; the other properties are', async () => {
    const { tools } = await conn.client.listTools();
    const tool = tools.find((t) => t.name === 'get_thing');
    expect(tool?.outputSchema).toBeDefined();
    expect(Object.keys(tool!.outputSchema!.properties ?? {})).toEqual(['id']);
  });

  it('the real SDK client accepts a result without it', async () => {
    answer = { id: 'a1' };
    const result = await conn.client.callTool({ name: 'get_thing', arguments: { id: 'a1' } });
    expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
    expect(result.structuredContent).toEqual({ id: 'a1' });
  });

  it('and still carries it when the upstream sends it', async () => {
    answer = { id: 'a2', constructor: 'Thing', toString: 'thing a2' };
    const result = await conn.client.callTool({ name: 'get_thing', arguments: { id: 'a2' } });
    expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
    expect(result.structuredContent).toEqual({ id: 'a2', constructor: 'Thing', toString: 'thing a2' });
  });
});
