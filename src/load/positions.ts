import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { parsePointer } from '../diagnostics/diagnostic.js';

export type Position = { line?: number; column?: number };

/**
 * Returns a function that finds the 1-based line and column of a JSON pointer in
 * YAML or JSON text. The text is parsed for positions on the first lookup only:
 * that parse is costly on large specs, so the happy path never pays for it.
 * When the pointer leads past the document (a missing key), the nearest existing
 * ancestor is used.
 */
export function createLocator(text: string): (pointer: string) => Position {
  let parsed: { doc: Document; lineCounter: LineCounter } | undefined;
  return (pointer) => {
    if (!parsed) {
      const lineCounter = new LineCounter();
      parsed = { doc: parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false }), lineCounter };
    }
    return findPosition(parsed.doc, parsed.lineCounter, pointer);
  };
}

function findPosition(doc: Document, lineCounter: LineCounter, pointer: string): Position {
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

/** One-off lookup (parses the text each call; use createLocator for many). */
export function locatePointer(text: string, pointer: string): Position {
  return createLocator(text)(pointer);
}
