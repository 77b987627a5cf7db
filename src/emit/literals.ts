/**
 * The only way spec text reaches generated code. Every value a template prints
 * is made here: TypeScript literals through JSON.stringify, comment text with
 * its terminator broken, Markdown cells with their delimiters escaped.
 */

/** A value as a TypeScript expression (JSON is valid TS); line and paragraph separators escaped for old parsers. */
export function tsLiteral(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Text safe inside a `/* … *\/` or `//` comment: no terminator, no line breaks. */
export function commentText(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** Text safe in a Markdown table cell: one line, pipes and HTML escaped. */
export function markdownCell(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
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
