/**
 * The only way spec text reaches generated code. Every value a template prints
 * is made here: TypeScript literals through JSON.stringify, comment text with
 * its terminator broken, Markdown cells with their delimiters escaped.
 */

/**
 * Characters that change what a reader sees rather than show themselves: C0 controls
 * (terminal escapes start with U+001B), DEL, C1 controls (U+009B is a one-byte escape),
 * and the bidi marks, embeddings, overrides and isolates of "Trojan Source" (CVE-2021-42574).
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Those of them JSON.stringify leaves raw (it escapes C0 itself), plus U+2028/U+2029 for old parsers. */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function unicodeEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Spec text for a generated text file: every invisible character shown as a literal `\u001b`. */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, unicodeEscape);
}

/**
 * JSON text with the characters JSON.stringify leaves raw escaped: they can only occur
 * inside strings, where `\uXXXX` means the same value.
 */
export function jsonText(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(RAW_IN_JSON, unicodeEscape);
}

/** A value as a TypeScript expression (JSON is valid TS), no invisible character left raw. */
export function tsLiteral(value: unknown, indent = 2): string {
  return jsonText(value, indent);
}

/** Text safe inside a `/* … *\/` or `//` comment: no terminator, no line breaks, nothing invisible. */
export function commentText(text: string): string {
  return visibleText(text.replace(/\*\//g, '*\\/').replace(/[\r\n\u2028\u2029]+/g, ' '));
}

/** Text safe in a Markdown table cell: one line, pipes and HTML escaped, nothing invisible. */
export function markdownCell(text: string): string {
  return visibleText(text.replace(/[\r\n\u2028\u2029]+/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\*/g, '\\*')
    .replace(/`/g, '\\`')
    .trim();
}

/** First sentence-ish line of a description, bounded, for tables. */
export function summaryLine(text: string, max = 160): string {
  const first = text.split(/\r?\n/)[0] ?? '';
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}
