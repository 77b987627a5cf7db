// Maps an upstream HTTP response to an MCP tool result. Whatever the upstream sends
// (huge, binary, mislabelled, broken JSON) must become a result, never a crash.

import { Buffer } from 'node:buffer';
import { STATUS_CODES } from 'node:http';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { isPlainObject } from './serialize.js';
import type { OperationDef } from './types.js';

export interface ResponseOptions {
  /** Upper bound on body bytes read from the upstream. */
  readonly maxBytes: number;
  /** URL shown for binary bodies (resource uri); defaults to `res.url`. Must not contain secrets. */
  readonly url?: string;
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

function truncationMarker(maxBytes: number): string {
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
  const head = statusLine(res);
  if (bytes.byteLength === 0) return text(head, true);
  const body =
    isJson(type) || isTextual(type) ? decode(bytes, type.charset) : type.essence === '' ? decodeIfText(bytes) : undefined;
  if (body === undefined) {
    return text(`${head}\n[${truncated ? 'more than ' : ''}${bytes.byteLength} bytes of ${type.essence || 'binary data'}]`, true);
  }
  const cut = truncated || body.length > ERROR_EXCERPT_CHARS;
  return text(`${head}\n${body.slice(0, ERROR_EXCERPT_CHARS)}${cut ? '\n…[truncated]' : ''}`, true);
}

async function successResult(op: OperationDef, res: Response, options: ResponseOptions): Promise<CallToolResult> {
  const emptyBody = `${statusLine(res)}: success, empty body`;
  if (res.status === 204 || res.status === 205 || res.headers.get('content-length') === '0') {
    await res.body?.cancel().catch(() => undefined);
    return text(emptyBody);
  }
  const type = mediaType(res.headers.get('content-type'));
  const { bytes, truncated } = await readBounded(res, options.maxBytes);
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
  // A prefix of a JSON document is not JSON: hand over what fits, without structure.
  // A tool with an outputSchema must send structuredContent unless the result is an
  // error, so for those the cut body is an error result the model can still read.
  if (truncated) return text(body + truncationMarker(options.maxBytes), op.response.structured);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const excerpt = body.length > ERROR_EXCERPT_CHARS ? `${body.slice(0, ERROR_EXCERPT_CHARS)}\n…[truncated]` : body;
    return text(
      `${statusLine(res)}: the upstream declared ${type.essence} but sent invalid JSON (${reason}). ` +
        `The operation may have succeeded; do not retry blindly. Body:\n${excerpt}`,
      true,
    );
  }
  const result: CallToolResult = { content: [{ type: 'text', text: body }] };
  if (!op.response.structured) return result;
  const wrapKey = op.response.wrapKey;
  if (wrapKey !== undefined && (Array.isArray(parsed) || parsed === null)) result.structuredContent = { [wrapKey]: parsed };
  else if (wrapKey === undefined && isPlainObject(parsed)) result.structuredContent = parsed;
  else {
    // The spec promised another JSON shape; structuredContent would break the outputSchema.
    const expected = wrapKey === undefined ? 'a JSON object' : 'a JSON array';
    return text(`${statusLine(res)}: the upstream sent JSON that is not ${expected} as its spec declares. Body:\n${body}`, true);
  }
  return result;
}
