#!/usr/bin/env node
// Runs the official MCP conformance suite against mcpgen's generated HTTP servers:
// the committed examples (generated/ledger-api, generated/media-api) and the fixture
// server generated from fixture/openapi.yaml, all talking to the real fixture upstream
// (fixture/upstream.mjs) on 127.0.0.1.
//
//   node test/conformance/run.mjs [--skip-example-build] [--skip-build] [--only NAME]
//                                  [--json FILE] [--verbose]
//
// The suite needs Node 22; it is installed from the npm registry into
// test/conformance/node_modules (packages `node` and `@modelcontextprotocol/conformance`,
// pinned in package.json + package-lock.json beside this file) when missing. The
// generated servers themselves run on the Node that runs this script.
//
// Prints a totals table. Exit code: 0 when every scenario expected to pass passed,
// 1 when one did not (or a known failure started passing: update expectations.mjs),
// 2 when the harness itself failed.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUITE, SUITE_SERVER_SCENARIOS, TARGETS } from './expectations.mjs';
import { startUpstream } from './fixture/upstream.mjs';
import { ensurePinnedInstall } from '../support/pinned-install.mjs';
import { stopChild, untilListening } from '../support/http-child.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const NODE22 = join(HERE, 'node_modules', 'node', 'bin', 'node');
const SUITE_CLI = join(HERE, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const FIXTURE_CONFIG = join(HERE, 'fixture', 'mcpgen.config.json');
const RESULTS = join(HERE, 'results');
const SUITE_TIMEOUT_MS = 300_000;

function parseArgs(argv) {
  const options = { skipBuild: false, skipExampleBuild: false, only: undefined, json: undefined, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--skip-build') options.skipBuild = true;
    else if (arg === '--skip-example-build') options.skipExampleBuild = true;
    else if (arg === '--verbose') options.verbose = true;
    else if (arg === '--only') options.only = argv[++i];
    else if (arg === '--json') options.json = resolve(argv[++i] ?? '');
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(5, 11).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
      process.exit(0);
    } else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

const log = (line) => process.stderr.write(`[conformance] ${line}\n`);

function run(command, args, options = {}) {
  const shown = `${relative(ROOT, command) || command} ${args.join(' ')}`;
  log(`$ ${shown}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.error) throw new Error(`${shown}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${shown} exited with ${result.status ?? result.signal}`);
}

// ------------------------------------------------------------------ setup

function ensureSuite() {
  return ensurePinnedInstall(HERE, [relative(HERE, SUITE_CLI)], log).version;
}

function build(options) {
  const mcpgen = join(ROOT, 'bin', 'mcpgen.js');
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
  }
  if (!options.skipExampleBuild) run(process.execPath, [mcpgen, 'build', '--quiet']);
  run(process.execPath, [mcpgen, 'generate', '--config', FIXTURE_CONFIG, '--quiet']);
  run(process.execPath, [mcpgen, 'build', '--config', FIXTURE_CONFIG, '--quiet']);
}

/** Starts one generated HTTP server on an ephemeral port; resolves with its /mcp URL. */
function startServer(target, upstreamUrl) {
  const script = join(ROOT, target.dist);
  if (!existsSync(script)) throw new Error(`${target.dist} is missing: build first (drop --skip-build)`);
  const child = spawn(process.execPath, [script], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', [target.baseUrlEnv]: `${upstreamUrl}${target.upstreamPath}` },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return untilListening(child, target.name, 15_000).then((started) => ({ child, ...started }));
}

// ------------------------------------------------------------------ scenarios

function suiteScenarios() {
  const listed = spawnSync(NODE22, [SUITE_CLI, 'list', '--server'], { encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`conformance list --server failed: ${listed.stderr}`);
  return [...listed.stdout.matchAll(/^ {2}- (\S+)/gm)].map((m) => m[1]);
}

/**
 * Runs every server scenario of the suite against one URL in one suite process
 * (`--suite all`, which writes <outDir>/server-<scenario>-<timestamp>/checks.json per
 * scenario); resolves with each scenario's checks (never rejects). One process per
 * target, not per scenario: each start of the suite costs a second or more.
 */
function runSuite(url, scenarios, outDir) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  return new Promise((resolvePromise) => {
    const child = spawn(NODE22, [SUITE_CLI, 'server', '--url', url, '--suite', 'all', '-o', outDir], {
      cwd: HERE,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), SUITE_TIMEOUT_MS);
    child.once('close', (code) => {
      clearTimeout(timer);
      writeFileSync(join(outDir, 'output.txt'), output);
      const folders = readdirSync(outDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
      const results = new Map();
      for (const scenario of scenarios) {
        const prefix = `server-${scenario}-`;
        const folder = folders.find((name) => name.startsWith(prefix) && /^\d{4}-/.test(name.slice(prefix.length)));
        const file = folder && join(outDir, folder, 'checks.json');
        let checks;
        try {
          checks = file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
        } catch {
          checks = undefined;
        }
        if (!Array.isArray(checks)) {
          const tail = output.trim().split('\n').slice(-5).join(' | ');
          checks = [{ id: scenario, status: 'FAILURE', errorMessage: `the suite wrote no checks for this scenario (suite exit ${code ?? 'killed'}): ${tail}` }];
        }
        results.set(scenario, checks);
      }
      resolvePromise(results);
    });
  });
}

function summarise(target, scenario, checks) {
  const count = (status) => checks.filter((c) => c.status === status).length;
  const failed = count('FAILURE');
  const known = target.knownFailures[scenario];
  const status = failed === 0 ? 'pass' : 'fail';
  const expected = known ? 'fail' : 'pass';
  return {
    scenario,
    status,
    expected,
    ...(known ? { kind: known.kind, reason: known.reason } : {}),
    passed: count('SUCCESS'),
    failed,
    warnings: count('WARNING'),
    problems: checks
      .filter((c) => c.status === 'FAILURE' || c.status === 'WARNING')
      .map((c) => `${c.status} ${c.id}: ${c.errorMessage ?? c.details?.message ?? c.description ?? ''}`),
  };
}

// ------------------------------------------------------------------ report

function pad(text, width) {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function table(targets) {
  const lines = [];
  for (const target of targets) {
    const rows = target.results;
    const passedScenarios = rows.filter((r) => r.status === 'pass').length;
    const checks = rows.reduce((sum, r) => ({ passed: sum.passed + r.passed, failed: sum.failed + r.failed, warnings: sum.warnings + r.warnings }), { passed: 0, failed: 0, warnings: 0 });
    lines.push('', `${target.name}  (${target.url})`);
    lines.push(`  ${pad('scenario', 32)} ${pad('result', 7)} ${pad('checks', 18)} expected`);
    for (const r of rows) {
      const verdict =
        r.status === r.expected ? (r.expected === 'pass' ? 'ok' : `known failure [${r.kind}]`) : r.expected === 'pass' ? 'UNEXPECTED FAILURE' : 'UNEXPECTED PASS (update expectations.mjs)';
      const counts = `${r.passed}/${r.passed + r.failed}${r.warnings ? ` +${r.warnings}w` : ''}`;
      lines.push(`  ${pad(r.scenario, 32)} ${pad(r.status.toUpperCase(), 7)} ${pad(counts, 18)} ${verdict}`);
    }
    lines.push(
      `  totals: ${passedScenarios}/${rows.length} scenarios passed; checks ${checks.passed} passed, ${checks.failed} failed, ${checks.warnings} warnings`,
    );
  }
  return lines.join('\n');
}

// ------------------------------------------------------------------ main

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const nodeVersion = ensureSuite();
  log(`${SUITE} on Node ${nodeVersion} (${relative(ROOT, NODE22)}); generated servers on Node ${process.version}`);

  const listed = suiteScenarios();
  const unlisted = listed.filter((s) => !SUITE_SERVER_SCENARIOS.includes(s));
  const gone = SUITE_SERVER_SCENARIOS.filter((s) => !listed.includes(s));
  if (unlisted.length || gone.length) {
    throw new Error(`expectations.mjs is out of date with the installed suite: new ${JSON.stringify(unlisted)}, gone ${JSON.stringify(gone)}`);
  }

  if (!options.skipBuild) build(options);

  const targets = TARGETS.filter((t) => options.only === undefined || t.name === options.only);
  if (!targets.length) throw new Error(`no target named ${options.only}; targets: ${TARGETS.map((t) => t.name).join(', ')}`);

  rmSync(RESULTS, { recursive: true, force: true });
  const upstream = await startUpstream(0);
  const servers = [];
  try {
    for (const target of targets) servers.push({ target, ...(await startServer(target, upstream.url)) });
    log(`running the suite against ${servers.length} servers (upstream ${upstream.url})`);
    const report = await Promise.all(
      servers.map(async (server) => {
        const checks = await runSuite(server.url, server.target.scenarios, join(RESULTS, server.target.name));
        const results = server.target.scenarios.map((scenario) => summarise(server.target, scenario, checks.get(scenario)));
        return { name: server.target.name, url: server.url, results };
      }),
    );

    process.stdout.write(`${table(report)}\n`);
    const unexpected = report.flatMap((t) => t.results.filter((r) => r.status !== r.expected).map((r) => ({ target: t.name, ...r })));
    for (const u of unexpected) {
      process.stdout.write(`\n${u.target} ${u.scenario}: ${u.expected === 'pass' ? 'expected to pass, failed' : 'known failure now passes'}\n`);
      for (const p of u.problems) process.stdout.write(`    ${p}\n`);
    }
    if (options.verbose) {
      for (const t of report) for (const r of t.results) if (r.problems.length) process.stdout.write(`\n${t.name} ${r.scenario}:\n${r.problems.map((p) => `    ${p}\n`).join('')}`);
    }
    const all = report.flatMap((t) => t.results);
    const passed = all.filter((r) => r.status === 'pass').length;
    const failed = all.length - passed;
    const unexpectedFailures = unexpected.filter((u) => u.expected === 'pass').length;
    const unexpectedPasses = unexpected.length - unexpectedFailures;
    process.stdout.write(
      `\nconformance (${SUITE}): ${passed} passed, ${failed} failed` +
        ` (${failed - unexpectedFailures} known failures, ${unexpectedFailures} unexpected failures, ${unexpectedPasses} unexpected passes) in ${((Date.now() - started) / 1000).toFixed(1)} s\n` +
        `results: ${relative(ROOT, RESULTS)}/<target>/server-<scenario>-<time>/checks.json\n`,
    );
    if (options.json) {
      mkdirSync(dirname(options.json), { recursive: true });
      writeFileSync(options.json, JSON.stringify({ suite: SUITE, node: nodeVersion, targets: report }, null, 2));
    }
    return unexpected.length ? 1 : 0;
  } finally {
    await Promise.all(servers.map((s) => stopChild(s.child)));
    await upstream.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`[conformance] harness failed: ${error?.stack ?? error}\n`);
    process.exitCode = 2;
  },
);
