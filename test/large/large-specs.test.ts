// Large real-world specs: generation (type-check included) succeeds with one tool per operation
// (minus the operations the compiler reports as skipped), and the built GitHub server publishes
// tool schemas that strict MCP clients accept.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import Ajv2020Module from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { connectStdio, killAllSpawned } from '../support/mcp.js';
import { findCorpus } from '../support/corpus-root.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(REPO_ROOT, 'bin', 'mcpgen.js');
const CORPUS_ROOT = findCorpus(REPO_ROOT);
const CORPUS = path.join(CORPUS_ROOT ?? '', 'large');
const TEN_MINUTES = 600_000;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Json = Record<string, unknown>;

interface Report {
  ok: boolean;
  diagnostics: Array<{ code: string; severity: string; pointer?: string; message: string }>;
  servers: Array<{ name: string; tools: number; files: number }>;
}

const cleanup: string[] = [];
afterAll(async () => {
  await killAllSpawned();
  for (const d of cleanup.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Gunzips a corpus spec into `dir`, writes a config, returns the parsed document. */
function prepare(corpusFile: string, dir: string, name: string): Json {
  const text = gunzipSync(readFileSync(path.join(CORPUS, corpusFile))).toString('utf8');
  writeFileSync(path.join(dir, 'spec.json'), text);
  writeFileSync(path.join(dir, 'mcpgen.config.json'), JSON.stringify({ servers: [{ name, spec: 'spec.json', output: 'out' }] }, null, 2));
  return JSON.parse(text) as Json;
}

function cli(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: TEN_MINUTES, maxBuffer: 512 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `#/paths/<p>/<method>` of every operation in the document. */
function operationPointers(doc: Json): string[] {
  const out: string[] = [];
  for (const [p, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const m of METHODS) if (item[m]) out.push(`#/paths/${p.replace(/~/g, '~0').replace(/\//g, '~1')}/${m}`);
  }
  return out;
}

/** Generates a corpus spec and checks the tool count against the document's operations. */
function generateAndCount(corpusFile: string, name: string, dir: string): { report: Report; operations: number; skipped: number } {
  const doc = prepare(corpusFile, dir, name);
  const run = cli(['generate', '--json'], dir);
  expect(run.stderr, 'no internal error').not.toMatch(/internal error/);
  let report: Report;
  try {
    report = JSON.parse(run.stdout) as Report;
  } catch {
    throw new Error(`generate printed no JSON (exit ${run.status}):\n${run.stderr.slice(-4000)}`);
  }
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.slice(0, 10), 'no error diagnostics').toEqual([]);
  expect(run.status).toBe(0);
  expect(report.ok).toBe(true);
  const operations = operationPointers(doc);
  // Skipped operations: MCPGEN_BODY_UNSUPPORTED *warnings*, each naming a real operation. (At
  // severity info the message says "the tool is offered without it": the operation is kept.)
  const skippedPointers = new Set(
    report.diagnostics
      .filter((d) => d.code === 'MCPGEN_BODY_UNSUPPORTED' && d.severity !== 'info')
      .map((d) => {
        const op = operations.find((o) => d.pointer === o || d.pointer?.startsWith(`${o}/`));
        expect(op, `MCPGEN_BODY_UNSUPPORTED at ${d.pointer} names an operation`).toBeDefined();
        return op!;
      }),
  );
  expect(report.servers).toHaveLength(1);
  expect(report.servers[0]!.tools).toBe(operations.length - skippedPointers.size);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'out', '.mcpgen-manifest.json'), 'utf8')) as { tools: string[] };
  expect(manifest.tools).toHaveLength(operations.length - skippedPointers.size);
  expect(new Set(manifest.tools).size).toBe(manifest.tools.length);
  return { report, operations: operations.length, skipped: skippedPointers.size };
}

// ---------------------------------------------------------------------------
// JSON Schema walking (schema positions only: a property *named* "$schema" is fine).
// ---------------------------------------------------------------------------

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_ONE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems'];

function walkSchema(schema: unknown, at: string, visit: (s: Json, at: string) => void): void {
  if (typeof schema !== 'object' || schema === null) return;
  if (Array.isArray(schema)) {
    schema.forEach((s, i) => walkSchema(s, `${at}/${i}`, visit));
    return;
  }
  const s = schema as Json;
  visit(s, at);
  for (const key of SCHEMA_MAPS) {
    const map = s[key];
    if (map && typeof map === 'object') for (const [k, v] of Object.entries(map as Json)) walkSchema(v, `${at}/${key}/${k}`, visit);
  }
  for (const key of SCHEMA_LISTS) if (Array.isArray(s[key])) (s[key] as unknown[]).forEach((v, i) => walkSchema(v, `${at}/${key}/${i}`, visit));
  for (const key of SCHEMA_ONE) if (key in s) walkSchema(s[key], `${at}/${key}`, visit);
}

function isArraySchema(s: Json): boolean {
  return s.type === 'array' || (Array.isArray(s.type) && s.type.includes('array'));
}

describe.skipIf(CORPUS_ROOT === undefined)('large real-world specs', () => {
  it(
    'GitHub: generates one tool per operation, builds, and publishes client-safe schemas',
    async () => {
      const dir = mkdtempSync(path.join(REPO_ROOT, 'test', 'large', '.tmp-'));
      cleanup.push(dir);
      const { report } = generateAndCount('github.com__api.github.com.json.gz', 'github', dir);
      const build = cli(['build', '--config', path.join(dir, 'mcpgen.config.json')], dir);
      expect(build.status, build.stderr.slice(-4000)).toBe(0);

      // Every tool's schema is under test: discovery mode (on by default at this size) is turned off.
      const conn = await connectStdio(path.join(dir, 'out'), { MCPGEN_DISCOVERY: 'off' }, 'legacy');
      let tools;
      try {
        tools = (await conn.client.listTools()).tools;
      } finally {
        await conn.close();
      }
      expect(tools).toHaveLength(report.servers[0]!.tools);

      const names = tools.map((t) => t.name);
      expect(names.filter((n) => !/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(n))).toEqual([]);
      expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);

      const Ajv2020 = (Ajv2020Module as unknown as { default?: typeof Ajv2020Module }).default ?? Ajv2020Module;
      const ajv = new (Ajv2020 as unknown as new (o: object) => { compile(s: object): unknown })({ strict: false });
      const problems: string[] = [];
      for (const tool of tools) {
        const input = tool.inputSchema as Json;
        if (input.type !== 'object') problems.push(`${tool.name}: inputSchema.type is ${JSON.stringify(input.type)}`);
        if (typeof input.properties !== 'object' || input.properties === null) problems.push(`${tool.name}: inputSchema has no properties`);
        for (const [label, schema] of [['inputSchema', input], ['outputSchema', tool.outputSchema]] as const) {
          walkSchema(schema, `${tool.name}/${label}`, (s, at) => {
            // Input converters need items on every array; an output schema's "any value" is one
            // anyOf branch per JSON type, its array branch bare (portable-output.ts).
            if (label === 'inputSchema' && isArraySchema(s) && !('items' in s)) problems.push(`${at}: array without items`);
            if ('$schema' in s) problems.push(`${at}: has $schema`);
          });
        }
        try {
          ajv.compile(input);
        } catch (error) {
          problems.push(`${tool.name}: inputSchema does not compile: ${(error as Error).message}`);
        }
      }
      expect(problems.slice(0, 30), `${problems.length} problems`).toEqual([]);
    },
    TEN_MINUTES,
  );

  it(
    'Stripe: generates one tool per operation (minus reported skips)',
    () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'mcpgen-'));
      cleanup.push(dir);
      const { operations, skipped } = generateAndCount('stripe.com.json.gz', 'stripe', dir);
      expect(operations).toBeGreaterThan(400);
      expect(skipped).toBeLessThan(operations);
    },
    TEN_MINUTES,
  );

  it(
    'Kubernetes: generates one tool per operation (minus reported skips)',
    () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'mcpgen-'));
      cleanup.push(dir);
      const { operations, skipped } = generateAndCount('kubernetes.io.json.gz', 'kubernetes', dir);
      expect(operations).toBeGreaterThan(800);
      expect(skipped).toBeLessThan(operations);
    },
    TEN_MINUTES,
  );

  // Microsoft Graph (11k operations) is too slow for the suite; it is measured by hand with
  // test/large/measure.sh (wall time and peak RSS), see the report of that run.
  it.skip('Microsoft Graph: measured by hand with test/large/measure.sh', () => {
    mkdirSync(os.tmpdir(), { recursive: true });
  });
});
