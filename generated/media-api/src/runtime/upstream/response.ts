// Maps an upstream HTTP response to an MCP tool result. Whatever the upstream sends
// (huge, binary, mislabelled, broken JSON) must become a result, never a crash.

import { Buffer } from 'node:buffer';
import { STATUS_CODES } from 'node:http';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { closeJsonPrefix, cutToFit, pagingArguments, type CutDocument } from './truncate.js';
import type { OperationDef } from '../types.js';

export interface ResponseOptions {
  /** Upper bound on the body bytes that reach the model. */
  readonly maxBytes: number;
  /**
   * Upper bound on JSON body bytes read to cut a large success at whole items (default
   * READ_CEILING_FACTOR × maxBytes); beyond it the total is unknown.
   */
  readonly maxReadBytes?: number;
  /** URL shown for binary bodies (resource uri); defaults to `res.url`. Must not contain secrets. */
  readonly url?: string;
}

/** A JSON success is read up to this many times maxBytes, to be cut at whole items. */
export const READ_CEILING_FACTOR = 8;

export function readCeiling(options: ResponseOptions): number {
  return Math.max(options.maxReadBytes ?? options.maxBytes * READ_CEILING_FACTOR, options.maxBytes);
}

/** At most this many characters of an error body reach the model. */
export const ERROR_EXCERPT_CHARS = 2_000;

// Enough bytes for ERROR_EXCERPT_CHARS characters in any UTF-8 text.
const ERROR_READ_BYTES = ERROR_EXCERPT_CHARS * 4;

interface BoundedBody {
  readonly bytes: Uint8Array;
  /** True when the upstream had more than the bytes returned. */
  readonly truncated: boolean;
}

/**
 * Reads at most `limit` bytes (and one chunk beyond, to know there was more), then
 * cancels the stream so the rest is never buffered.
 */
export async function readBounded(res: Response, limit: number): Promise<BoundedBody> {
  if (res.body === null) return { bytes: new Uint8Array(0), truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
      if (total > limit) {
        truncated = true;
        break;
      }
    }
  } finally {
    if (truncated) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  const bytes = concat(chunks, Math.min(total, limit));
  return { bytes, truncated };
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    if (offset >= length) break;
    const part = chunk.subarray(0, length - offset);
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

export interface MediaType {
  /** Lower-cased `type/subtype`, '' when absent. */
  readonly essence: string;
  readonly charset: string | undefined;
}

export function mediaType(header: string | null): MediaType {
  if (header === null) return { essence: '', charset: undefined };
  const [essence = '', ...params] = header.split(';');
  let charset: string | undefined;
  for (const param of params) {
    const [key, value] = param.split('=', 2);
    if (key?.trim().toLowerCase() === 'charset' && value !== undefined) charset = value.trim().replace(/^"|"$/g, '');
  }
  return { essence: essence.trim().toLowerCase(), charset };
}

export function isJson(type: MediaType): boolean {
  return type.essence === 'application/json' || type.essence.endsWith('+json');
}

// Textual types outside text/* that a model can read as-is.
const TEXTUAL = new Set([
  'application/xml',
  'application/yaml',
  'application/x-yaml',
  'application/javascript',
  'application/x-www-form-urlencoded',
  'application/graphql',
]);

export function isTextual(type: MediaType): boolean {
  return type.essence.startsWith('text/') || type.essence.endsWith('+xml') || TEXTUAL.has(type.essence);
}

export function decode(bytes: Uint8Array, charset: string | undefined, fatal = false): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset ?? 'utf-8', { fatal });
  } catch {
    // Unknown charset label: UTF-8 is the best remaining guess.
    decoder = new TextDecoder('utf-8', { fatal });
  }
  return decoder.decode(bytes);
}

/** Text when the bytes are valid UTF-8, otherwise undefined (used when no content-type was sent). */
function decodeIfText(bytes: Uint8Array): string | undefined {
  try {
    return decode(bytes, 'utf-8', true);
  } catch {
    return undefined;
  }
}

export function statusLine(res: Response): string {
  const reason = res.statusText !== '' ? res.statusText : (STATUS_CODES[res.status] ?? '');
  return reason === '' ? `HTTP ${res.status}` : `HTTP ${res.status} ${reason}`;
}

export function truncationMarker(maxBytes: number): string {
  return `\n…[truncated: upstream sent more than ${maxBytes} bytes]`;
}

function text(value: string, isError = false): CallToolResult {
  return isError ? { content: [{ type: 'text', text: value }], isError: true } : { content: [{ type: 'text', text: value }] };
}

export async function toToolResult(op: OperationDef, res: Response, options: ResponseOptions): Promise<CallToolResult> {
  const ok = res.status >= 200 && res.status < 300;
  return ok ? successResult(op, res, options) : errorResult(res, options);
}

async function errorResult(res: Response, options: ResponseOptions): Promise<CallToolResult> {
  const type = mediaType(res.headers.get('content-type'));
  const { bytes, truncated } = await readBounded(res, Math.min(options.maxBytes, ERROR_READ_BYTES));
  const head = statusLine(res) + rateLimitLines(res);
  if (bytes.byteLength === 0) return text(head, true);
  const body =
    isJson(type) || isTextual(type) ? decode(bytes, type.charset) : type.essence === '' ? decodeIfText(bytes) : undefined;
  if (body === undefined) {
    return text(`${head}\n[${truncated ? 'more than ' : ''}${bytes.byteLength} bytes of ${type.essence || 'binary data'}]`, true);
  }
  const cut = truncated || body.length > ERROR_EXCERPT_CHARS;
  return text(`${head}\n${body.slice(0, ERROR_EXCERPT_CHARS)}${cut ? '\n…[truncated]' : ''}`, true);
}

// Headers that tell a client when it may call again; no others reach the model.
const RATE_LIMIT_HEADER = /^(retry-after|ratelimit|ratelimit-policy|ratelimit-limit|ratelimit-remaining|ratelimit-reset|x-ratelimit-[a-z0-9-]+)$/;
const RATE_LIMIT_MAX_HEADERS = 8;
const RATE_LIMIT_MAX_VALUE_CHARS = 200;

/**
 * The rate-limit headers of a 429 or 503, or of any error that says no calls remain (GitHub's
 * 403 with X-RateLimit-Remaining: 0), one per line, bounded in count and length.
 */
function rateLimitLines(res: Response): string {
  const exhausted = ['x-ratelimit-remaining', 'ratelimit-remaining'].some((name) => res.headers.get(name)?.trim() === '0');
  if (res.status !== 429 && res.status !== 503 && !exhausted) return '';
  const found: [string, string][] = [];
  res.headers.forEach((value, name) => {
    if (RATE_LIMIT_HEADER.test(name)) found.push([name, value]);
  });
  // Retry-After first: it is the one a client acts on.
  found.sort(([a], [b]) => Number(b === 'retry-after') - Number(a === 'retry-after'));
  const lines = found.slice(0, RATE_LIMIT_MAX_HEADERS).map(([name, value]) => {
    const bounded = value.length > RATE_LIMIT_MAX_VALUE_CHARS ? `${value.slice(0, RATE_LIMIT_MAX_VALUE_CHARS)}…` : value;
    return `\n${name}: ${bounded}`;
  });
  return lines.join('');
}

async function successResult(op: OperationDef, res: Response, options: ResponseOptions): Promise<CallToolResult> {
  const emptyBody = `${statusLine(res)}: success, empty body`;
  if (res.status === 204 || res.status === 205 || res.headers.get('content-length') === '0') {
    await res.body?.cancel().catch(() => undefined);
    return text(emptyBody);
  }
  const type = mediaType(res.headers.get('content-type'));
  const { bytes, truncated } = await readBounded(res, isJson(type) ? readCeiling(options) : options.maxBytes);
  if (bytes.byteLength === 0 && !truncated) return text(emptyBody);

  if (isJson(type)) return jsonResult(op, res, bytes, truncated, type, options);

  if (isTextual(type)) {
    const body = decode(bytes, type.charset);
    return text(truncated ? body + truncationMarker(options.maxBytes) : body);
  }

  if (type.essence === '') {
    const body = decodeIfText(bytes);
    if (body !== undefined) return text(truncated ? body + truncationMarker(options.maxBytes) : body);
  }

  // A cut image or file is not a smaller image or file: refuse instead of sending garbage.
  if (truncated) {
    return text(
      `${statusLine(res)}: the upstream sent more than ${options.maxBytes} bytes of ${type.essence || 'binary data'}, ` +
        'which is over this server\'s response limit (MCPGEN_MAX_RESPONSE_BYTES).',
      true,
    );
  }
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const mimeType = type.essence || 'application/octet-stream';
  if (mimeType.startsWith('image/')) return { content: [{ type: 'image', data, mimeType }] };
  if (mimeType.startsWith('audio/')) return { content: [{ type: 'audio', data, mimeType }] };
  const uri = options.url !== undefined && options.url !== '' ? options.url : res.url !== '' ? res.url : 'about:blank';
  return { content: [{ type: 'resource', resource: { uri, mimeType, blob: data } }] };
}

function jsonResult(
  op: OperationDef,
  res: Response,
  bytes: Uint8Array,
  truncated: boolean,
  type: MediaType,
  options: ResponseOptions,
): CallToolResult {
  const body = decode(bytes, type.charset);
  if (truncated || bytes.byteLength > options.maxBytes) return oversizedJsonResult(op, res, body, truncated, options);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return invalidJsonResult(res, type, body, error);
  }
  if (!op.response.structured) return text(body);
  // An array is published as { items: [...] } in structuredContent and, so that both carry the
  // same document, in the text too: the upstream's own bytes, wrapped. A root the spec did not
  // promise goes out the same way; output-check.ts then repairs what does not fit the outputSchema.
  const wrapKey = op.response.wrapKey;
  if (wrapKey !== undefined) {
    return { content: [{ type: 'text', text: `{${JSON.stringify(wrapKey)}:${body}}` }], structuredContent: { [wrapKey]: parsed } };
  }
  return { content: [{ type: 'text', text: body }], structuredContent: parsed };
}

function invalidJsonResult(res: Response, type: MediaType, body: string, error: unknown): CallToolResult {
  const reason = error instanceof Error ? error.message : String(error);
  const excerpt = body.length > ERROR_EXCERPT_CHARS ? `${body.slice(0, ERROR_EXCERPT_CHARS)}\n…[truncated]` : body;
  return text(
    `${statusLine(res)}: the upstream declared ${type.essence} but sent invalid JSON (${reason}). ` +
      `The operation may have succeeded; do not retry blindly. Body:\n${excerpt}`,
    true,
  );
}

/**
 * A success over the size limit is still a success: the JSON is cut at whole items of its
 * collection, and a note says how many were kept and how to get the rest. `beyondCeiling`
 * is true when the upstream sent more than this server reads: `body` is then a prefix.
 */
function oversizedJsonResult(op: OperationDef, res: Response, body: string, beyondCeiling: boolean, options: ResponseOptions): CallToolResult {
  let parsed: unknown;
  if (!beyondCeiling) {
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      return invalidJsonResult(res, mediaType(res.headers.get('content-type')), body, error);
    }
  }
  const cut = cutOversizedJson(op, body, parsed, beyondCeiling, op.response.structured ? op.response.wrapKey : undefined, options);
  const result: CallToolResult = { content: [{ type: 'text', text: cut.text }, { type: 'text', text: cut.note }] };
  // A tool with an outputSchema owes structuredContent; when no whole item could be kept,
  // {} is the value every such schema accepts.
  if (op.response.structured) result.structuredContent = cut.json ? cut.value : {};
  return result;
}

export interface CutJson {
  /** The cut document as JSON text, or (json false) the start of the body, which is not valid JSON. */
  readonly text: string;
  readonly json: boolean;
  /** The cut document (wrapped under wrapKey when one is given); set when json is true. */
  readonly value?: unknown;
  /** What was cut and how to get the rest, for the reader. */
  readonly note: string;
}

/**
 * An oversized JSON success made to fit `options.maxBytes`: cut at whole items of its
 * collection when it can be, else the start of its text, marked. `parsed` is the body parsed
 * (undefined when beyondCeiling: the body is then a prefix, closed here where it can be).
 * Tools and resource reads both answer with it.
 */
export function cutOversizedJson(op: OperationDef, body: string, parsed: unknown, beyondCeiling: boolean, wrapKey: string | undefined, options: ResponseOptions): CutJson {
  if (beyondCeiling) {
    const closed = closeJsonPrefix(body);
    try {
      parsed = closed === undefined ? undefined : JSON.parse(closed);
    } catch {
      parsed = undefined;
    }
  }
  // Cut the body itself (an array, or an object where the spec promised one), then wrap it.
  const wrapper = wrapKey === undefined ? 0 : Buffer.byteLength(`{${JSON.stringify(wrapKey)}:}`);
  const cut = parsed === undefined ? undefined : cutToFit(parsed, options.maxBytes - wrapper);
  const sent = beyondCeiling ? `more than ${readCeiling(options)} bytes (as much as this server reads)` : `${Buffer.byteLength(body)} bytes`;
  const limit = `this server's limit of ${options.maxBytes} bytes (MCPGEN_MAX_RESPONSE_BYTES)`;
  if (cut === undefined) {
    const head = body.slice(0, prefixLength(body, options.maxBytes));
    const note = `[truncated: the upstream sent ${sent} of JSON, over ${limit}, which could not be cut at whole items; the text above is its first ${options.maxBytes} bytes and is not valid JSON.]`;
    return { text: head, json: false, note };
  }
  const value = wrapKey === undefined ? cut.value : { [wrapKey]: cut.value };
  return { text: JSON.stringify(value), json: true, value, note: truncationNote(op, cut, sent, limit, beyondCeiling) };
}

function truncationNote(op: OperationDef, cut: CutDocument, sent: string, limit: string, beyondCeiling: boolean): string {
  const collection = cut.collection;
  if (collection === undefined) return `[truncated: the upstream sent ${sent}, over ${limit}; this is the part before the cut.]`;
  // The key is the upstream's: bounded, so a pathological name cannot swell the note.
  const where = collection.key === undefined ? '' : ` of "${collection.key.length > 100 ? `${collection.key.slice(0, 100)}…` : collection.key}"`;
  const kept = beyondCeiling
    ? `kept the first ${collection.kept} items${where}; the total is unknown`
    : `kept the first ${collection.kept} of ${collection.total} items${where}`;
  const paging = pagingArguments(op);
  const rest = paging.length
    ? `To get the rest, call again with the paging arguments (${paging.join(', ')}).`
    : 'This operation has no paging arguments: narrow the request to get the rest.';
  return `[truncated: the upstream sent ${sent}, over ${limit}; ${kept}. ${rest}]`;
}

/** The longest prefix of `text` that is at most `maxBytes` UTF-8 bytes. */
function prefixLength(text: string, maxBytes: number): number {
  if (Buffer.byteLength(text) <= maxBytes) return text.length;
  const bytes = Buffer.from(text).subarray(0, maxBytes);
  // Drop a character cut in half (the decoder would make it U+FFFD).
  return new TextDecoder().decode(bytes).replace(/\uFFFD$/, '').length;
}
