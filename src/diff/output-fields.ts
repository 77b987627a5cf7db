/**
 * Changes in a tool's output schema (what arrives in structuredContent), field by field:
 * a field removed or given a type a caller did not expect breaks code that reads it; a
 * new field breaks nobody. Nested objects and array items are followed to a bounded depth.
 */
import { schemaOf, typeText, typeWidened } from './surface.js';

export interface OutputFieldChange {
  readonly detail: string;
  /** True when code that read the result before can fail now. */
  readonly breaks: boolean;
}

/** Deeper fields are compared as a whole by their parent's type only. */
const MAX_DEPTH = 6;

function fieldName(path: string): string {
  return JSON.stringify(path);
}

function compare(before: Record<string, unknown>, after: Record<string, unknown>, path: string, depth: number, out: OutputFieldChange[]): void {
  if (before['type'] !== undefined && after['type'] !== undefined && JSON.stringify(before['type']) !== JSON.stringify(after['type'])) {
    // A result that can now hold a type it never held breaks readers; fewer types break nobody.
    const breaks = !typeWidened(after['type'], before['type']);
    out.push({ detail: `output field ${fieldName(path || '(result)')} changed type from ${typeText(before['type'])} to ${typeText(after['type'])}`, breaks });
  }
  if (depth >= MAX_DEPTH) return;
  const oldProps = schemaOf(before['properties']);
  const newProps = schemaOf(after['properties']);
  const at = (name: string) => (path ? `${path}.${name}` : name);
  for (const name of Object.keys(oldProps).sort()) {
    if (!Object.hasOwn(newProps, name)) out.push({ detail: `output field ${fieldName(at(name))} was removed`, breaks: true });
    else compare(schemaOf(oldProps[name]), schemaOf(newProps[name]), at(name), depth + 1, out);
  }
  for (const name of Object.keys(newProps).sort()) {
    if (!Object.hasOwn(oldProps, name)) out.push({ detail: `new output field ${fieldName(at(name))}`, breaks: false });
  }
  if (before['items'] !== undefined && after['items'] !== undefined) compare(schemaOf(before['items']), schemaOf(after['items']), `${path}[]`, depth + 1, out);
}

export function outputFieldChanges(before: unknown, after: unknown): OutputFieldChange[] {
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return [{ detail: 'now returns structured content (outputSchema added)', breaks: false }];
  if (after === undefined) return [{ detail: 'no longer returns structured content (outputSchema removed)', breaks: true }];
  const out: OutputFieldChange[] = [];
  compare(schemaOf(before), schemaOf(after), '', 0, out);
  return out;
}
