#!/usr/bin/env node
// `npm run bench:observability [-- --quick] [--reps 3]`: only the logging+metrics on/off rows of
// `npm run bench` (lib/observability.mjs), for the ledger example. Writes bench/observability.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mcpgenTool } from './lib/mcpgen.mjs';
import { describeObservability, observabilityCost } from './lib/observability.mjs';
import { SPECS, materialize } from './lib/specs.mjs';
import { startUpstream } from './lib/upstream.mjs';

const bench = dirname(fileURLToPath(import.meta.url));
const root = dirname(bench);
const work = join(bench, '.work');
const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false }, reps: { type: 'string', default: '3' } } });
const log = (msg) => process.stderr.write(`${msg}\n`);
mkdirSync(work, { recursive: true });

const mcpgen = mcpgenTool(root);
const compiled = await mcpgen.compile();
if (!compiled.ok) throw new Error(`mcpgen compile failed: ${compiled.error}`);
const [ledger] = materialize(SPECS.filter((s) => s.key === 'ledger'), { root, work });
const upstream = await startUpstream();
try {
  const result = await observabilityCost(ledger, mcpgen, { work, log, quick: args.quick, reps: Number(args.reps), httpSeconds: args.quick ? 3 : 10, upstream });
  writeFileSync(join(bench, 'observability.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`- ${describeObservability(result)}\n`);
} finally {
  await upstream.close();
}
