// The official MCP conformance suite against the generated HTTP servers (the committed
// examples and the fixture server of test/conformance/fixture), through run.mjs.
// One test per target and scenario: scenarios expected to pass must pass; known
// failures are listed with their reason (expectations.mjs) and asserted to still fail,
// so a fix shows up as a failing `it.fails` telling you to move it to the pass list.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
// Plain JS module shared with run.mjs (typed by the interfaces below).
import { TARGETS } from './expectations.mjs';

interface ScenarioResult {
  scenario: string;
  status: 'pass' | 'fail';
  expected: 'pass' | 'fail';
  kind?: string;
  reason?: string;
  problems: string[];
}

interface Summary {
  targets: { name: string; results: ScenarioResult[] }[];
}

interface Target {
  name: string;
  scenarios: string[];
  knownFailures: Record<string, { kind: string; reason: string }>;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const summaryFile = fileURLToPath(new URL('./results/summary.json', import.meta.url));
let summary: Summary | undefined;
let runOutput = '';

beforeAll(async () => {
  // The examples are built by test/global-setup.ts; run.mjs generates and builds the fixture,
  // installs the suite (and Node 22) from the npm registry when missing, and runs it.
  runOutput = await new Promise<string>((resolve) => {
    execFile(
      process.execPath,
      ['test/conformance/run.mjs', '--skip-example-build', '--json', summaryFile],
      { cwd: root, maxBuffer: 64 * 1024 * 1024, timeout: 900_000 },
      (_error, stdout, stderr) => resolve(`${stdout}\n${stderr}`),
    );
  });
  try {
    summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as Summary;
  } catch {
    summary = undefined;
  }
  process.stdout.write(runOutput);
}, 900_000);

function result(target: string, scenario: string): ScenarioResult {
  expect(summary, `run.mjs produced no summary:\n${runOutput}`).toBeDefined();
  const found = summary!.targets.find((t) => t.name === target)?.results.find((r) => r.scenario === scenario);
  expect(found, `no result for ${target} ${scenario}`).toBeDefined();
  return found!;
}

it('run.mjs ran the suite and wrote its summary', () => {
  expect(summary, runOutput).toBeDefined();
});

for (const target of TARGETS as Target[]) {
  describe(`conformance: ${target.name}`, () => {
    for (const scenario of target.scenarios) {
      const known = target.knownFailures[scenario];
      if (known === undefined) {
        it(`${scenario} passes`, () => {
          const r = result(target.name, scenario);
          expect(r.status, r.problems.join('\n')).toBe('pass');
        });
      } else {
        it.fails(`${scenario} cannot pass yet [${known.kind}]: ${known.reason}`, () => {
          expect(result(target.name, scenario).status).toBe('pass');
        });
      }
    }
  });
}
