// Cold start (spawn → first tools/list page) of one generated server built two ways, bundled
// (`mcpgen build`: one file per entry point) and unbundled (`--no-bundle`: one file per source
// file, SDK from node_modules), next to a bare Node process with a fixed reply. All three are
// measured in one run, interleaved, so the ratios hold on any machine.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { coldStart } from './mcp.mjs';
import { timed } from './measure.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function bundleColdStart({ root, work, log, quick }) {
  const dir = join(work, 'bundle-cold-start');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, 'specs', 'ledger-api.yaml'), join(dir, 'ledger-api.yaml'));
  writeFileSync(join(dir, 'mcpgen.config.json'), JSON.stringify({ servers: [{ name: 'ledger-api', spec: 'ledger-api.yaml', output: 'out' }] }));
  const bin = join(root, 'bin', 'mcpgen.js');
  const out = join(dir, 'out');
  const step = async (args) => {
    const run = await timed(process.execPath, [bin, ...args, '--quiet'], { cwd: dir });
    if (!run.ok) throw new Error(`mcpgen ${args[0]} failed: ${run.error}`);
  };
  await step(['generate']);
  // Both dist folders sit beside data/, at the depth the tables are read from.
  await step(['build', '--no-bundle']);
  cpSync(join(out, 'dist'), join(out, 'dist-unbundled'), { recursive: true });
  await step(['build']);
  const env = { LEDGER_API_BASE_URL: 'http://127.0.0.1:9' };
  const variants = [
    { name: 'bundled', server: { script: join(out, 'dist', 'stdio.js'), cwd: out, env } },
    { name: 'unbundled', server: { script: join(out, 'dist-unbundled', 'stdio.js'), cwd: out, env } },
    { name: 'bare node', server: { script: new URL('./bare-server.mjs', import.meta.url).pathname, cwd: dir, env: {} } },
  ];
  const runs = Object.fromEntries(variants.map((v) => [v.name, []]));
  const reps = quick ? 5 : 15;
  for (let i = 0; i < reps; i++) {
    log(`bundle cold start ${i + 1}/${reps}`);
    for (const v of variants) runs[v.name].push((await coldStart(v.server)).coldMs);
  }
  const bare = median(runs['bare node']);
  return variants.map((v) => ({ variant: v.name, coldMs: median(runs[v.name]), ratioToBare: median(runs[v.name]) / bare, runsMs: runs[v.name] }));
}

/** Rows for the bench output: median cold start and its ratio to the bare process and to the unbundled build. */
export function renderBundleTable(rows) {
  const unbundled = rows.find((r) => r.variant === 'unbundled')?.coldMs;
  const lines = ['| stdio cold start to tools/list (ledger-api, 12 tools) | median ms | × bare node | × unbundled |', '|---|---:|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.variant} | ${r.coldMs.toFixed(0)} | ${r.ratioToBare.toFixed(2)} | ${unbundled ? (r.coldMs / unbundled).toFixed(2) : '—'} |`);
  return lines.join('\n');
}
