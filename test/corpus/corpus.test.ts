// Runs the corpus command on the fixed CI subset (test/corpus/ci-subset.json) and asserts that
// every spec passes every stage: generated, type-checked, started, schemas valid, calls accepted.
// The subset was chosen for variety before any result was known; failures are not hidden by
// changing it. A spec that is itself defective is listed in SPEC_DEFECTS with the diagnostic
// that names the defect.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { findCorpus } from '../support/corpus-root.mjs';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const reportPath = join(root, 'test/corpus/.work/ci-report.json');
const subset = JSON.parse(readFileSync(join(root, 'test/corpus/ci-subset.json'), 'utf8')) as { specs: { path: string }[] };
const corpusRoot = findCorpus(root);

const STAGES = ['generated', 'typeChecked', 'started', 'schemasValid', 'callsAccepted'] as const;

/**
 * Specs that are themselves defective: the stage they cannot pass, and the warning
 * diagnostic that names the defect. The test asserts exactly that, so a spec failing for
 * any other reason, or passing, turns it red.
 */
const SPEC_DEFECTS: Record<string, { stage: (typeof STAGES)[number]; diagnostic: string; why: string }> = {
  // Paths such as "/#X-Amz-Target=IoTSecuredTunneling.CloseTunnel" carry a URL fragment, which
  // no HTTP request carries: every operation reaches the mock as "POST /", which it rejects.
  'apis-guru__amazonaws.com__iotsecuretunneling': { stage: 'callsAccepted', diagnostic: 'MCPGEN_PATH_FRAGMENT', why: 'paths with a #fragment' },
};

interface SpecResult {
  id: string;
  source: string;
  stages: Record<string, string>;
  failedStage?: string;
  warningCodes?: string[];
  errors?: { code: string; message: string }[];
}

function idOf(path: string): string {
  return path.replace(/\.gz$/, '').replace(/\.json$/, '').replace(/[\\/]/g, '__').replace(/\.(ya?ml)$/, '-$1');
}

let results = new Map<string, SpecResult>();

describe.skipIf(corpusRoot === undefined)('corpus (CI subset)', () => {
  beforeAll(async () => {
    rmSync(reportPath, { force: true });
    await new Promise<void>((done) => {
      execFile(
        process.execPath,
        ['test/corpus/run.mjs', '--subset', 'ci', '--jobs', '2', '--quiet', '--report', reportPath],
        { cwd: root, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 },
        // exit code 1 just means some spec failed: the assertions below say which
        () => done(),
      );
    });
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as { specs: SpecResult[] };
    results = new Map(report.specs.map((s) => [s.id, s]));
  }, 660_000);

  for (const { path } of subset.specs) {
    const id = idOf(path);
    const defect = SPEC_DEFECTS[id];
    if (defect) {
      it(`${path} fails only at ${defect.stage}, explained by ${defect.diagnostic} (${defect.why})`, () => {
        const result = results.get(id);
        expect(result, `${id} missing from the report`).toBeDefined();
        const failing = STAGES.filter((s) => result!.stages[s] !== 'pass' && result!.stages[s] !== 'skip');
        expect(failing).toEqual([defect.stage]);
        expect(result!.warningCodes).toContain(defect.diagnostic);
      });
      continue;
    }
    it(`${path} passes every stage`, () => {
      const result = results.get(id);
      expect(result, `${id} missing from the report`).toBeDefined();
      const failing = STAGES.filter((s) => result!.stages[s] !== 'pass' && result!.stages[s] !== 'skip');
      expect({ failing, errors: result!.errors ?? [] }).toEqual({ failing: [], errors: [] });
    });
  }
});
