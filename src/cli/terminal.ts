// Spec text reaches the terminal inside diagnostics (names, paths, quoted values) and
// summaries. A raw U+001B starts an escape sequence that can clear the screen, rewrite
// earlier lines or set the window title; \r overwrites the line; bidi overrides reorder
// what is shown. Every line the CLI prints passes through here.

/** C0 controls except the line feed the CLI itself writes, DEL, C1 controls, bidi marks and overrides. */
const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The text with every unprintable character shown as a literal `\u001b`. JSON the CLI
 * prints stays valid JSON: such characters can only be inside its strings, where the
 * escape means the same value.
 */
export function terminalText(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
