// The benchmark's specs: the richest example in the repo and four large public APIs from the
// shared corpus (gunzipped into bench/.work/specs once). `call` is a cheap GET without required
// parameters, used for the tools/call and HTTP stages.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { findCorpus } from '../../test/support/corpus-root.mjs';

export const SPECS = [
  { key: 'ledger', name: 'ledger-api', source: 'specs/ledger-api.yaml', call: ['GET', '/health'], quick: true },
  { key: 'github', name: 'github', corpus: 'github.com__api.github.com.json.gz', call: ['GET', '/'], quick: true },
  { key: 'stripe', name: 'stripe', corpus: 'stripe.com.json.gz', call: ['GET', '/v1/balance'] },
  { key: 'kubernetes', name: 'kubernetes', corpus: 'kubernetes.io.json.gz', call: ['GET', '/version/'] },
  { key: 'graph', name: 'graph', corpus: 'microsoft.com__graph.json.gz', call: ['GET', '/me'], reps: 1 },
];

/** Resolves each spec to a file on disk; corpus specs are gunzipped into <work>/specs. */
export function materialize(specs, { root, work }) {
  const dir = join(work, 'specs');
  mkdirSync(dir, { recursive: true });
  return specs.map((spec) => {
    if (spec.source) return { ...spec, file: join(root, spec.source) };
    const file = join(dir, spec.corpus.replace(/\.gz$/, ''));
    if (!existsSync(file)) writeFileSync(file, gunzipSync(readFileSync(join(findCorpus(root) ?? join(root, '..', 'shared', 'corpus'), 'large', spec.corpus))));
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    return { ...spec, file, operations: countOperations(doc) };
  });
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

function countOperations(doc) {
  let n = 0;
  for (const item of Object.values(doc.paths ?? {})) for (const m of Object.keys(item)) if (METHODS.has(m)) n++;
  return n;
}
