// Where ../shared/corpus is. The brief places it beside the project; a clone made
// elsewhere (CI, a temporary folder) finds it through MCPGEN_CORPUS or the
// workspace's fixed location. Plain JS so both vitest tests and the .mjs commands use it.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The corpus folder, or undefined when this machine has none. */
export function findCorpus(repoRoot) {
  const candidates = [process.env.MCPGEN_CORPUS, resolve(repoRoot, '..', 'shared', 'corpus'), '/work/shared/corpus'];
  return candidates.find((dir) => dir !== undefined && existsSync(resolve(dir, 'README.md')));
}
