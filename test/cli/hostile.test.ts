// Spec text is hostile input: a spec full of template-literal, comment and script breakers
// must generate, type-check, build, and publish those strings unchanged through tools/list;
// an enum value made of them must reach the upstream unchanged.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStdio, killAllSpawned, type Connection } from '../support/mcp.js';
import { deref, prop, type ToolInfo } from '../support/assertions.js';
import { removeDir, repoTmpDir, runCli, writeConfig } from './helpers.js';
import {
  BODY_SUMMARY,
  DEFAULT,
  DESCRIPTION,
  ENUM,
  EVIL,
  OPERATION_ID,
  PARAM_DESCRIPTION,
  PARAM_EVIL,
  PROP_DESCRIPTION,
  PROP_EVIL,
  PROP_PLAIN,
  RESPONSE_PROP,
  SUMMARY,
  hostileSpec,
} from './hostile-spec.js';

interface Received {
  method: string;
  rawUrl: string;
  body: string;
}

let dir: string;
let out: string;
let upstream: Server;
let upstreamUrl: string;
const received: Received[] = [];
let conn: Connection;
let tools: ToolInfo[];
let generateRun: ReturnType<typeof runCli>;

beforeAll(async () => {
  dir = repoTmpDir();
  out = path.join(dir, 'out');
  writeFileSync(path.join(dir, 'hostile.json'), JSON.stringify(hostileSpec(), null, 2));
  writeConfig(dir, [{ name: 'hostile-api', spec: 'hostile.json', output: 'out' }]);
  generateRun = runCli(['generate', '--json'], dir);
  if (generateRun.status !== 0) throw new Error(`generate failed (${generateRun.status}):\n${generateRun.stderr}\n${generateRun.stdout}`);
  const build = runCli(['build', '--config', path.join(dir, 'mcpgen.config.json')], dir);
  if (build.status !== 0) throw new Error(`build failed (${build.status}):\n${build.stderr}\n${build.stdout}`);

  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', rawUrl: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(req.method === 'POST' ? '' : JSON.stringify({ [RESPONSE_PROP]: EVIL }));
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  conn = await connectStdio(out, { HOSTILE_API_BASE_URL: `${upstreamUrl}/api` }, 'legacy');
  tools = (await conn.client.listTools()).tools;
});

afterAll(async () => {
  await conn?.close();
  await killAllSpawned();
  await new Promise<void>((r) => (upstream ? upstream.close(() => r()) : r()));
  if (dir) removeDir(dir);
});

function echoTool(): ToolInfo {
  const tool = tools.find((t) => t.name !== 'create_item');
  expect(tool).toBeDefined();
  return tool!;
}

function lastRequest(): Received {
  expect(received.length).toBeGreaterThan(0);
  return received[received.length - 1]!;
}

describe('hostile spec text', { timeout: 300_000 }, () => {
  it('generates two tools with valid, unique names', () => {
    expect(tools.map((t) => t.name).sort()).toHaveLength(2);
    expect(tools.map((t) => t.name)).toContain('create_item');
    for (const t of tools) expect(t.name).toMatch(/^[A-Za-z][A-Za-z0-9_]{0,63}$/);
    // The odd operationId is kept recognisably, not replaced by a method+path fallback.
    expect(echoTool().name).toMatch(/^get_echo_v2/);
    void OPERATION_ID;
  });

  it('publishes titles and descriptions exactly as written in the spec', () => {
    const echo = echoTool();
    expect(echo.title).toBe(SUMMARY);
    expect(echo.description).toContain(SUMMARY);
    expect(echo.description).toContain(DESCRIPTION);
    const create = tools.find((t) => t.name === 'create_item')!;
    expect(create.title).toBe(BODY_SUMMARY);
  });

  it('publishes parameter enums, defaults and descriptions exactly', () => {
    const schema = echoTool().inputSchema;
    const kind = prop(schema, 'kind');
    expect(kind.enum).toEqual([...ENUM]);
    expect(kind.description).toBe(EVIL);
    const mode = prop(schema, 'mode');
    expect(mode.enum).toEqual([...ENUM]);
    expect(mode.default).toBe(DEFAULT);
    expect(mode.description).toBe(PARAM_DESCRIPTION);
  });

  it('renames the hostile parameter name to a safe argument and says so, keeping default and description', () => {
    const schema = echoTool().inputSchema;
    const renamed = (JSON.parse(generateRun.stdout) as { diagnostics: Array<{ code: string; message: string }> }).diagnostics.find(
      (d) => d.code === 'MCPGEN_ARGUMENT_RENAMED',
    );
    expect(renamed?.message).toContain(PARAM_EVIL);
    const argument = /is the argument "([^"]+)"/.exec(renamed!.message)![1]!;
    expect(argument).toMatch(/^[A-Za-z0-9_.-]{1,64}$/);
    const p = prop(schema, argument);
    expect(p.default).toBe(EVIL);
    expect(p.description).toBe(EVIL);
  });

  it('publishes body schema property names, enums, defaults and descriptions exactly', () => {
    const create = tools.find((t) => t.name === 'create_item')!;
    const root = create.inputSchema;
    // The body's properties appear either flattened or under one body argument.
    const props = (deref(root, root).properties ?? {}) as Record<string, unknown>;
    const holder = PROP_EVIL in props ? deref(root, root) : deref(Object.values(props)[0], root);
    const evil = prop(holder, PROP_EVIL);
    expect(evil.enum).toEqual([...ENUM]);
    expect(evil.default).toBe(DEFAULT);
    expect(evil.description).toBe(PROP_DESCRIPTION);
    const plain = prop(holder, PROP_PLAIN);
    expect(plain.default).toBe(EVIL);
    expect(plain.description).toBe(PROP_DESCRIPTION);
    expect(holder.required).toContain(PROP_EVIL);
  });

  it('publishes the output schema property name exactly', () => {
    const output = echoTool().outputSchema as Record<string, unknown> | undefined;
    expect(output).toBeDefined();
    expect(Object.keys((output!.properties ?? {}) as object)).toEqual([RESPONSE_PROP]);
  });

  it('generated source contains no executable trace of the spec text (the generated code is what ran)', () => {
    // If `${process.exit(1)}` had been interpolated, the server would have exited before tools/list.
    expect(tools.length).toBe(2);
    // Spec text lives in data/*.json, read with JSON.parse; none of it is in the code. The
    // generated sources are read, not dist/: the bundles also hold the dependencies' own code.
    const code = readdirSync(path.join(out, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(code).toContain('data.ts');
    for (const file of code) expect(readFileSync(path.join(out, 'src', file), 'utf8'), file).not.toContain('process.exit(1)');
    expect(readdirSync(path.join(out, 'data', 'tools')).map((f) => readFileSync(path.join(out, 'data', 'tools', f), 'utf8')).join('')).toContain('process.exit(1)');
  });

  it.each(ENUM.map((v) => [JSON.stringify(v), v] as const))('path and query enum value %s arrives at the upstream unchanged', async (_label, value) => {
    const before = received.length;
    const result = await conn.client.callTool({ name: echoTool().name, arguments: { kind: value, mode: value } });
    expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
    expect(received.length).toBe(before + 1);
    const req = lastRequest();
    expect(req.method).toBe('GET');
    const url = new URL(req.rawUrl, upstreamUrl);
    expect(url.pathname.startsWith('/api/echo/')).toBe(true);
    const segment = url.pathname.slice('/api/echo/'.length);
    expect(segment, 'the path value must be one encoded segment').not.toContain('/');
    expect(decodeURIComponent(segment)).toBe(value);
    expect(url.searchParams.getAll('mode')).toEqual([value]);
    expect(result.structuredContent).toEqual({ [RESPONSE_PROP]: EVIL });
  });

  it('the hostile parameter default and body property names reach the upstream unchanged', async () => {
    const renamedArg = Object.keys(prop(echoTool().inputSchema).properties as object).find((k) => k !== 'kind' && k !== 'mode')!;
    await conn.client.callTool({ name: echoTool().name, arguments: { kind: ENUM[0], [renamedArg]: EVIL } });
    const url = new URL(lastRequest().rawUrl, upstreamUrl);
    expect(url.searchParams.getAll(PARAM_EVIL)).toEqual([EVIL]);

    const create = tools.find((t) => t.name === 'create_item')!;
    const root = deref(create.inputSchema, create.inputSchema);
    const flat = PROP_EVIL in ((root.properties ?? {}) as object);
    const body = { [PROP_EVIL]: ENUM[6], [PROP_PLAIN]: EVIL };
    const args = flat ? body : { [Object.keys(root.properties as object)[0]!]: body };
    const result = await conn.client.callTool({ name: 'create_item', arguments: args });
    expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
    const req = lastRequest();
    expect(req.method).toBe('POST');
    expect(JSON.parse(req.body)).toEqual(body);
  });

  it('rejects a value outside the hostile enum without calling the upstream, naming the field', async () => {
    const before = received.length;
    const result = await conn.client.callTool({ name: echoTool().name, arguments: { kind: 'tick' } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('kind');
    expect(received.length).toBe(before);
  });
});
