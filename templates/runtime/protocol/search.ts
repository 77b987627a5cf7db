// search_tools over the index the compiler built (data/search.json). All the work that
// needs a vocabulary (stemming the spec's words, adding synonyms, BM25F weights) was done
// at generation: each posting carries the term's final contribution to a tool's score, so
// a search is the sum of a few postings per query word. Graph's 11,400 tools answer in
// well under a millisecond, and the runtime carries no lexical database.

/** The index as the compiler writes it (src/plan/search-index.ts). */
export interface SearchIndexData {
  readonly version: 1;
  /** Tool names, in document order: postings refer to tools by position here. */
  readonly names: readonly string[];
  /**
   * Term → its postings as "document gap,impact × 1000,document gap,impact × 1000,…" in base
   * 36: strings parse far faster than arrays of numbers, and only a query's terms are decoded.
   */
  readonly postings: { readonly [term: string]: string };
}

export interface SearchHit {
  readonly name: string;
  readonly score: number;
}

/** Words that carry no meaning in a request for a tool; dropped from queries and documents alike. */
const STOP_WORDS = new Set(
  'a also an and another any are as at be by can do else for from has have how i in into is it its just me my of on or other our please some someone something that the their them there they thing this to up use want way we with you your'.split(' '),
);

/**
 * Text → index terms: identifiers split at case changes, digits and punctuation
 * (`repos/create-fork`, `listPodForAllNamespaces`), lower-cased, stop words dropped, each
 * word stemmed. The compiler keeps a copy of this function (src/plan/search-terms.ts);
 * a test keeps the two equal, since a query must be cut exactly as the documents were.
 */
export function searchTerms(text: string): string[] {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  const terms: string[] = [];
  for (const word of words) {
    if (word === '' || STOP_WORDS.has(word)) continue;
    terms.push(stem(word));
  }
  return terms;
}

/**
 * A light suffix stemmer: plurals, -ing, -ed, -ation, -tion, -er, and a final e, so that "creating",
 * "created", "creates", "create" and "creation" meet on "creat". Porter's full algorithm
 * would merge a few more forms; this one is small enough to keep two copies of.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /^[0-9]+$/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ization')) w = w.slice(0, -5);
  else if (w.endsWith('ation') && w.length > 7) w = w.slice(0, -3);
  else if (/[cst]ion$/.test(w) && w.length > 6) w = w.slice(0, -3);
  else {
    for (const suffix of ['ing', 'ed']) {
      if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
        w = w.slice(0, -suffix.length);
        // running → run, but add stays add.
        if (w.length > 3 && w[w.length - 1] === w[w.length - 2] && !/[lsz]$/.test(w)) w = w.slice(0, -1);
        break;
      }
    }
  }
  // reviewer → review, container → contain, autoscaler → autoscal (as autoscale).
  if (w.endsWith('er') && w.length > 5) w = w.slice(0, -2);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/** Score factor per query word matched beyond the first. */
const COORDINATION = 1.5;

export class ToolSearch {
  private readonly encoded: { readonly [term: string]: string };
  private readonly decoded = new Map<string, Int32Array>();
  private readonly names: readonly string[];
  private readonly positions: Map<string, number>;
  // Reused by every search (searches are synchronous): no garbage per query on an API of
  // 11,000 tools, so no collector pauses in the latency tail.
  private readonly scores: Float64Array;
  private readonly matched: Uint8Array;

  constructor(data: SearchIndexData) {
    this.names = data.names;
    this.encoded = data.postings;
    this.positions = new Map(data.names.map((name, index) => [name, index] as const));
    this.scores = new Float64Array(data.names.length);
    this.matched = new Uint8Array(data.names.length);
  }

  /** A term's postings as [document, impact, …], decoded once. */
  private postings(term: string): Int32Array | undefined {
    let list = this.decoded.get(term);
    if (list === undefined) {
      const text = Object.hasOwn(this.encoded, term) ? this.encoded[term] : undefined;
      if (text === undefined) return undefined;
      const parts = text.split(',');
      list = new Int32Array(parts.length);
      let document = 0;
      for (let i = 0; i < parts.length; i += 2) {
        document += Number.parseInt(parts[i]!, 36);
        list[i] = document;
        list[i + 1] = Number.parseInt(parts[i + 1]!, 36);
      }
      this.decoded.set(term, list);
    }
    return list;
  }

  /**
   * The best `limit` tools for the query among those `allowed` accepts, best first. A query
   * that names a tool exactly puts that tool first, whatever the words score.
   */
  search(query: string, limit: number, allowed: (name: string) => boolean): SearchHit[] {
    const { scores, matched } = this;
    scores.fill(0);
    matched.fill(0);
    const seen = new Set<string>();
    // At most 32 words: a request is a sentence, and matched counts fit a byte.
    for (const term of searchTerms(query).slice(0, 32)) {
      if (seen.has(term)) continue;
      seen.add(term);
      const list = this.postings(term);
      if (list === undefined) continue;
      for (let i = 0; i < list.length; i += 2) {
        scores[list[i]!]! += list[i + 1]!;
        matched[list[i]!]!++;
      }
    }
    // Coordination: a tool that matches more of the request's words beats one that matches
    // a single rare word many times ("store a password in the cluster" is not about CIDRs).
    for (let doc = 0; doc < scores.length; doc++) if (matched[doc]! > 1) scores[doc]! *= COORDINATION ** (matched[doc]! - 1);
    const exact = this.positions.get(query.trim());
    if (exact !== undefined) scores[exact] = Number.MAX_SAFE_INTEGER;
    // A bounded insertion sort: limit is small, so this beats sorting every tool.
    const top: number[] = [];
    for (let doc = 0; doc < scores.length; doc++) {
      const score = scores[doc]!;
      if (score <= 0) continue;
      if (top.length === limit && score <= scores[top[top.length - 1]!]!) continue;
      if (!allowed(this.names[doc]!)) continue;
      let at = top.length;
      while (at > 0 && scores[top[at - 1]!]! < score) at--;
      top.splice(at, 0, doc);
      if (top.length > limit) top.pop();
    }
    return top.map((doc) => ({ name: this.names[doc]!, score: Math.round(scores[doc]!) / 1000 }));
  }
}
