// The MCP Inspector CLI (@modelcontextprotocol/inspector 2.x `--cli`, Node 22), run as the
// process a user would run: one process per method. No native tools. Its `--strict` schema
// portability report is counted (step `lint`: the findings, each "tool schema.path rule").
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const LAUNCHER = join(dirname(require.resolve('@modelcontextprotocol/inspector/package.json')), 'clients', 'launcher', 'build', 'index.js');

/** Runs the CLI once; resolves with its exit code and output (killed after timeoutMs). */
function inspector(target, method, extra, env, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LAUNCHER, '--cli', ...target, '--method', method, ...extra], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function parse(run, what) {
  const start = run.stdout.indexOf('{');
  try {
    return JSON.parse(run.stdout.slice(start));
  } catch {
    throw new Error(`${what}: exit ${run.code}, no JSON on stdout: ${(run.stderr || run.stdout).trim().slice(0, 400)}`);
  }
}

export async function drive({ server, transport, call, step }) {
  // Its catalog (~/.mcp-inspector/mcp.json by default) goes to a throwaway folder.
  const home = mkdtempSync(join(tmpdir(), 'mcpgen-inspector-'));
  const env = { ...process.env, MCP_CATALOG_PATH: join(home, 'mcp.json'), NO_COLOR: '1' };
  const target =
    transport === 'stdio'
      ? [...Object.entries(server.stdio.env).flatMap(([key, value]) => ['-e', `${key}=${value}`]), server.stdio.command, ...server.stdio.args]
      : [server.url, '--transport', 'http'];
  try {
    const listed = await step('connect', async () => parse(await inspector(target, 'tools/list', [], env, 60_000), 'tools/list').tools);
    if (!listed) return;
    await step('list', async () => listed);
    // Its schema portability report (--strict): every finding, error or warning, on any tool.
    await step('lint', async () => {
      const run = await inspector(target, 'tools/list', ['--strict', '--format', 'json'], env, 60_000);
      const { schemaFindings = [] } = parse(run, 'tools/list --strict');
      return schemaFindings.flatMap(({ toolName, findings }) => findings.map((f) => `${toolName} ${f.schema}.${f.path} ${f.rule}`));
    });
    const args = Object.entries(call.args).flatMap(([key, value]) => ['--tool-arg', `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`]);
    await step('call', async () => call.check(parse(await inspector(target, 'tools/call', ['--tool-name', call.tool, ...args], env, 60_000), 'tools/call')));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
