#!/usr/bin/env node
// The client matrix: real MCP clients and agent frameworks drive mcpgen's generated
// servers over stdio and Streamable HTTP against a recording upstream on 127.0.0.1.
//
//   node test/clients/run.mjs [--large [--large-dir DIR]] [--client NAME] [--json FILE]
//
// Without --large: the committed examples (generated/ledger-api, generated/media-api, as built
// by `mcpgen build`) and the ledger server against a drifting upstream. With --large: GitHub and Stripe
// from the corpus, generated and built into a temporary folder with the CLI (or reused from
// DIR/<github|stripe>/out, built before, with --large-dir).
// Per client × server × transport: connect, list tools, call one tool, convert the list to the
// framework's native tools (and call through the native tool), and count the tools OpenAI
// strict mode accepts; Inspector runs its `--strict` schema portability report (lint). Prints a table; --json writes the cells.
//
// The clients are pinned in package.json + package-lock.json beside this file; several need
// Node 22, which is installed from the npm registry (package `node`) with them when missing.
// This script re-runs itself on that Node 22; the generated servers run on the Node that
// started it. Exit code: 0 when every cell ran (failing cells are data, the test judges
// them), 2 when the harness itself failed.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { ensurePinnedInstall } from '../support/pinned-install.mjs';
import { findCorpus } from '../support/corpus-root.mjs';
import { stopChild, untilListening } from '../support/http-child.mjs';
import { CLIENTS, LARGE_SPECS, TRANSPORTS, exampleTargets, largeTargets } from './targets.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const MCPGEN = join(ROOT, 'bin', 'mcpgen.js');
const CELL_TIMEOUT_MS = 90_000;
// Cells side by side: each spawns at most one client and one stdio server; the machines
// that run this are small.
const CONCURRENCY = 2;
const INNER = 'MCPGEN_CLIENTS_SERVER_NODE';

const log = (line) => process.stderr.write(`[clients] ${line}\n`);

function parseArgs(argv) {
  const options = { large: false, client: undefined, json: undefined, largeDir: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--large') options.large = true;
    else if (arg === '--client') options.client = argv[++i];
    else if (arg === '--json') options.json = resolve(argv[++i] ?? '');
    else if (arg === '--large-dir') options.largeDir = argv[++i];
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(4, 11).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
      process.exit(0);
    } else throw new Error(`unknown option ${arg}`);
  }
  if (options.client !== undefined && !CLIENTS.includes(options.client)) throw new Error(`no client ${options.client}; clients: ${CLIENTS.join(', ')}`);
  return options;
}

function run(command, args, cwd = ROOT) {
  log(`$ ${relative(ROOT, command) || command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], timeout: 900_000 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

// ------------------------------------------------------------------ outer: setup on any Node

/** Generates and builds GitHub and Stripe from the corpus into a new temporary folder. */
function generateLarge() {
  const corpus = findCorpus(ROOT);
  if (corpus === undefined) throw new Error('no corpus found (../shared/corpus or MCPGEN_CORPUS): --large needs it');
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-clients-'));
  for (const [name, file] of Object.entries(LARGE_SPECS)) {
    const folder = join(dir, name);
    mkdirSync(folder);
    writeFileSync(join(folder, 'spec.json'), gunzipSync(readFileSync(join(corpus, 'large', file))));
    // Every tool listed (discovery off): the matrix measures how clients take the full surface.
    writeFileSync(join(folder, 'mcpgen.config.json'), JSON.stringify({ servers: [{ name, spec: 'spec.json', output: 'out', discovery: 'off' }] }));
    run(process.execPath, [MCPGEN, 'generate', '--quiet'], folder);
    run(process.execPath, [MCPGEN, 'build', '--quiet'], folder);
  }
  return dir;
}

async function outer(options, argv) {
  const { node22, version } = ensurePinnedInstall(HERE, ['node_modules/@modelcontextprotocol/sdk/package.json', 'node_modules/@mastra/mcp/package.json'], log);
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
  let largeDir;
  const args = [fileURLToPath(import.meta.url), ...argv];
  if (options.large && options.largeDir === undefined) {
    largeDir = generateLarge();
    args.push('--large-dir', largeDir);
  }
  log(`clients on Node ${version}; generated servers on Node ${process.version}`);
  try {
    return await new Promise((resolvePromise, reject) => {
      const child = spawn(node22, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, [INNER]: process.execPath } });
      child.once('error', reject);
      child.once('close', (code, signal) => resolvePromise(code ?? (signal ? 2 : 0)));
    });
  } finally {
    if (largeDir) rmSync(largeDir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ inner: the matrix on Node 22

/** A minimal environment for a server process (no credentials or test variables leak in). */
function serverEnv(extra) {
  const env = {};
  for (const key of ['PATH', 'HOME', 'SYSTEMROOT', 'TMPDIR']) if (process.env[key] !== undefined) env[key] = process.env[key];
  return { ...env, ...extra };
}

/** Starts one generated HTTP server on an ephemeral port; resolves with its /mcp URL. */
function startHttp(target, serverNode, env) {
  const script = join(target.dir, 'dist', 'http.js');
  if (!existsSync(script)) return Promise.reject(new Error(`${relative(ROOT, script)} is missing: build first`));
  const child = spawn(serverNode, [script], { cwd: target.dir, env: serverEnv({ MCPGEN_SHUTDOWN_DELAY_MS: '0', ...env, HOST: '127.0.0.1', PORT: '0' }), stdio: ['ignore', 'ignore', 'pipe'] });
  return untilListening(child, target.name, 30_000).then(({ url }) => ({ child, url }));
}

function describeError(error) {
  let text = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  // fetch failures say only "fetch failed"; the reason is in the cause.
  if (error instanceof Error && error.cause) text += ` (cause: ${error.cause instanceof Error ? `${error.cause.code ?? error.cause.name}: ${error.cause.message}` : String(error.cause)})`;
  return text.replace(/\s+/g, ' ').slice(0, 500);
}

function text(value) {
  try {
    return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** One client × server × transport: each step's outcome, never a throw. */
async function runCell(clientName, driver, target, transport, server, upstream) {
  const cell = { client: clientName, server: target.name, transport, steps: {}, errors: {} };
  const spec = target.call(`${clientName}-${transport}-${target.upstream}`);
  const call = {
    ...spec,
    // A call passes when nothing threw, the result is not an error, it carries the
    // upstream's data, and the upstream really received the request.
    check(result) {
      if (result && typeof result === 'object' && result.isError === true) throw new Error(`isError result: ${text(result.content ?? result).slice(0, 300)}`);
      const shown = text(result);
      if (!shown.includes(spec.expect)) throw new Error(`result lacks ${JSON.stringify(spec.expect)}: ${shown.slice(0, 300)}`);
      if (!upstream.requests.some((r) => r.path === spec.path)) throw new Error(`the upstream never received ${spec.path}`);
      return true;
    },
  };
  const step = async (name, fn) => {
    try {
      const value = await fn();
      cell.steps[name] =
        name === 'connect' ? true : value && typeof value === 'object' && 'converted' in value ? { converted: value.converted, of: value.of } : Array.isArray(value) ? value.length : true;
      if (value?.rejected?.length) cell.strictRejected = value.rejected;
      if (name === 'lint' && Array.isArray(value) && value.length) cell.lintFindings = value;
      return value ?? true;
    } catch (error) {
      cell.steps[name] = false;
      cell.errors[name] = describeError(error);
      return undefined;
    }
  };
  const started = Date.now();
  let timer;
  try {
    await Promise.race([
      driver.drive({ server, transport, call, step }),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`cell timed out after ${CELL_TIMEOUT_MS / 1000} s`)), CELL_TIMEOUT_MS))),
    ]);
  } catch (error) {
    cell.errors.harness = describeError(error);
  } finally {
    clearTimeout(timer);
  }
  cell.ms = Date.now() - started;
  return cell;
}

/** Runs work over items with at most `limit` at a time; results in item order. */
async function pool(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

function pad(value, width) {
  const s = String(value);
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}

function show(step) {
  if (step === undefined) return '-';
  if (step === false) return 'FAIL';
  if (step === true) return 'ok';
  if (typeof step === 'number') return String(step);
  return `${step.converted}/${step.of}`;
}

function table(cells) {
  const head = ['client', 'server', 'transport', 'connect', 'list', 'call', 'native call', 'converted', 'strict', 'lint'];
  const widths = [14, 17, 10, 8, 6, 6, 12, 10, 8, 6];
  const lines = [head.map((h, i) => pad(h, widths[i])).join(' ')];
  for (const c of cells) {
    const row = [c.client, c.server, c.transport, show(c.steps.connect), show(c.steps.list), show(c.steps.call), show(c.steps.nativeCall), show(c.steps.converted), show(c.steps.strict), show(c.steps.lint)];
    lines.push(row.map((v, i) => pad(v, widths[i])).join(' '));
  }
  const failures = cells.flatMap((c) => Object.entries(c.errors).map(([step, message]) => `  ${c.client} ${c.server} ${c.transport} ${step}: ${message}`));
  if (failures.length) lines.push('', 'failures:', ...failures);
  // Which tools OpenAI strict mode refused, once per server (every transport sees the same list).
  const refused = new Map();
  for (const c of cells) if (c.strictRejected && !refused.has(c.server)) refused.set(c.server, c.strictRejected);
  for (const [server, names] of refused) {
    const shown = names.length > 40 ? `${names.slice(0, 40).join(', ')}, … (${names.length - 40} more)` : names.join(', ');
    lines.push('', `not strict-convertible on ${server} (${names.length}): ${shown}`);
  }
  // Inspector --strict findings, once per server, counted by rule, with a few examples.
  const linted = new Map();
  for (const c of cells) if (c.lintFindings && !linted.has(c.server)) linted.set(c.server, c.lintFindings);
  for (const [server, findings] of linted) {
    const rules = new Map();
    for (const finding of findings) {
      // "tool schema.path rule": counted by schema and rule.
      const [, where] = finding.split(' ');
      const rule = `${where.split('.')[0]} ${finding.slice(finding.lastIndexOf(' ') + 1)}`;
      rules.set(rule, (rules.get(rule) ?? 0) + 1);
    }
    lines.push('', `Inspector --strict findings on ${server} (${findings.length}): ${[...rules].map(([rule, n]) => `${rule} ${n}`).join(', ')}; e.g. ${findings.slice(0, 5).join('; ')}`);
  }
  return lines.join('\n');
}

async function inner(options) {
  const serverNode = process.env[INNER];
  const { startUpstream } = await import('./upstream.mjs');
  const targets = options.large ? largeTargets(resolve(options.largeDir)) : exampleTargets(ROOT);
  const clients = CLIENTS.filter((name) => options.client === undefined || name === options.client);
  const upstream = await startUpstream();
  const cells = [];
  const started = Date.now();
  try {
    for (const target of targets) {
      upstream.setMode(target.upstream);
      const env = { [target.baseUrlEnv]: `${upstream.url}${target.basePath}` };
      const http = await startHttp(target, serverNode, env);
      const server = { name: target.name.replace(/[^a-z0-9]/gi, '_'), url: http.url, stdio: { command: serverNode, args: [join(target.dir, 'dist', 'stdio.js')], env: serverEnv(env) } };
      try {
        const lanes = [];
        for (const clientName of clients) {
          let driver;
          try {
            driver = await import(`./drivers/${clientName}.mjs`);
          } catch (error) {
            for (const transport of TRANSPORTS) cells.push({ client: clientName, server: target.name, transport, steps: {}, errors: { harness: `import failed: ${describeError(error)}` } });
            continue;
          }
          for (const transport of TRANSPORTS) lanes.push({ clientName, driver, transport });
        }
        const done = await pool(lanes, CONCURRENCY, async ({ clientName, driver, transport }) => {
          const cell = await runCell(clientName, driver, target, transport, server, upstream);
          log(`${clientName} ${target.name} ${transport}: ${Object.entries(cell.steps).map(([k, v]) => `${k}=${show(v)}`).join(' ')} (${cell.ms} ms)`);
          return cell;
        });
        cells.push(...done);
      } finally {
        await stopChild(http.child);
      }
    }
  } finally {
    await upstream.close();
  }
  process.stdout.write(`${table(cells)}\n\nclient matrix: ${cells.length} cells in ${((Date.now() - started) / 1000).toFixed(1)} s (clients on Node ${process.version})\n`);
  if (options.json) {
    mkdirSync(dirname(options.json), { recursive: true });
    writeFileSync(options.json, JSON.stringify({ node: process.version, cells }, null, 2));
  }
  return 0;
}

async function main() {
  const argv = process.argv.slice(2);
  const options = parseArgs(argv);
  if (process.env[INNER]) return inner(options);
  return outer(options, argv);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`[clients] harness failed: ${error?.stack ?? error}\n`);
    process.exitCode = 2;
  },
);
