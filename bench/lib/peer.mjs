// The peer: openapi-mcp-generator, installed in bench/peer (isolated from the repo root, whose
// zod 4 / SDK v2 conflict with its peer dependencies). Its generated package needs its own
// dependencies: they are installed ONCE into bench/.work/peer-runtime and every generated output
// gets a `node_modules` symlink to it (the dependency set is the same for every spec).
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { timed } from './measure.mjs';
import { postJsonRpc, HTTP_PROTOCOL_VERSION } from './mcp.mjs';

export const PEER_NAME = 'openapi-mcp-generator';
const PLACEHOLDER_BASE_URL = 'http://127.0.0.1:9';

/**
 * Pinned over the generated package's caret ranges. With the newest 1.x SDK (1.25+, whose Node
 * StreamableHTTPServerTransport reads the body through @hono/node-server) the peer's
 * streamable-http server crashes on its first request: its Hono handler has already consumed the
 * body (`c.req.json()`) and fetch-to-node then throws "ReadableStream is locked". 1.24.3 is the
 * last 1.x release it works with.
 */
export const RUNTIME_PINS = { '@modelcontextprotocol/sdk': '1.24.3' };

export function peerTool(benchDir) {
  const peerDir = join(benchDir, 'peer');
  const bin = join(peerDir, 'node_modules', PEER_NAME, 'bin', `${PEER_NAME}.js`);
  const runtimeDir = join(benchDir, '.work', 'peer-runtime');
  const tsc = join(runtimeDir, 'node_modules', 'typescript', 'bin', 'tsc');

  /** `npm ci --prefix bench/peer` on first run (`npm install` when the lock file is missing). */
  async function ensureInstalled() {
    if (existsSync(bin)) return { ok: true, skipped: true };
    const ci = existsSync(join(peerDir, 'package-lock.json'));
    return timed('npm', [ci ? 'ci' : 'install', '--prefix', peerDir, '--no-audit', '--no-fund'], { cwd: benchDir });
  }

  function version() {
    return JSON.parse(readFileSync(join(peerDir, 'node_modules', PEER_NAME, 'package.json'), 'utf8')).version;
  }

  const generateArgs = (spec, out, transport) => [
    bin, '--input', spec.file, '--output', out, '--base-url', PLACEHOLDER_BASE_URL, '--transport', transport, '--force',
  ];

  /**
   * Installs the dependencies of the generated packages (stdio and streamable-http variants of
   * `spec`, merged) once into the shared runtime folder, keyed by that dependency set.
   * Returns { ok, seconds, peakMb, cached, error, versions }.
   */
  async function ensureRuntime(spec) {
    const probe = join(benchDir, '.work', 'peer-runtime-probe');
    const merged = { dependencies: {}, devDependencies: {} };
    for (const transport of ['stdio', 'streamable-http']) {
      const out = join(probe, transport);
      rmSync(out, { recursive: true, force: true });
      const gen = await timed(process.execPath, generateArgs(spec, out, transport));
      if (!gen.ok) return { ok: false, error: gen.error };
      const pkg = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'));
      Object.assign(merged.dependencies, pkg.dependencies);
      Object.assign(merged.devDependencies, pkg.devDependencies);
    }
    Object.assign(merged.dependencies, RUNTIME_PINS);
    const key = JSON.stringify(merged);
    const stamp = join(runtimeDir, 'install.json');
    if (existsSync(stamp) && existsSync(tsc)) {
      const saved = JSON.parse(readFileSync(stamp, 'utf8'));
      if (saved.key === key) return { ...saved.result, cached: true };
    }
    rmSync(runtimeDir, { recursive: true, force: true });
    mkdirSync(runtimeDir, { recursive: true });
    writeFileSync(join(runtimeDir, 'package.json'), JSON.stringify({ name: 'peer-runtime', private: true, type: 'module', ...merged }, null, 2));
    const run = await timed('npm', ['install', '--no-audit', '--no-fund'], { cwd: runtimeDir, timeoutMs: 600_000 });
    const versions = {};
    for (const name of ['@modelcontextprotocol/sdk', 'typescript', 'zod', 'json-schema-to-zod', 'axios', 'hono']) {
      try {
        versions[name] = JSON.parse(readFileSync(join(runtimeDir, 'node_modules', name, 'package.json'), 'utf8')).version;
      } catch { /* not installed */ }
    }
    const result = { ok: run.ok, seconds: run.seconds, peakMb: run.peakMb, error: run.error, versions };
    if (run.ok) writeFileSync(stamp, JSON.stringify({ key, result }, null, 2));
    return { ...result, cached: false };
  }

  function link(out) {
    const target = join(out, 'node_modules');
    try {
      lstatSync(target);
      return;
    } catch { /* absent */ }
    symlinkSync(join(runtimeDir, 'node_modules'), target, 'dir');
  }

  const tscRun = (out, args, timeoutMs) => {
    link(out);
    return timed(process.execPath, [tsc, ...args], { cwd: out, timeoutMs });
  };

  return {
    name: PEER_NAME,
    ensureInstalled,
    version,
    ensureRuntime,
    prepare: (spec, dir) => {
      mkdirSync(dir, { recursive: true });
      return { spec, out: join(dir, 'peer-out'), httpOut: join(dir, 'peer-http') };
    },
    /** The timed generation: default (stdio) transport, into a fresh folder. */
    generate: (ctx, timeoutMs) => {
      rmSync(ctx.out, { recursive: true, force: true });
      return timed(process.execPath, generateArgs(ctx.spec, ctx.out, 'stdio'), { timeoutMs });
    },
    /** Its own build is `tsc` (then a chmod) with the tsconfig it generated. */
    build: (ctx, timeoutMs) => {
      rmSync(join(ctx.out, 'build'), { recursive: true, force: true });
      return tscRun(ctx.out, ['-p', 'tsconfig.json'], timeoutMs);
    },
    noEmit: (ctx, timeoutMs) => tscRun(ctx.out, ['--noEmit', '-p', 'tsconfig.json'], timeoutMs),
    /** Streamable HTTP is a separate generation (`--transport streamable-http`), built once, untimed. */
    async prepareHttp(ctx, timeoutMs) {
      rmSync(ctx.httpOut, { recursive: true, force: true });
      const gen = await timed(process.execPath, generateArgs(ctx.spec, ctx.httpOut, 'streamable-http'), { timeoutMs });
      if (!gen.ok) return gen;
      const built = await tscRun(ctx.httpOut, ['-p', 'tsconfig.json'], timeoutMs);
      // tsc emits despite type errors; the server may still run.
      return existsSync(join(ctx.httpOut, 'build', 'index.js')) ? { ...built, ok: true, typeErrors: !built.ok } : built;
    },
    stdio: (ctx, upstream) => ({ script: join(ctx.out, 'build', 'index.js'), cwd: ctx.out, env: { API_BASE_URL: upstream } }),
    http: (ctx, upstream) => ({ script: join(ctx.httpOut, 'build', 'index.js'), cwd: ctx.httpOut, env: { API_BASE_URL: upstream }, probePath: '/health' }),
    hasServer: (ctx) => existsSync(join(ctx.out, 'build', 'index.js')),
    /** The tool for METHOD path, read from the tool table in its generated src/index.ts. */
    findTool(_tools, method, path, ctx) {
      const source = readFileSync(join(ctx.out, 'src', 'index.ts'), 'utf8');
      const entry = /\n {2}\["([^"]+)", \{\n {4}name: "[^"]+",[\s\S]*?\n {4}method: "(\w+)",\n {4}pathTemplate: "([^"]*)"/g;
      for (const m of source.matchAll(entry)) if (m[2].toUpperCase() === method && m[3] === path) return m[1];
      return null;
    },
    /** Its HTTP transport is stateful: initialize once, then reuse the session id. */
    async httpSession(url) {
      const init = await postJsonRpc(url, {
        jsonrpc: '2.0', id: 0, method: 'initialize',
        params: { protocolVersion: HTTP_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'mcpgen-bench', version: '0.0.0' } },
      });
      const session = init.headers.get('mcp-session-id');
      if (init.status !== 200 || !session) throw new Error(`initialize answered ${init.status} without a session: ${init.body.slice(0, 160)}`);
      const version = init.body.match(/"protocolVersion":"([^"]+)"/)?.[1] ?? HTTP_PROTOCOL_VERSION;
      const headers = { 'mcp-session-id': session, 'mcp-protocol-version': version };
      await postJsonRpc(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
      return headers;
    },
  };
}
