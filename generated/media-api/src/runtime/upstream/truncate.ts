// Cutting a JSON success that is over the size limit into a smaller JSON document that is
// still valid: whole array items are dropped from the end of the collection (a root array,
// or the largest array property of a root object), never a string or an item in the middle.

import { Buffer } from 'node:buffer';
import type { OperationDef } from '../types.js';

export interface CutDocument {
  /** The value that fits (the collection shortened), or the input unchanged when it already fits. */
  readonly value: unknown;
  /** The collection and how much of it is kept; absent when the document has none. */
  readonly collection?: {
    /** Property of the root object holding the collection; undefined for a root array. */
    readonly key: string | undefined;
    readonly kept: number;
    readonly total: number;
  };
}

/**
 * The longest prefix of the collection whose document serializes (compact JSON) to at most
 * `maxBytes` UTF-8 bytes. Undefined when no whole item fits: the document has no collection,
 * the rest of the document alone is too big, or the first item alone is.
 */
export function cutToFit(value: unknown, maxBytes: number): CutDocument | undefined {
  const key = collectionKey(value);
  const items = key === null ? [] : ((key === undefined ? value : (value as Record<string, unknown>)[key]) as unknown[]);
  if (utf8Length(JSON.stringify(value)) <= maxBytes) {
    return key === null ? { value } : { value, collection: { key, kept: items.length, total: items.length } };
  }
  if (key === null) return undefined;
  const rebuild = (kept: unknown[]): unknown => (key === undefined ? kept : withProperty(value as Record<string, unknown>, key, kept));
  let size = utf8Length(JSON.stringify(rebuild([])));
  let kept = 0;
  for (const item of items) {
    // One comma between items.
    const next = size + utf8Length(JSON.stringify(item)) + (kept > 0 ? 1 : 0);
    if (next > maxBytes) break;
    size = next;
    kept += 1;
  }
  if (kept === 0) return undefined;
  return { value: rebuild(items.slice(0, kept)), collection: { key, kept, total: items.length } };
}

/** undefined: the root is the collection; a string: the root object's largest array property; null: none. */
function collectionKey(value: unknown): string | undefined | null {
  if (Array.isArray(value)) return undefined;
  if (typeof value !== 'object' || value === null) return null;
  let best: string | null = null;
  let bestSize = -1;
  for (const [key, property] of Object.entries(value)) {
    if (!Array.isArray(property) || property.length === 0) continue;
    const size = JSON.stringify(property).length;
    if (size > bestSize) {
      best = key;
      bestSize = size;
    }
  }
  return best;
}

// A property named __proto__ (JSON.parse makes it an own property) must stay a property.
function withProperty(object: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(object)) Object.defineProperty(copy, k, { value: k === key ? value : v, enumerable: true, writable: true, configurable: true });
  return copy;
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Turns the first bytes of a JSON document that was cut off (the upstream sent more than this
 * server reads) into a complete document: it ends after the last whole item of the collection
 * (an array at the root or directly under the root object) or the last whole root property,
 * and closes what is still open. Undefined when there is no such point.
 */
export function closeJsonPrefix(text: string): string | undefined {
  const open: string[] = [];
  let inString = false;
  let escaped = false;
  let cut: { at: number; closers: string } | undefined;
  const closers = (): string =>
    open
      .map((c) => (c === '{' ? '}' : ']'))
      .reverse()
      .join('');
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{' || char === '[') open.push(char);
    else if (char === '}' || char === ']') {
      open.pop();
      // A collection under the root object just closed whole.
      if (open.length === 1 && char === ']' && open[0] === '{') cut = { at: i + 1, closers: closers() };
    } else if (char === ',') {
      // Everything before this comma is whole: a root item or property, or a collection item.
      const inCollection = open.length === 2 && open[0] === '{' && open[1] === '[';
      if (open.length === 1 || inCollection) cut = { at: i, closers: closers() };
    }
  }
  return cut === undefined ? undefined : text.slice(0, cut.at) + cut.closers;
}

// Query parameters that page through a collection, compared without case, `_`, `-` or `$`.
const PAGING_PARAMETERS = new Set([
  'page',
  'perpage',
  'pagesize',
  'pagenumber',
  'limit',
  'offset',
  'cursor',
  'after',
  'before',
  'startingafter',
  'endingbefore',
  'pagetoken',
  'nextpagetoken',
  'nexttoken',
  'continuationtoken',
  'marker',
  'skip',
  'top',
  'since',
  'maxresults',
]);

/** The operation's paging arguments (their names as tool arguments), in declaration order. */
export function pagingArguments(op: OperationDef): string[] {
  return op.parameters.filter((p) => p.in === 'query' && PAGING_PARAMETERS.has(p.name.toLowerCase().replace(/[-_$]/g, ''))).map((p) => p.arg);
}
