// Optional properties inside `anyOf` branches, through a generated server as a real process.
// They are published as nullable so OpenAI strict mode can take the tool (the Agents SDK
// refuses such branches otherwise); null there means absent. The upstream on 127.0.0.1 must
// see the same request whether the property is null at depth or left out: through the real
// SDK client, and through the OpenAI Agents SDK's strict-converted native tool, whose schema
// must accept the arguments a strict model writes (every property present, null for none).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir } from '../cli/helpers.js';
import { generateAndBuild, startRecordingUpstream, type GeneratedApi, type RecordingUpstream } from '../security/support/generated-api.js';
import { childEnv, connectStdio, ERAS, killAllSpawned, type Connection } from '../support/mcp.js';
// Plain JS, shared with run.mjs.
import { ensurePinnedInstall } from '../support/pinned-install.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ok = { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } };
const json = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });

const spec = {
  openapi: '3.1.0',
  info: { title: 'Branches', version: '1.0.0' },
  servers: [{ url: 'http://127.0.0.1:9/unused' }],
  paths: {
    // Stripe's range filters: an object of bounds, or one value.
    '/events': {
      get: {
        operationId: 'listEvents',
        parameters: [
          {
            name: 'created',
            in: 'query',
            style: 'deepObject',
            explode: true,
            schema: { anyOf: [{ type: 'object', properties: { gt: { type: 'integer' }, lt: { type: 'integer' } } }, { type: 'integer' }] },
          },
          { name: 'limit', in: 'query', schema: { type: 'integer' } },
        ],
        responses: ok,
      },
    },
    // GitHub's Pages site: properties beside an anyOf of required sets.
    '/pages': {
      post: {
        operationId: 'createPagesSite',
        requestBody: json({
          type: 'object',
          properties: {
            build_type: { type: 'string', enum: ['legacy', 'workflow'] },
            source: { type: 'object', required: ['branch'], properties: { branch: { type: 'string' }, path: { type: 'string', enum: ['/', '/docs'] } } },
          },
          anyOf: [{ required: ['source'] }, { required: ['build_type'] }],
        }),
        responses: ok,
      },
    },
    // GitHub's issue labels: a name, or a label object.
    '/issues': {
      post: {
        operationId: 'createIssue',
        requestBody: json({
          type: 'object',
          required: ['title'],
          properties: {
            title: { type: 'string' },
            labels: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } }] } },
          },
        }),
        responses: ok,
      },
    },
  },
};

/** Each call: the arguments with null at depth (all a strict model writes), the same left out, and what the upstream must see. */
const CALLS = [
  {
    tool: 'list_events',
    strict: { created: { gt: 5, lt: null }, limit: null },
    absent: { created: { gt: 5 } },
    sees: (url: string, body: string) => expect([decodeURIComponent(url), body]).toEqual(['/api/events?created[gt]=5', '']),
  },
  {
    tool: 'create_pages_site',
    strict: { body: { source: { branch: 'main', path: null }, build_type: null } },
    absent: { body: { source: { branch: 'main' } } },
    sees: (url: string, body: string) => expect([url, JSON.parse(body)]).toEqual(['/api/pages', { source: { branch: 'main' } }]),
  },
  {
    tool: 'create_issue',
    strict: { body: { title: 't', labels: ['x', { id: null, name: 'bug' }] } },
    absent: { body: { title: 't', labels: ['x', { name: 'bug' }] } },
    sees: (url: string, body: string) => expect([url, JSON.parse(body)]).toEqual(['/api/issues', { title: 't', labels: ['x', { name: 'bug' }] }]),
  },
];

let api: GeneratedApi;
let upstream: RecordingUpstream;
const connections = new Map<string, Connection>();
const env = () => ({ BRANCHES_API_BASE_URL: `${upstream.url}/api` });

beforeAll(async () => {
  api = generateAndBuild('branches-api', spec);
  upstream = await startRecordingUpstream();
  for (const era of ERAS) connections.set(era, await connectStdio(api.out, env(), era));
}, 300_000);

afterAll(async () => {
  for (const connection of connections.values()) await connection.close();
  await killAllSpawned();
  await upstream?.close();
  if (api) removeDir(api.dir);
});

describe.each(ERAS)('null inside anyOf branches means absent (SDK client, stdio, %s)', (era) => {
  it.each(CALLS)('$tool: null at depth and left out reach the upstream alike', async ({ tool, strict, absent, sees }) => {
    for (const args of [strict, absent]) {
      const before = upstream.received.length;
      const result = await connections.get(era)!.client.callTool({ name: tool, arguments: args });
      expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
      expect(upstream.received.length).toBe(before + 1);
      const request = upstream.received[before]!;
      sees(request.rawUrl, request.body);
    }
  });

  it('publishes the nullable properties without changing what the tool accepts otherwise', async () => {
    const { tools } = await connections.get(era)!.client.listTools();
    const issue = tools.find((t) => t.name === 'create_issue')!;
    const label = (issue.inputSchema.properties as Record<string, { properties: Record<string, { items: { anyOf: unknown[] } }> }>).body!.properties.labels!.items.anyOf[1];
    expect(label).toEqual({ type: 'object', properties: { id: { type: ['integer', 'null'] }, name: { type: ['string', 'null'] } } });
  });
});

describe('through the OpenAI Agents SDK in strict mode', () => {
  it('converts every tool strictly, its schema accepts what a strict model writes, and the upstream sees no null', { timeout: 300_000 }, async () => {
    const { node22 } = ensurePinnedInstall(HERE, ['node_modules/@openai/agents/package.json']);
    const input = {
      command: process.execPath,
      args: [join(api.out, 'dist', 'stdio.js')],
      env: childEnv(env()),
      calls: CALLS.map(({ tool, strict }) => ({ tool, args: strict })),
    };
    const before = upstream.received.length;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(node22, [join(HERE, 'strict-call.mjs'), JSON.stringify(input)], { cwd: HERE, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
      ),
    );
    const results = JSON.parse(stdout) as { tool: string; strict: boolean; parameters: object; output: unknown }[];
    expect(upstream.received.length).toBe(before + CALLS.length);
    CALLS.forEach((call, index) => {
      const result = results[index]!;
      expect([result.tool, result.strict]).toEqual([call.tool, true]);
      const validate = new Ajv2020({ strict: false }).compile(result.parameters);
      expect(validate(call.strict), JSON.stringify(validate.errors)).toBe(true);
      expect(JSON.stringify(result.output)).not.toMatch(/error/i);
      call.sees(upstream.received[before + index]!.rawUrl, upstream.received[before + index]!.body);
    });
  });
});
