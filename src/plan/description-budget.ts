// Shorter tool descriptions for tools/list (the config's descriptionBudget, in characters):
// the whole sentences that fit, else whole words and "…". A cut never falls inside code, a
// link, a URL or emphasis, so the Markdown that remains is whole. describe_tools still gives
// the full text. Characters rather than sentences: sentences run from 20 characters to 900
// (Stripe writes paragraphs without a full stop), so only a length bounds what a listing costs.

/** Sentence boundaries by ICU's rules (built into Node); the checks below reject its false ends. */
const sentences = new Intl.Segmenter('en', { granularity: 'sentence' });

const ELLIPSIS = '…';

/** Words whose full stop does not end a sentence (lower case, with their dots). */
const ABBREVIATIONS = new Set(['e.g.', 'i.e.', 'etc.', 'vs.', 'cf.', 'approx.', 'incl.', 'no.', 'nr.', 'dr.', 'mr.', 'mrs.', 'ms.', 'st.', 'inc.', 'ltd.', 'co.', 'corp.', 'jr.', 'sr.', 'fig.', 'ex.', 'resp.', 'esp.', 'viz.', 'al.']);

/** Markdown that must stay whole: fenced code (to the end when unclosed), inline code, links and images, autolinks and tags, bare URLs, emphasis. */
const WHOLE = [
  /```[\s\S]*?(?:```|$)/g,
  /`[^`\n]*`/g,
  /!?\[[^\]\n]*\]\([^)\n]*\)/g,
  /<[^<>\n]+>/g,
  /\bhttps?:\/\/[^\s)<>\]]+/g,
  /\*\*[^*\n]+\*\*/g,
  /__[^_\n]+__/g,
  /(?<![\w*])\*[^*\s][^*\n]*\*(?![\w*])/g,
  /(?<![\w_])_[^_\s][^_\n]*_(?![\w_])/g,
];

/**
 * `text` within `budget` characters: as many whole sentences as fit; when not even the first
 * does, whole words ending in "…"; when not even a word does (one long URL), the first word
 * whole and "…" (over the budget rather than cut mid-word). Text within the budget is unchanged.
 */
export function shortenDescription(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const whole = wholeRanges(text);
  const cuttable = (at: number): boolean => !whole.some(([start, end]) => at > start && at < end);
  let end = 0;
  for (const { index, segment } of sentences.segment(text)) {
    const sentence = segment.trimEnd();
    if (sentence === '') continue;
    const stop = index + sentence.length;
    if (stop > budget) break;
    if (stop > 0 && cuttable(stop) && endsSentence(text, stop)) end = stop;
  }
  if (end > 0) return text.slice(0, end);
  const words = [...text.matchAll(/\s+/g)].map((m) => m.index).filter((at) => at > 0 && cuttable(at));
  const within = words.filter((at) => at + ELLIPSIS.length <= budget);
  const cut = within.length > 0 ? within[within.length - 1]! : words[0];
  if (cut === undefined) return text;
  // A dangling comma, colon, dash or opening bracket reads as a mistake before the mark.
  return `${text.slice(0, cut).replace(/[\s,;:([{—–-]+$/u, '')}${ELLIPSIS}`;
}

/**
 * Whether a sentence really ends at `stop`. ICU ends one at every line break, but Markdown wraps
 * paragraphs: a line break ends one only before a blank line, a list item or a heading. A full
 * stop does not end one after an abbreviation, an initial or a list number.
 */
function endsSentence(text: string, stop: number): boolean {
  const before = text.slice(0, stop);
  if (/[.!?…]["')\]*_`]*$/.test(before)) return !endsWithAbbreviation(before);
  return stop === text.length || /^[ \t]*\n[ \t]*(?:\n|[-*+] |\d+\. |#)/.test(text.slice(stop));
}

/** Whether `text` ends in a full stop that is not a sentence's: an abbreviation, an initial, a list number. */
function endsWithAbbreviation(text: string): boolean {
  const last = /(\S+)$/.exec(text)?.[1]?.toLowerCase() ?? '';
  if (!last.endsWith('.')) return false;
  const word = last.replace(/^[("'[]+/, '');
  return ABBREVIATIONS.has(word) || /^(?:[a-z]\.)+$/.test(word) || /(?:^|\n)[ \t]*\d+\.$/.test(text);
}

function wholeRanges(text: string): Array<readonly [number, number]> {
  return WHOLE.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => [m.index, m.index + m[0].length] as const));
}
