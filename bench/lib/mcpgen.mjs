// mcpgen side: compile the compiler once, then generate/build per spec with a config in bench/.work.
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { timed } from './measure.mjs';

export const PLACEHOLDER_BASE_URL = 'http://127.0.0.1:9';

export function mcpgenTool(root) {
  const bin = join(root, 'bin', 'mcpgen.js');

  /** `tsc -p tsconfig.json` at the repo root (so bin/mcpgen.js runs the current src/). */
  async function compile() {
    return timed(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: root });
  }

  /** Writes <dir>/mcpgen.config.json; the output folder is <dir>/mcpgen-out. */
  function prepare(spec, dir) {
    mkdirSync(dir, { recursive: true });
    const config = join(dir, 'mcpgen.config.json');
    const out = join(dir, 'mcpgen-out');
    writeFileSync(
      config,
      JSON.stringify(
        { servers: [{ name: spec.name, spec: relative(dir, spec.file), output: 'mcpgen-out', baseUrl: PLACEHOLDER_BASE_URL }] },
        null,
        2,
      ),
    );
    return {
      config,
      out,
      baseUrlEnv: `${spec.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_BASE_URL`,
    };
  }

  return {
    name: 'mcpgen',
    compile,
    prepare,
    /** Fresh output every time, so no run profits from files a previous run wrote. */
    generate: (ctx, timeoutMs) => {
      rmSync(ctx.out, { recursive: true, force: true });
      return timed(process.execPath, [bin, 'generate', '--config', ctx.config, '--quiet'], { cwd: root, timeoutMs });
    },
    build: (ctx, timeoutMs) => {
      rmSync(join(ctx.out, 'dist'), { recursive: true, force: true });
      return timed(process.execPath, [bin, 'build', '--config', ctx.config, '--quiet'], { cwd: root, timeoutMs });
    },
    /** Plain `tsc --noEmit` over the generated project, with the repo's TypeScript. */
    noEmit: (ctx, timeoutMs) =>
      timed(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json'], { cwd: ctx.out, timeoutMs }),
    stdio: (ctx, upstream) => ({ script: join(ctx.out, 'dist', 'stdio.js'), cwd: ctx.out, env: { [ctx.baseUrlEnv]: upstream } }),
    http: (ctx, upstream) => ({ script: join(ctx.out, 'dist', 'http.js'), cwd: ctx.out, env: { [ctx.baseUrlEnv]: upstream, MCPGEN_SHUTDOWN_DELAY_MS: '0' }, probePath: '/healthz' }),
    hasServer: (ctx) => existsSync(join(ctx.out, 'dist', 'stdio.js')),
    /** The tool for METHOD path, from the `_meta["mcpgen/operation"]` tools/list publishes. */
    findTool(tools, method, path) {
      const hit = tools.find((t) => {
        const op = t._meta?.['mcpgen/operation'];
        return op && op.method?.toUpperCase() === method && op.path === path;
      });
      return hit?.name ?? null;
    },
    /** Stateless: no session; the legacy era is identified by the protocol version header. */
    async httpSession() {
      return { 'mcp-protocol-version': '2025-11-25' };
    },
  };
}
