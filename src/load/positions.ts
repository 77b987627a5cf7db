import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { parsePointer } from '../diagnostics/diagnostic.js';

/**
 * Finds the 1-based line and column of a JSON pointer in YAML or JSON text.
 * Parsing for positions is costly on large specs, so it happens only when a
 * diagnostic needs a place, never on the happy path. When the pointer leads
 * past the document (a missing key), the nearest existing ancestor is used.
 */
export function locatePointer(text: string, pointer: string): { line?: number; column?: number } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false });
  let node: unknown = doc.contents;
  let position: number | undefined = (node as Node | null)?.range?.[0];
  for (const token of parsePointer(pointer)) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === token);
      if (!pair) break;
      position = (pair.key as Node).range?.[0] ?? position;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(token)];
      if (item === undefined) break;
      node = item;
      position = (item as Node).range?.[0] ?? position;
    } else {
      break;
    }
  }
  if (position === undefined) return {};
  const { line, col } = lineCounter.linePos(position);
  return { line, column: col };
}
