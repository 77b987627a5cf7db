// Query expansion for search_tools, built at generation from English word vectors: for each
// common English word that no tool of THIS API uses, the API's index terms nearest in meaning
// ("reimburse" → refund, "terminate" → delete). The server gets only that table (term →
// a few terms with similarities); it never holds a vector.

import { searchTerms } from './search-terms.js';
import { readWordVectors, type WordVectors } from './word-vectors.js';

export const EXPANSION = {
  /** English words considered, commonest first: both the words a query may use and the surface forms of index terms. */
  vocabulary: Number(process.env['MCPGEN_TUNE_VOCAB'] ?? 40000),
  /** Least cosine similarity for an index term to stand in for a query word. */
  threshold: Number(process.env['MCPGEN_TUNE_THRESHOLD'] ?? 0.55),
  /** At most this many index terms per query word. */
  neighbours: Number(process.env['MCPGEN_TUNE_K'] ?? 3),
} as const;

/** Term → "term,similarity × 100,term,similarity × 100,…". */
export type Expansions = { readonly [term: string]: string };

/** Stem → the unit mean of the vectors of the English words that stem to it. */
function stemVectors(vectors: WordVectors): { stems: string[]; matrix: Float32Array } {
  const { dimensions } = vectors;
  const sums = new Map<string, Float32Array>();
  vectors.words.forEach((word, i) => {
    const terms = searchTerms(word);
    if (terms.length !== 1) return;
    const stem = terms[0]!;
    let sum = sums.get(stem);
    if (sum === undefined) sums.set(stem, (sum = new Float32Array(dimensions)));
    for (let d = 0; d < dimensions; d++) sum[d]! += vectors.vectors[i * dimensions + d]!;
  });
  const stems = [...sums.keys()];
  const matrix = new Float32Array(stems.length * dimensions);
  stems.forEach((stem, i) => {
    const sum = sums.get(stem)!;
    let norm = 0;
    for (let d = 0; d < dimensions; d++) norm += sum[d]! * sum[d]!;
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dimensions; d++) matrix[i * dimensions + d] = sum[d]! / norm;
  });
  return { stems, matrix };
}

let sharedVectors: WordVectors | undefined;

/**
 * For each English stem not among `indexTerms`, its nearest index terms (at most
 * `neighbours`, each at least `threshold` similar); stems with none are left out.
 * Deterministic: stems and neighbours in a fixed order.
 */
export function buildQueryExpansions(indexTerms: Iterable<string>, strongTerms: ReadonlySet<string> | undefined = undefined, vectors: WordVectors = (sharedVectors ??= readWordVectors(EXPANSION.vocabulary))): Expansions {
  const { stems, matrix } = stemVectors(vectors);
  const dimensions = vectors.dimensions;
  const indexed = new Set(indexTerms);
  const targets: number[] = [];
  const sources: number[] = [];
  stems.forEach((stem, i) => {
    if (indexed.has(stem) && (strongTerms === undefined || strongTerms.has(stem))) targets.push(i);
    if (!indexed.has(stem) || process.env['MCPGEN_TUNE_ALL'] === '1') sources.push(i);
  });
  const out: [string, string][] = [];
  const { threshold, neighbours } = EXPANSION;
  const best: { target: number; score: number }[] = [];
  for (const source of sources) {
    best.length = 0;
    const s = source * dimensions;
    for (const target of targets) {
      if (target === source) continue;
      const t = target * dimensions;
      let dot = 0;
      for (let d = 0; d < dimensions; d++) dot += matrix[s + d]! * matrix[t + d]!;
      if (dot < threshold) continue;
      if (best.length === neighbours && dot <= best[best.length - 1]!.score) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]!.score < dot) at--;
      best.splice(at, 0, { target, score: dot });
      if (best.length > neighbours) best.pop();
    }
    if (best.length === 0) continue;
    out.push([stems[source]!, best.map((b) => `${stems[b.target]},${Math.round(b.score * 100)}`).join(',')]);
  }
  out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(out);
}

let sharedSpace: { stems: string[]; matrix: Float32Array; position: Map<string, number> } | undefined;

/**
 * Document expansion: for each tool (its name and headline terms), the English stems nearest to
 * the idf-weighted mean of their vectors, so a tool gains words for what it does as a whole.
 */
export function documentNeighbours(documents: readonly (readonly string[])[]): string[][] {
  const k = Number(process.env['MCPGEN_TUNE_DK'] ?? 0);
  if (k === 0) return documents.map(() => []);
  const threshold = Number(process.env['MCPGEN_TUNE_DT'] ?? 0.6);
  const vocab = Number(process.env['MCPGEN_TUNE_DV'] ?? 20000);
  sharedVectors ??= readWordVectors(EXPANSION.vocabulary);
  if (sharedSpace === undefined) {
    const space = stemVectors(sharedVectors);
    sharedSpace = { ...space, position: new Map(space.stems.map((s, i) => [s, i])) };
  }
  const { stems, matrix, position } = sharedSpace;
  const dimensions = sharedVectors.dimensions;
  const df = new Map<string, number>();
  for (const terms of documents) for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const candidates = Math.min(stems.length, vocab);
  const vector = new Float32Array(dimensions);
  return documents.map((terms) => {
    vector.fill(0);
    let any = false;
    for (const t of new Set(terms)) {
      const at = position.get(t);
      if (at === undefined) continue;
      const idf = Math.log(1 + documents.length / df.get(t)!);
      for (let d = 0; d < dimensions; d++) vector[d]! += idf * matrix[at * dimensions + d]!;
      any = true;
    }
    if (!any) return [];
    let norm = 0;
    for (let d = 0; d < dimensions; d++) norm += vector[d]! * vector[d]!;
    norm = Math.sqrt(norm);
    const own = new Set(terms);
    const best: { stem: number; score: number }[] = [];
    for (let c = Number(process.env["MCPGEN_TUNE_DSKIP"] ?? 0); c < candidates; c++) {
      let dot = 0;
      const o = c * dimensions;
      for (let d = 0; d < dimensions; d++) dot += vector[d]! * matrix[o + d]!;
      dot /= norm;
      if (dot < threshold) continue;
      if (best.length === k && dot <= best[best.length - 1]!.score) continue;
      if (own.has(stems[c]!)) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]!.score < dot) at--;
      best.splice(at, 0, { stem: c, score: dot });
      if (best.length > k) best.pop();
    }
    return best.map((b) => stems[b.stem]!);
  });
}
