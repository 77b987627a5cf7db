// Spec prose as clients show it. OpenAPI descriptions are CommonMark, which allows raw HTML,
// and many real specs are written in HTML outright (Stripe: 447 of 452 operations). Models
// and clients read Markdown; HTML tags spend tokens and show as markup. Text with tags is
// converted once per distinct string; text without tags is returned untouched.
import TurndownService from 'turndown';

// A tag of HTML prose (paragraphs, links, code, lists, emphasis, headings, tables). Other
// angle-bracket text (`<script>` in a description, `List<String>`, `<id>`) is left as written.
const HTML_MARK = /<\/?(?:p|a|code|pre|ul|ol|li|br|strong|em|b|i|h[1-6]|table|thead|tbody|tr|td|th|blockquote|hr|div|span|dl|dt|dd)(?:\s[^<>]*)?\/?>/i;

let converter: TurndownService | undefined;
const converted = new Map<string, string>();

export function specProse(text: string): string {
  if (!HTML_MARK.test(text)) return text;
  const cached = converted.get(text);
  if (cached !== undefined) return cached;
  converter ??= new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-', emDelimiter: '_' });
  const markdown = converter.turndown(text).trim();
  // Keep the original when conversion leaves nothing (a description that was only markup).
  const result = markdown === '' ? text : markdown;
  converted.set(text, result);
  return result;
}
