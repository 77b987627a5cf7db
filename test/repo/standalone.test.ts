// A generated package must install, build and run on its own, outside this repo (no
// node_modules of ours above it). The steps are the ones its Dockerfile declares, run
// here without Docker: each stage in a fresh folder under the OS temp dir, COPY from
// the package (or from an earlier stage), RUN through the shell, then the CMD with the
// image's environment (HOST=0.0.0.0): refused as is, started with the behind-a-gateway
// opt-in as `docker run -e` would pass it, probed over HTTP on 127.0.0.1, and the
// HEALTHCHECK command.
import { execFileSync, spawnSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const pkg = fileURLToPath(new URL('../../generated/ledger-api/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'mcpgen-standalone-'));
let server: ChildProcess | undefined;
afterAll(() => {
  server?.kill();
  rmSync(scratch, { recursive: true, force: true });
});

interface Stage {
  readonly name: string;
  readonly dir: string;
  env: Record<string, string>;
}

/** Instructions of a Dockerfile, continuation lines joined, comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [op = '', ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

function parseEnv(args: string): Record<string, string> {
  return Object.fromEntries(args.split(/\s+/).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

describe('generated/ledger-api on its own, following its Dockerfile', { timeout: 600_000 }, () => {
  const dockerfile = readFileSync(join(pkg, 'Dockerfile'), 'utf8');
  const steps = instructions(dockerfile);
  const stages: Stage[] = [];
  let cmd: string[] = [];
  let healthcheck: string[] = [];

  it('declares a build stage and a runtime stage that runs dist/http.js', () => {
    expect(steps.filter((s) => s.op === 'FROM').map((s) => s.args)).toEqual(['node:20-slim AS build', 'node:20-slim']);
    expect(steps.filter((s) => s.op === 'WORKDIR').map((s) => s.args)).toEqual(['/app', '/app']);
    const last = steps.filter((s) => s.op === 'CMD').at(-1);
    expect(last && JSON.parse(last.args)).toEqual(['node', 'dist/http.js']);
  });

  it('says how to start it: inbound OAuth, or behind a gateway with the opt-in', () => {
    expect(dockerfile).toContain('-e MCP_AUTH_ISSUER=');
    expect(dockerfile).toContain('-e MCP_AUTH_INTROSPECTION_URL=');
    expect(dockerfile).toContain('-e MCP_ALLOW_UNAUTHENTICATED=1');
  });

  it('installs and builds in a clean folder, then runs from the runtime stage', async () => {
    for (const { op, args } of steps) {
      const stage = stages.at(-1);
      if (op === 'FROM') {
        const name = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? `stage${stages.length}`;
        stages.push({ name, dir: mkdtempSync(join(scratch, `${name}-`)), env: {} });
      } else if (op === 'ENV') {
        stage!.env = { ...stage!.env, ...parseEnv(args) };
      } else if (op === 'COPY') {
        // COPY [--from=stage] SRC... DEST: DEST ending in / receives each SRC by its base name.
        const parts = args.split(/\s+/);
        const fromStage = parts[0]!.startsWith('--from=') ? parts.shift()!.slice('--from='.length) : undefined;
        const root = fromStage === undefined ? pkg : stages.find((s) => s.name === fromStage)!.dir;
        const dest = parts.pop()!;
        for (const source of parts) {
          const relative = source.replace(/^\/app\//, ''); // the stages' WORKDIR
          const target = dest.endsWith('/') ? join(stage!.dir, dest, basename(relative)) : join(stage!.dir, dest);
          cpSync(join(root, relative), target, { recursive: true });
        }
      } else if (op === 'RUN') {
        execFileSync('sh', ['-c', args], { cwd: stage!.dir, env: { ...process.env, ...stage!.env, npm_config_prefer_offline: 'true' }, stdio: 'pipe' });
      } else if (op === 'CMD') {
        cmd = JSON.parse(args) as string[];
      } else if (op === 'HEALTHCHECK') {
        healthcheck = JSON.parse(args.replace(/^CMD\s+/, '')) as string[];
      }
    }
    const runtime = stages.at(-1)!;
    expect(cmd[0]).toBe('node');
    expect(runtime.env['HOST']).toBe('0.0.0.0');
    // As built, with neither inbound auth nor the opt-in, the image refuses to serve.
    const { MCP_AUTH_ISSUER: _issuer, MCP_ALLOW_UNAUTHENTICATED: _optIn, ...outer } = process.env;
    const refused = spawnSync(process.execPath, cmd.slice(1), { cwd: runtime.dir, env: { ...outer, ...runtime.env, PORT: '0' }, encoding: 'utf8', timeout: 30_000 });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('MCP_ALLOW_UNAUTHENTICATED=1');
    // Behind a gateway: the opt-in as `docker run -e MCP_ALLOW_UNAUTHENTICATED=1` sets it (listens on 0.0.0.0, probed on 127.0.0.1).
    server = spawn(process.execPath, cmd.slice(1), {
      cwd: runtime.dir,
      env: { ...outer, ...runtime.env, PORT: '0', MCP_ALLOW_UNAUTHENTICATED: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      server!.stderr!.on('data', (chunk) => {
        stderr += chunk;
        const match = /listening on http:\/\/0\.0\.0\.0:(\d+)\/mcp/.exec(stderr);
        if (match) resolve(`http://127.0.0.1:${match[1]!}`);
      });
      server!.on('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const init = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'test', version: '1' } } }),
    });
    expect(init.status).toBe(200);
    expect(await init.text()).toContain('"serverInfo":{"name":"ledger-api"');
    // The HEALTHCHECK command, as Docker would run it inside the container.
    const port = new URL(url).port;
    expect(healthcheck[0]).toBe('node');
    execFileSync(process.execPath, healthcheck.slice(1), { env: { ...process.env, PORT: port } });
  });
});
