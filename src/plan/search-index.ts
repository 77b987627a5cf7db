// The search index of a generated server (data/search.json), read by
// templates/runtime/protocol/search.ts. BM25F over a tool's fields, with every posting's final
// contribution to the score computed here, so a search at run time only adds numbers.

import { searchTerms } from './search-terms.js';
import { synonymSource, type SynonymSource } from './synonyms.js';
import type { SearchIndexData, ToolPlan } from './types.js';

export type { SearchIndexData } from './types.js';

export interface SearchDocument {
  readonly name: string;
  readonly method: string;
  readonly operationId?: string;
  readonly title?: string;
  readonly description: string;
  readonly path: string;
  readonly tags: readonly string[];
}

export function searchDocument(tool: ToolPlan): SearchDocument {
  const d = tool.definition;
  return { name: d.name, method: d.operation.method, ...(d.operation.operationId ? { operationId: d.operation.operationId } : {}), ...(d.title ? { title: d.title } : {}), description: d.description, path: d.operation.path, tags: tool.tags };
}


/**
 * A posting list as one string: documents as gaps from the previous one, numbers in base 36.
 * The server parses a string per term (fast) and decodes only the terms a query uses, so
 * Graph's index loads in a few milliseconds where arrays of numbers took a hundred.
 */
export function encodePostings(list: readonly number[]): string {
  const out: string[] = [];
  let previous = 0;
  for (let i = 0; i < list.length; i += 2) {
    out.push((list[i]! - previous).toString(36), list[i + 1]!.toString(36));
    previous = list[i]!;
  }
  return out.join(',');
}

/**
 * Field weights, tuned on the tuning set of npm run search-eval (bench/search-eval/tasks.json; never on
 * held-out.json): the name and summary say
 * what a tool does; descriptions are long and wander, so they only break ties. WordNet
 * synonyms come from the name's words only (a summary's words brought in more noise than hits).
 */
export const FIELD_WEIGHTS = { name: 3, title: 2.5, tags: 1.5, path: 1, action: 0.5, synonyms: 1.5, description: 0.4 } as const;
type Field = keyof typeof FIELD_WEIGHTS;

/**
 * What people say for what an HTTP method does: a request names the action ("tear down",
 * "which … are there") far more often than the operation's own verb.
 */
const METHOD_ACTIONS: Readonly<Record<string, string>> = {
  GET: 'get show see view read look fetch find detail details info status current one single specific particular',
  LIST: 'list all every everyone everything which what show see browse find recent history',
  POST: 'create add new make start open submit send run launch schedule register request grant invite issue give put',
  PUT: 'update replace change set edit',
  PATCH: 'update change modify edit set adjust mark',
  DELETE: 'delete remove destroy kill drop tear down erase end revoke rid wipe',
};

const K1 = 1.2;
const B = 0.75;
/** Only the start of a description: the rest is parameters, examples and caveats. */
const DESCRIPTION_CHARS = 300;

/** Markup out, entities to spaces: Stripe's descriptions are HTML. */
function plainText(text: string): string {
  return text.replace(/<[^>]*>/g, ' ').replace(/&[a-z]+;/g, ' ');
}

/** The summary, or else the description's first sentence (Stripe and Kubernetes have no summaries). */
function headline(doc: SearchDocument): string {
  if (doc.title) return doc.title;
  const text = plainText(doc.description).trim();
  const end = text.search(/[.!?](\s|$)/);
  return (end < 0 ? text : text.slice(0, end)).slice(0, 160);
}

/**
 * Tools a user rarely means: deprecated operations (flagged by the spec, or said so at the start
 * of the description, as Kubernetes does for its watch endpoints) and alpha or beta API versions,
 * which large APIs (Kubernetes) list beside the stable one under the same words.
 */
function demoted(doc: SearchDocument): boolean {
  return (
    /Deprecated by the API\.$/.test(doc.description) ||
    /\bdeprecat(ed|ion)\b/i.test(plainText(doc.description).slice(0, DESCRIPTION_CHARS)) ||
    /\/v\d+(alpha|beta)\d*\//.test(`${doc.path}/`)
  );
}
const DEMOTION = 0.7;

/**
 * A prior for general tools over nested ones: each fixed path segment scales a tool's score.
 * Large APIs reach the same words through deep navigation paths (Graph's
 * /me/mailFolders/{id}/childFolders/{id}/messages/{id}/attachments); people mostly mean the
 * shallow, general tool. Parameters are not counted: /pods/{name} is as general as /pods.
 */
const DEPTH_DECAY = 0.8;
function depthPrior(doc: SearchDocument): number {
  const segments = doc.path.split('/').filter((s) => s !== '' && !s.startsWith('{'));
  return DEPTH_DECAY ** segments.length;
}

function fieldsOf(doc: SearchDocument, synonyms: SynonymSource): Record<Field, string[]> {
  const title = headline(doc);
  const nameTerms = [...new Set([...searchTerms(doc.name), ...searchTerms(doc.operationId ?? '')])];
  const words = (text: string): Set<string> =>
    new Set(
      text
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .toLowerCase()
        .split(/[^a-z]+/)
        .filter((w) => w.length > 2),
    );
  const nameWords = words(`${doc.name} ${doc.operationId ?? ''}`);
  const own = new Set([...nameTerms, ...searchTerms(title)]);
  const synonymTerms = new Set<string>();
  for (const word of new Set([...nameWords, ...words(title)])) {
    for (const synonym of synonyms.synonyms(word, nameWords.has(word))) for (const term of searchTerms(synonym)) if (!own.has(term)) synonymTerms.add(term);
  }
  return {
    name: nameTerms,
    title: searchTerms(title),
    tags: doc.tags.flatMap(searchTerms),
    path: searchTerms(doc.path.replace(/\{[^}]*\}/g, ' ')),
    action: searchTerms(METHOD_ACTIONS[doc.method === 'GET' && !/\}$/.test(doc.path) ? 'LIST' : doc.method] ?? ''),
    synonyms: [...synonymTerms],
    description: searchTerms(plainText(doc.description).slice(0, DESCRIPTION_CHARS)),
  };
}

/** Tools → index; deterministic (terms sorted, documents in the given order). */
export function buildSearchIndex(docs: readonly SearchDocument[], synonyms: SynonymSource = synonymSource()): SearchIndexData {
  const weighted: Map<string, number>[] = [];
  const lengths: number[] = [];
  const df = new Map<string, number>();
  for (const doc of docs) {
    const fields = fieldsOf(doc, synonyms);
    const tf = new Map<string, number>();
    let length = 0;
    for (const field of Object.keys(FIELD_WEIGHTS) as Field[]) {
      const weight = FIELD_WEIGHTS[field];
      for (const term of fields[field]) tf.set(term, (tf.get(term) ?? 0) + weight);
      length += weight * fields[field].length;
    }
    for (const term of tf.keys()) df.set(term, (df.get(term) ?? 0) + 1);
    weighted.push(tf);
    lengths.push(length);
  }
  const average = lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length);
  const postings = new Map<string, number[]>();
  weighted.forEach((tf, doc) => {
    const scale = (demoted(docs[doc]!) ? DEMOTION : 1) * depthPrior(docs[doc]!);
    const norm = K1 * (1 - B + (B * lengths[doc]!) / (average || 1));
    for (const [term, frequency] of tf) {
      const n = df.get(term)!;
      const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
      const impact = Math.round((1000 * scale * idf * frequency * (K1 + 1)) / (frequency + norm));
      if (impact <= 0) continue;
      const list = postings.get(term) ?? [];
      list.push(doc, impact);
      postings.set(term, list);
    }
  });
  const terms = [...postings.keys()].sort();
  return { version: 1, names: docs.map((d) => d.name), postings: Object.fromEntries(terms.map((t) => [t, encodePostings(postings.get(t)!)])) };
}

/** The index as a data file: one term per line, so a changed tool changes a few lines. */
export function searchIndexText(index: SearchIndexData): string {
  const terms = Object.entries(index.postings).map(([term, list]) => `    ${JSON.stringify(term)}: ${JSON.stringify(list)}`);
  return `{\n  "version": 1,\n  "names": ${JSON.stringify(index.names)},\n  "postings": {\n${terms.join(',\n')}\n  }\n}\n`;
}
