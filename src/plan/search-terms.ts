// The words of the search index, cut exactly as the generated server cuts a query.
// A copy of templates/runtime/protocol/search.ts's searchTerms and stem: the compiler cannot import
// the runtime (it is copied, not compiled, into servers); test/unit/search.test.ts keeps them equal.

/** Words that carry no meaning in a request for a tool; dropped from queries and documents alike. */
const STOP_WORDS = new Set(
  'a also an and another any are as at be by can do else for from has have how i in into is it its just me my of on or other our please some someone something that the their them there they thing this to up use want way we with you your'.split(' '),
);

/**
 * Text → index terms: identifiers split at case changes, digits and punctuation
 * (`repos/create-fork`, `listPodForAllNamespaces`), lower-cased, stop words dropped, each
 * word stemmed. The runtime holds the original (templates/runtime/protocol/search.ts, copied into every
 * server); a test keeps the two equal, since a query must be cut exactly as the documents were.
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
