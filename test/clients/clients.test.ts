// The client matrix (run.mjs) on the committed examples and on a drifting upstream: every
// real client connects, lists, calls and converts the generated servers, over stdio and
// Streamable HTTP. One test per cell and step, so a failure names the client, the server,
// the transport and what broke.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../src/plan/json-schema.js';
import { strictReport } from '../../src/plan/strict.js';
import type { ToolDefinition } from '../../src/plan/types.js';
// Plain JS module shared with run.mjs.
import { CLIENTS, TRANSPORTS } from './targets.mjs';

type Step = boolean | number | { converted: number; of: number };

interface Cell {
  client: string;
  server: string;
  transport: string;
  steps: Record<string, Step | undefined>;
  errors: Record<string, string>;
  /** openai-agents: the tools strict mode refused. */
  strictRejected?: string[];
  /** inspector: its --strict findings, each "tool schema.path rule". */
  lintFindings?: string[];
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const resultsFile = fileURLToPath(new URL('./results/examples.json', import.meta.url));

/** Tools each example publishes (generated/<name>/data/tools). */
const TOOLS: Record<string, number> = { 'ledger-api': 12, 'media-api': 7 };
/** Clients with native tools that can be called without a model. */
const NATIVE = new Set(['ai-sdk', 'langchain', 'openai-agents', 'mastra']);
/**
 * Clients that reject (or, OpenAI Agents, hide behind "An error occurred") a result whose
 * structuredContent does not match the tool's outputSchema: against a drifting upstream
 * they fail until the server repairs its results. The AI SDK does not check the schema.
 */

let cells: Cell[] = [];
let output = '';
let table = '';

beforeAll(async () => {
  // The examples are built by test/global-setup.ts; run.mjs installs the pinned clients
  // (and Node 22) from the npm registry when missing.
  output = await new Promise<string>((resolve) => {
    execFile(
      process.execPath,
      ['test/clients/run.mjs', '--json', resultsFile],
      { cwd: root, maxBuffer: 64 * 1024 * 1024, timeout: 900_000 },
      (_error, stdout, stderr) => {
        table = stdout;
        resolve(`${stdout}\n${stderr}`);
      },
    );
  });
  try {
    cells = (JSON.parse(readFileSync(resultsFile, 'utf8')) as { cells: Cell[] }).cells;
  } catch {
    cells = [];
  }
  // The table (stdout); the clients' own logging stays in `output` for failure messages.
  process.stdout.write(table);
}, 900_000);

function cell(client: string, server: string, transport: string): Cell {
  const found = cells.find((c) => c.client === client && c.server === server && c.transport === transport);
  expect(found, `no cell for ${client} ${server} ${transport}:\n${output.slice(-4000)}`).toBeDefined();
  return found!;
}

function expectStep(c: Cell, step: string, expected: Step): void {
  expect(c.steps[step], `${c.client} ${c.server} ${c.transport} ${step}: ${c.errors[step] ?? c.errors['harness'] ?? 'not run'}`).toEqual(expected);
}

it('run.mjs ran every cell', () => {
  expect(cells.length, output.slice(-4000)).toBe(CLIENTS.length * TRANSPORTS.length * 3);
});

for (const server of ['ledger-api', 'media-api']) {
  describe(`clients × ${server}`, () => {
    for (const client of CLIENTS) {
      for (const transport of TRANSPORTS) {
        const name = `${client} over ${transport}`;
        it(`${name}: connects, lists every tool and calls one against the upstream`, () => {
          const c = cell(client, server, transport);
          expectStep(c, 'connect', true);
          expectStep(c, 'list', TOOLS[server]!);
          expectStep(c, 'call', true);
        });
        if (NATIVE.has(client)) {
          it(`${name}: converts every tool to native tools and calls through one`, () => {
            const c = cell(client, server, transport);
            expectStep(c, 'converted', { converted: TOOLS[server]!, of: TOOLS[server]! });
            expectStep(c, 'nativeCall', true);
          });
        }
      }
    }
    // Tools without arguments are closed objects now, so strict mode takes them. An open map
    // (update_account's body.metadata) cannot be made strict without changing what the API
    // accepts (issue 11, finding 4): that one tool stays refused.
    it('openai-agents: every tool but an open map converts in strict mode', () => {
      const refused = server === 'ledger-api' ? 1 : 0;
      for (const transport of TRANSPORTS) expectStep(cell('openai-agents', server, transport), 'strict', { converted: TOOLS[server]! - refused, of: TOOLS[server]! });
    });
    it('openai-agents: the tools it refuses in strict mode are the ones the generator lists as not strict', () => {
      const data = join(root, 'generated', server, 'data');
      const tools = readdirSync(join(data, 'tools')).flatMap((file) => JSON.parse(readFileSync(join(data, 'tools', file), 'utf8')) as ToolDefinition[]);
      const definitions = JSON.parse(readFileSync(join(data, 'definitions.json'), 'utf8')) as Record<string, JsonSchema>;
      const listed = strictReport(tools, definitions).refused.map((r) => r.tool).sort();
      for (const transport of TRANSPORTS) expect([...(cell('openai-agents', server, transport).strictRejected ?? [])].sort()).toEqual(listed);
    });
    // Before: every nullable field (type ["string", "null"]) and every untyped value ({}) in
    // an outputSchema was a warning (issue 11, finding 6).
    it('inspector --strict: no finding on any output schema', () => {
      for (const transport of TRANSPORTS) {
        const c = cell('inspector', server, transport);
        expect(typeof c.steps['lint'], `lint step: ${c.errors['lint'] ?? 'not run'}`).toBe('number');
        expect((c.lintFindings ?? []).filter((finding) => finding.split(' ')[1]!.startsWith('outputSchema'))).toEqual([]);
      }
    });
  });
}

describe('clients × ledger-api against a drifting upstream (balance as a string, a field missing, an extra field)', () => {
  for (const client of CLIENTS) {
    for (const transport of TRANSPORTS) {
      const name = `${client} over ${transport}`;
      it(`${name}: connects and lists`, () => {
        const c = cell(client, 'ledger-api+drift', transport);
        expectStep(c, 'connect', true);
        expectStep(c, 'list', TOOLS['ledger-api']!);
      });
      const steps = NATIVE.has(client) ? ['call', 'nativeCall'] : ['call'];
      for (const step of steps) {
        const title = `${name}: ${step === 'call' ? 'the call' : 'the native tool call'} succeeds with the upstream's data`;
        const check = () => expectStep(cell(client, 'ledger-api+drift', transport), step, true);
        // Before drift repair, every client but the AI SDK rejected this call (issue 11, finding 1).
        it(title, check);
      }
    }
  }
});
