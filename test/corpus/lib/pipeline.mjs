// One spec through every stage: generated → type-checked → started → schemas valid → calls accepted.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { judgeExchange, startMock } from './mock.mjs';
import { freePort, run, withTimeout } from './proc.mjs';
import { NoSample, sampleArgs } from './sample-args.mjs';
import { checkTools } from './schema-check.mjs';

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const addFormats = addFormatsModule.default ?? addFormatsModule;

export const STAGES = ['generated', 'typeChecked', 'started', 'schemasValid', 'callsAccepted'];

export const DEFAULT_TIMEOUTS = { generate: 120_000, build: 180_000, start: 20_000, list: 60_000, prism: 30_000, call: 30_000 };

const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function firstLine(text, max = 300) {
  return String(text ?? '')
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.trim())
    .find(Boolean)
    ?.slice(0, max) ?? '';
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Errors of a `mcpgen … --json` run, or the internal error when it printed no JSON. */
function cliFailure(res, json) {
  if (res.timedOut) return [{ code: 'TIMEOUT', message: `timed out after ${Math.round(res.ms / 1000)} s` }];
  const errors = (json?.diagnostics ?? []).filter((d) => d.severity === 'error').map((d) => ({ code: d.code, message: firstLine(d.message, 500), pointer: d.pointer, file: d.file, line: d.line }));
  if (errors.length) return errors;
  const stderr = res.stderr.replace(/^mcpgen: internal error.*\n/, '');
  return [{ code: res.code === 2 ? 'INTERNAL_ERROR' : `EXIT_${res.code ?? res.signal}`, message: firstLine(stderr || res.stdout, 500), stack: stderr.slice(0, 3000) }];
}

/** Credential variables the generated server reads (from out/src/api.ts, else its README). */
export function credentialEnv(outDir) {
  const env = {};
  const api = join(outDir, 'src', 'api.ts');
  if (existsSync(api)) {
    const text = readFileSync(api, 'utf8');
    for (const m of text.matchAll(/\b(?:env|usernameEnv|passwordEnv)\s*:\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]/g)) env[m[1]] = 'test-credential';
  }
  const readme = join(outDir, 'README.md');
  if (!Object.keys(env).length && existsSync(readme)) {
    const text = readFileSync(readme, 'utf8');
    const section = text.split(/^## Environment variables/m)[1]?.split(/^## /m)[0] ?? '';
    for (const m of section.matchAll(/^\|\s*`([A-Z_][A-Z0-9_]*)`\s*\|([^\n]*)$/gm)) {
      if (/security scheme/i.test(m[2])) env[m[1]] = 'test-credential';
    }
  }
  return env;
}

/** Up to `n` tools, deterministic, GETs first, then round-robin over the other methods. */
export function pickTools(tools, n = 5) {
  const groups = new Map();
  for (const t of tools) {
    const method = String(t._meta?.['mcpgen/operation']?.method ?? '').toUpperCase() || 'OTHER';
    if (!groups.has(method)) groups.set(method, []);
    groups.get(method).push(t);
  }
  const order = [...groups.keys()].sort((a, b) => (METHOD_ORDER.indexOf(a) + 1 || 99) - (METHOD_ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b));
  // spread picks across each group: first, last, middle, …
  const spread = (list) => {
    const idx = [];
    const add = (i) => !idx.includes(i) && i >= 0 && i < list.length && idx.push(i);
    add(0);
    add(list.length - 1);
    for (let d = 2; idx.length < list.length; d *= 2) for (let k = 1; k < d; k += 2) add(Math.floor((k * (list.length - 1)) / d));
    return idx.map((i) => list[i]);
  };
  const queues = order.map((m) => spread(groups.get(m)));
  const picked = [];
  // GETs first: two slots for GET when available, then round-robin
  if (queues.length && order[0] === 'GET') picked.push(...queues[0].splice(0, 2));
  while (queues.some((q) => q.length)) for (const q of queues) if (q.length) picked.push(q.shift());
  return picked; // in preference order; the caller stops after n calls
}

export async function runSpec(spec, { repoRoot, mcpgen = join(repoRoot, 'bin', 'mcpgen.js'), timeouts = DEFAULT_TIMEOUTS, callsPerSpec = 5, log = () => {} }) {
  const t0 = Date.now();
  const result = { id: spec.id, source: spec.source, name: spec.name, stages: {}, timings: {}, memoryKb: {} };
  const outDir = join(spec.dir, 'out');
  const configPath = join(spec.dir, 'mcpgen.config.json');
  const fail = (stage, errors) => {
    result.stages[stage] = 'fail';
    result.failedStage = stage;
    result.errors = errors;
    for (const s of STAGES.slice(STAGES.indexOf(stage) + 1)) result.stages[s] = 'not-run';
    result.ms = Date.now() - t0;
    return result;
  };
  mkdirSync(spec.dir, { recursive: true });
  rmSync(outDir, { recursive: true, force: true });
  const proxyPort = await freePort();
  const config = {
    servers: [{ name: spec.name, spec: relative(spec.dir, spec.file) || spec.file, output: 'out', baseUrl: `http://127.0.0.1:${proxyPort}` }],
  };
  writeFileSync(configPath, JSON.stringify(config, null, 2));

  // 1. generated (includes the in-memory type-check of the verify stage)
  log(spec.id, 'generate');
  const gen = await run(process.execPath, [mcpgen, 'generate', '--config', configPath, '--json'], { cwd: repoRoot, timeoutMs: timeouts.generate });
  result.timings.generate = gen.ms;
  result.memoryKb.generate = gen.maxRssKb;
  const genJson = parseJson(gen.stdout);
  result.diagnosticCounts = countSeverities(genJson?.diagnostics);
  // Warnings name spec defects (e.g. MCPGEN_PATH_FRAGMENT) that explain later failures.
  result.warningCodes = [...new Set((genJson?.diagnostics ?? []).filter((d) => d.severity === 'warning').map((d) => d.code))].sort();
  if (gen.code !== 0 || !genJson?.ok) return fail('generated', cliFailure(gen, genJson));
  result.tools = genJson.servers?.[0]?.tools;
  result.stages.generated = 'pass';

  // 2. type-checked: mcpgen build emits dist/
  log(spec.id, 'build');
  const build = await run(process.execPath, [mcpgen, 'build', '--config', configPath, '--json'], { cwd: repoRoot, timeoutMs: timeouts.build });
  result.timings.build = build.ms;
  result.memoryKb.build = build.maxRssKb;
  const buildJson = parseJson(build.stdout);
  if (build.code !== 0 || !buildJson?.ok) return fail('typeChecked', cliFailure(build, buildJson));
  result.stages.typeChecked = 'pass';

  // 3. started: the real SDK client over stdio, tools/list with pagination
  log(spec.id, 'start');
  const env = credentialEnv(outDir);
  result.credentialEnv = Object.keys(env);
  let stderrTail = '';
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [join(outDir, 'dist', 'stdio.js')],
    env: { ...getDefaultEnvironment(), ...env },
    cwd: outDir,
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (c) => (stderrTail = (stderrTail + c).slice(-8000)));
  const client = new Client({ name: 'mcpgen-corpus', version: '0.0.0' });
  let mock;
  try {
    let tools;
    const tStart = Date.now();
    try {
      await withTimeout(client.connect(transport), timeouts.start, 'connect');
      tools = [];
      let cursor;
      const listDeadline = Date.now() + timeouts.list;
      do {
        const page = await withTimeout(client.listTools(cursor ? { cursor } : {}), Math.max(1000, listDeadline - Date.now()), 'tools/list');
        tools.push(...page.tools);
        cursor = page.nextCursor;
      } while (cursor);
    } catch (error) {
      return fail('started', [{ code: 'START_FAILED', message: `${firstLine(error?.message ?? error)}${stderrTail ? ` — stderr: ${firstLine(stderrTail)}` : ''}`, stderr: stderrTail.slice(-3000) }]);
    }
    result.timings.start = Date.now() - tStart;
    result.listedTools = tools.length;
    if (typeof result.tools === 'number' && result.tools !== tools.length) {
      return fail('started', [{ code: 'TOOL_COUNT_MISMATCH', message: `generate reported ${result.tools} tools, tools/list returned ${tools.length}` }]);
    }
    result.stages.started = 'pass';

    // 4. schemas valid
    const problems = checkTools(tools);
    if (problems.length) {
      result.schemaProblems = problems.slice(0, 50);
      return fail('schemasValid', problems.slice(0, 20).map((p) => ({ code: `SCHEMA_${p.rule}`, message: `${p.tool}: ${p.message}` })));
    }
    result.stages.schemasValid = 'pass';

    // 5. calls accepted by Prism --errors
    log(spec.id, 'prism');
    const tPrism = Date.now();
    try {
      mock = await startMock(repoRoot, spec.file, { timeoutMs: timeouts.prism, port: proxyPort });
    } catch (error) {
      result.prismError = firstLine(error.message, 1500);
      return fail('callsAccepted', [{ code: 'MOCK_FAILED', message: `Prism could not serve the spec: ${firstLine(error.message, 500)}` }]);
    }
    result.timings.prism = Date.now() - tPrism;
    const validator = new Ajv2020({ strict: false, allErrors: false });
    addFormats(validator);
    const calls = [];
    let noSample = 0;
    const noSampleReasons = [];
    for (const tool of pickTools(tools)) {
      if (calls.length >= callsPerSpec) break;
      const op = tool._meta?.['mcpgen/operation'] ?? {};
      let args;
      let validate;
      try {
        validate = validator.compile(tool.inputSchema);
      } catch {
        validate = () => true;
      }
      for (const useExamples of [true, false]) {
        try {
          const candidate = sampleArgs(tool.inputSchema, { useExamples });
          if (validate(candidate)) {
            args = candidate;
            break;
          }
          if (!useExamples) noSampleReasons.push(`${tool.name}: synthesized arguments do not validate: ${validator.errorsText(validate.errors)}`);
        } catch (error) {
          if (!(error instanceof NoSample)) throw error;
          if (!useExamples) noSampleReasons.push(`${tool.name}: ${error.message}`);
        }
      }
      if (!args) {
        noSample++;
        continue;
      }
      log(spec.id, `call ${tool.name}`);
      mock.exchanges.length = 0;
      const call = { tool: tool.name, method: op.method, path: op.path, arguments: args };
      try {
        const res = await withTimeout(client.callTool({ name: tool.name, arguments: args }), timeouts.call, `tools/call ${tool.name}`);
        call.isError = Boolean(res.isError);
        call.resultText = (res.content ?? [])
          .filter((c) => c.type === 'text')
          .map((c) => c.text)
          .join('\n')
          .slice(0, 600);
      } catch (error) {
        call.clientError = firstLine(error?.message ?? error, 600);
      }
      call.requests = mock.exchanges.map((x) => ({ method: x.method, url: x.url, status: x.status, contentType: x.headers['content-type'] }));
      if (!mock.exchanges.length) {
        call.accepted = false;
        call.reason = `no request reached the mock: ${firstLine(call.clientError ?? call.resultText, 400)}`;
      } else {
        const verdicts = mock.exchanges.map(judgeExchange);
        const rejected = verdicts.find((v) => !v.accepted);
        call.accepted = !rejected;
        if (rejected) call.reason = rejected.reason;
        call.status = mock.exchanges.at(-1).status;
      }
      calls.push(call);
    }
    result.calls = calls;
    result.noSample = noSample;
    if (noSampleReasons.length) result.noSampleReasons = noSampleReasons.slice(0, 10);
    const rejected = calls.filter((c) => !c.accepted);
    if (!calls.length) {
      result.stages.callsAccepted = tools.length ? 'skip' : 'skip';
      result.skipReason = tools.length ? `no sample for any of the tools tried (${noSample})` : 'no tools';
    } else if (rejected.length) {
      result.stages.callsAccepted = 'fail';
      result.failedStage = 'callsAccepted';
      result.errors = rejected.map((c) => ({ code: 'CALL_REJECTED', message: `${c.tool} (${c.method} ${c.path}): ${c.reason}` }));
    } else {
      result.stages.callsAccepted = 'pass';
    }
    result.ms = Date.now() - t0;
    return result;
  } finally {
    await client.close().catch(() => undefined);
    const pid = transport.pid;
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    if (mock) await mock.stop();
  }
}

function countSeverities(diagnostics = []) {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity] = (counts[d.severity] ?? 0) + 1;
  return counts;
}
