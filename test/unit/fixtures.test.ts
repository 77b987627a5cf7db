import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type GenerateResult } from '../../src/index.js';
import type { ToolPlan } from '../../src/plan/types.js';

const require = createRequire(import.meta.url);
const Ajv2020 = (require('ajv/dist/2020') as { default: new (options: object) => { compile(schema: object): unknown } }).default;

const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'mcpgen-fixtures-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const results = new Map<string, Promise<GenerateResult>>();
function generateFixture(name: string): Promise<GenerateResult> {
  if (!results.has(name)) {
    const dir = join(fixturesDir, name);
    results.set(name, generate({ configPath: join(dir, 'mcpgen.config.json'), cwd: dir, dryRun: true, verify: true }));
  }
  return results.get(name)!;
}

/** The fixture's generated server, or a failure that lists the diagnostics that prevented it. */
function serverOf(result: GenerateResult) {
  const server = result.servers[0];
  if (!server) throw new Error(`generation failed:\n${result.diagnostics.map((d) => `${d.code} ${d.file ?? ''} ${d.message}`).join('\n')}`);
  return server;
}

/** A value as it looks after a JSON round trip (undefined fields dropped), as the data files hold it. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe.each(['hostile', 'naming', 'recursive'])('fixture %s', (name) => {
  let result: GenerateResult;
  beforeAll(async () => {
    result = await generateFixture(name);
  });

  it('generates and type-checks without errors', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.servers).toHaveLength(1);
  });

  it('matches the snapshot of every generated file except the runtime', async () => {
    const files = serverOf(result).files.filter((f) => !f.path.startsWith('src/runtime/'));
    expect(files.map((f) => f.path)).toContain('src/data.ts');
    for (const file of files) {
      await expect(file.text, file.path).toMatchFileSnapshot(`../fixtures/${name}/__snapshots__/${file.path}`);
    }
  });

  it('publishes only schemas in the portable subset, each compiling with Ajv 2020', () => {
    const ajv = new Ajv2020({ strict: false });
    const { plan } = serverOf(result);
    for (const tool of plan.tools) {
      // The published input schema: the tool's schema plus the shared definitions it names.
      const defs = tool.definition.defs ?? [];
      const input = defs.length ? { ...tool.definition.inputSchema, $defs: Object.fromEntries(defs.map((name) => [name, plan.definitions[name]])) } : tool.definition.inputSchema;
      for (const name of defs) expect(plan.definitions[name], `${tool.definition.name} needs ${name}`).toBeDefined();
      for (const [kind, planned] of [['input', input], ['output', tool.definition.outputSchema]] as const) {
        if (!planned) continue;
        // What clients see is the JSON text. (In memory, the __proto__ bug below leaves a schema
        // whose `properties` has an inherited prototype, which Ajv rejects.)
        const schema = JSON.parse(JSON.stringify(planned)) as Record<string, unknown>;
        const label = `${tool.definition.name} ${kind}`;
        expect(schema.type, label).toBe('object');
        expect(schema.properties, label).toBeTypeOf('object');
        expect(schema, label).not.toHaveProperty('$schema');
        const stack: unknown[] = [schema];
        while (stack.length) {
          const node = stack.pop();
          if (!node || typeof node !== 'object') continue;
          const record = node as Record<string, unknown>;
          // Input converters need `items` on every array. An output schema's "any value" (one
          // anyOf branch per JSON type, portable-output.ts) has a bare {type: 'array'}: nothing
          // converts output schemas into a model's tool definition.
          const array = record.type === 'array' || (Array.isArray(record.type) && record.type.includes('array'));
          if (array && kind === 'input') expect(record, label).toHaveProperty('items');
          if (kind === 'output') expect(record.type, label).not.toBeInstanceOf(Array);
          if (typeof record.$ref === 'string') expect(record.$ref, label).toMatch(/^#\/\$defs\//);
          stack.push(...Object.values(record));
        }
        expect(() => ajv.compile(schema), label).not.toThrow();
      }
    }
  });

  it('emits Compose and Kubernetes files that parse and agree on one app, its probes and its replicas', () => {
    const text = (path: string): string => serverOf(result).files.find((f) => f.path === path)?.text ?? '';
    type Manifest = { kind: string; metadata: { name: string }; spec: Record<string, any> };
    const compose = parseYaml(text('docker-compose.yml')) as { services: Record<string, any> };
    expect(compose.services['mcp'].deploy.replicas).toBe(3);
    expect(compose.services['nginx'].volumes).toEqual(['./nginx.conf:/etc/nginx/nginx.conf:ro']);
    expect(text('nginx.conf')).toContain('server mcp:3000 ');
    const [deployment, service, hpa] = ['deployment', 'service', 'hpa'].map((name) => parseYaml(text(`kubernetes/${name}.yaml`)) as Manifest);
    expect([deployment!.kind, service!.kind, hpa!.kind]).toEqual(['Deployment', 'Service', 'HorizontalPodAutoscaler']);
    expect(deployment!.metadata.name).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
    const container = deployment!.spec['template'].spec.containers[0];
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(service!.spec['selector']).toEqual(deployment!.spec['selector'].matchLabels);
    expect(hpa!.spec['scaleTargetRef']).toMatchObject({ kind: 'Deployment', name: deployment!.metadata.name });
  });

  it('copies the runtime verbatim from templates/runtime', () => {
    const runtime = serverOf(result).files.filter((f) => f.path.startsWith('src/runtime/'));
    expect(runtime.length).toBeGreaterThan(0);
    for (const file of runtime) {
      const source = readFileSync(fileURLToPath(new URL(`../../templates/runtime/${file.path.slice('src/runtime/'.length)}`, import.meta.url)), 'utf8');
      expect(file.text, file.path).toBe(source);
    }
  });

  it('emits data files that parse to exactly the planned tables', () => {
    const server = serverOf(result);
    const data = (path: string): unknown => JSON.parse(server.files.find((f) => f.path === path)?.text ?? 'null');
    for (const group of server.plan.groups) {
      expect(data(`data/tools/${group.slug}.json`), group.slug).toEqual(plain(group.tools.map((t) => t.definition)));
    }
    expect(data('data/definitions.json')).toEqual(plain(server.plan.definitions));
    expect(data('data/resources.json')).toEqual(plain({ resources: server.plan.resources, resourceTemplates: server.plan.resourceTemplates }));
    expect(data('data/prompts.json')).toEqual(plain(server.plan.prompts));
  });

  it('emits src/data.ts that, compiled and run, loads every table from data/', async () => {
    const server = serverOf(result);
    const root = join(scratch, `${name}-package`);
    for (const file of server.files) {
      if (!file.path.startsWith('data/') && file.path !== 'src/data.ts' && file.path !== 'src/runtime/data.ts') continue;
      const text = file.path.endsWith('.ts') ? ts.transpileModule(file.text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText : file.text;
      const target = join(root, file.path.replace(/\.ts$/, '.js'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
    writeFileSync(join(root, 'package.json'), '{"type":"module"}');
    const loaded = (await import(pathToFileURL(join(root, 'src/data.js')).href)) as Record<string, unknown>;
    expect(loaded['tools']).toEqual(plain(server.plan.groups.flatMap((g) => g.tools.map((t) => t.definition))));
    expect(loaded['definitions']).toEqual(plain(server.plan.definitions));
    expect(loaded['resources']).toEqual(plain(server.plan.resources));
    expect(loaded['resourceTemplates']).toEqual(plain(server.plan.resourceTemplates));
    expect(loaded['prompts']).toEqual(plain(server.plan.prompts));
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
  });
});

describe('fixture naming: decisions', () => {
  let tools: Map<string, ToolPlan>;
  beforeAll(async () => {
    const result = await generateFixture('naming');
    tools = new Map(serverOf(result).plan.tools.map((t) => [`${t.definition.operation.method} ${t.definition.operation.path}`, t]));
  });

  it.each([
    ['camelCase operationId', { key: 'GET /items', name: 'list_items', group: 'index-tools' }],
    ['collision gets a suffix', { key: 'POST /items', name: 'list_items_2', group: 'index-tools' }],
    ['no operationId', { key: 'GET /items/{id}', name: 'get_items_id', group: 'item-details' }],
    ['leading digit', { key: 'GET /2fa/status', name: 'op_2fa_status', group: 'default' }],
    ['root path', { key: 'GET /', name: 'get', group: 'default' }],
  ])('%s', (_name, { key, name, group }) => {
    expect(tools.get(key)?.definition.name).toBe(name);
    expect(tools.get(key)?.group).toBe(group);
  });

  it('shortens two long operationIds to distinct names that fit a client prefix (mcp__<server>__<tool>) in 64 characters', () => {
    const a = tools.get('DELETE /items/{id}')!.definition.name;
    const b = tools.get('PATCH /items/{id}')!.definition.name;
    expect(a).not.toBe(b);
    for (const n of [a, b]) {
      expect(`mcp__naming-fixture__${n}`.length).toBeLessThanOrEqual(64);
      expect(n).toMatch(/^delete_the_item_identified_by_.*_[0-9a-f]{8}$/);
    }
  });

  it('renames clashing and unsafe parameter names', () => {
    const parameters = tools.get('GET /items/{id}')!.definition.operation.parameters;
    expect(parameters.map((p) => [p.in, p.name, p.arg])).toEqual([
      ['path', 'id', 'id'],
      ['query', 'id', 'query_id'],
      ['query', 'filter[status]', 'filter_status_'],
      ['header', 'body', 'body'],
    ]);
  });

  it('names the body request_body when a parameter took body', () => {
    const put = tools.get('PUT /items/{id}')!.definition;
    expect(put.operation.parameters.map((p) => p.arg)).toEqual(['id', 'body']);
    expect(put.operation.body?.arg).toBe('request_body');
    expect(put.inputSchema.required).toEqual(['id', 'request_body']);
    expect(tools.get('PATCH /items/{id}')!.definition.operation.body?.arg).toBe('body');
  });

  it('names every tool uniquely and validly', () => {
    const names = [...tools.values()].map((t) => t.definition.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[A-Za-z][A-Za-z0-9_]{0,63}$/);
  });
});

describe('fixture hostile: spec strings survive unchanged', () => {
  const spec = parseYaml(readFileSync(join(fixturesDir, 'hostile', 'openapi.yaml'), 'utf8')) as any;
  const echoSpec = spec.paths['/echo/{id}'].post;
  let result: GenerateResult;
  let echo: ToolPlan;
  let plain: ToolPlan;
  beforeAll(async () => {
    result = await generateFixture('hostile');
    const tools = result.servers[0]?.plan.tools ?? [];
    echo = tools.find((t) => t.definition.operation.operationId === 'echo')!;
    plain = tools.find((t) => t.definition.operation.operationId === 'plainDescription')!;
  });

  it('the spec really contains the hostile characters', () => {
    const text = JSON.stringify(echoSpec);
    for (const needle of ['`', '${', '*/', '"', "'", '\\\\', '\u2028', '\u2029', '</script>']) expect(text).toContain(needle);
  });

  it('passed verification (no MCPGEN_TYPECHECK)', () => {
    expect(result.diagnostics.map((d) => d.code)).not.toContain('MCPGEN_TYPECHECK');
    expect(result.ok).toBe(true);
  });

  it('keeps summary and description exactly', () => {
    expect(echo.definition.title).toBe(echoSpec.summary);
    expect(echo.definition.description).toBe(`${echoSpec.summary}\n\n${echoSpec.description}`);
    expect(plain.definition.description).toBe(spec.paths['/plain'].get.description);
  });

  it('keeps enum values, defaults and patterns exactly', () => {
    const properties = echo.definition.inputSchema.properties as Record<string, any>;
    const query = echo.definition.operation.parameters.find((p) => p.name === 'q`${x}')!;
    expect(query.arg).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(properties[query.arg].enum).toEqual(echoSpec.parameters[1].schema.enum);
    expect(properties[query.arg].default).toBe('*/');
    expect(properties.id.pattern).toBe(echoSpec.parameters[0].schema.pattern);
    expect(properties.id.description).toBe(echoSpec.parameters[0].description);
    // `"` and `\` are not HTTP token characters: fetch would refuse every request carrying
    // this header, so the optional parameter is left out, with a warning that names it.
    expect(echo.definition.operation.parameters.some((p) => p.in === 'header')).toBe(false);
    const warning = result.diagnostics.find((d) => d.code === 'MCPGEN_HEADER_NAME_INVALID');
    expect(warning?.severity).toBe('warning');
    expect(warning?.message).toContain(JSON.stringify('X-Quote"\'\\'));
  });

  it('keeps hostile property names and their enums in the body schema', () => {
    const body = (echo.definition.inputSchema.properties as Record<string, any>).body;
    const payload = spec.components.schemas.Payload;
    const hostileName = 'a"b`${c}`*/';
    expect(body.description).toBe(payload.description);
    expect(body.properties[hostileName].enum).toEqual(payload.properties[hostileName].enum);
    expect(Object.prototype.hasOwnProperty.call(body.properties, 'constructor')).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(body.properties, 'toString')).toBe(true);
  });

  // Regression: `properties[name] = …` with name `__proto__` set the prototype instead of adding a property.
  it('keeps the __proto__ property in the body schema', () => {
    const body = (echo.definition.inputSchema.properties as Record<string, any>).body;
    expect(Object.keys(body.properties)).toContain('__proto__');
  });

  it('never prints a raw </script> or an unbroken comment end from the spec in the README tables', () => {
    const readme = serverOf(result).files.find((f) => f.path === 'README.md')!.text;
    expect(readme).not.toContain('</script>');
  });
});
