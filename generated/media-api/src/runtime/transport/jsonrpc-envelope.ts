// The JSON-RPC 2.0 envelope, checked before a message reaches the SDK. The SDK's stdio
// reader drops a line that does not match its message schema without answering it; a
// client then waits forever for that id. Here every such line gets the error answer the
// HTTP transport gives for the same body (-32700 unparsable, -32600 malformed envelope).

import { isJSONRPCErrorResponse, isJSONRPCNotification, isJSONRPCRequest, isJSONRPCResultResponse, type JSONRPCMessage } from '@modelcontextprotocol/server';

export const PARSE_ERROR = -32_700;
export const INVALID_REQUEST = -32_600;

/** What an answer may echo as its id: JSON-RPC ids the client can match (null when unreadable). */
export type AnswerId = string | number | null;

export type EnvelopeVerdict =
  | { readonly kind: 'message'; readonly message: JSONRPCMessage }
  /** Answer `error` with `id` (requests, and anything that cannot be told apart from one). */
  | { readonly kind: 'answer'; readonly id: AnswerId; readonly code: number; readonly message: string }
  /** Nothing to answer (a notification or a response): report it and move on. */
  | { readonly kind: 'drop'; readonly reason: string };

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Checks one line of input (without its newline): bytes → UTF-8 → JSON → envelope. */
export function checkLine(line: Uint8Array): EnvelopeVerdict {
  let value: unknown;
  try {
    value = JSON.parse(fatalUtf8.decode(line));
  } catch (error) {
    const why = error instanceof SyntaxError ? 'invalid JSON' : 'invalid UTF-8';
    return { kind: 'answer', id: null, code: PARSE_ERROR, message: `Parse error: ${why}` };
  }
  return checkEnvelope(value);
}

export function checkEnvelope(value: unknown): EnvelopeVerdict {
  if (Array.isArray(value)) {
    // MCP dropped JSON-RPC batching (2025-06-18); the stdio binding is one message per line.
    return invalid(null, 'JSON-RPC batches are not supported: send one message per line');
  }
  if (value === null || typeof value !== 'object') return invalid(null, 'a JSON-RPC message must be a JSON object');
  const message = value as Record<string, unknown>;
  const hasId = Object.hasOwn(message, 'id');
  const id = answerId(message['id']);
  const isCall = Object.hasOwn(message, 'method');
  // A message without an id and with a method is a notification: never answered.
  const answer = (reason: string): EnvelopeVerdict => (isCall && !hasId ? { kind: 'drop', reason } : invalid(id, reason));

  if (message['jsonrpc'] !== '2.0') return answer('"jsonrpc" must be "2.0"');
  if (hasId && !isRequestId(message['id'])) return invalid(id, '"id" must be a string or an integer');
  if (isCall) {
    if (typeof message['method'] !== 'string') return answer('"method" must be a string');
    const params = message['params'];
    if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) return answer('"params" must be an object');
    if (isJSONRPCRequest(value) || isJSONRPCNotification(value)) return { kind: 'message', message: value };
    return answer('not a valid JSON-RPC request');
  }
  if (isJSONRPCResultResponse(value) || isJSONRPCErrorResponse(value)) return { kind: 'message', message: value };
  if (!hasId) return { kind: 'drop', reason: 'neither a request, a notification nor a response' };
  return invalid(id, 'a request needs a "method"');
}

function invalid(id: AnswerId, reason: string): EnvelopeVerdict {
  return { kind: 'answer', id, code: INVALID_REQUEST, message: `Invalid Request: ${reason}` };
}

function isRequestId(value: unknown): value is string | number {
  return typeof value === 'string' || Number.isSafeInteger(value);
}

/** An id the client could match an answer to; JSON-RPC answers null when it cannot be read. */
function answerId(value: unknown): AnswerId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? value : null;
}

/**
 * The top-level "id" of a JSON object whose text is cut off (the start of an oversized
 * message), or undefined when it is not within `head`. Scans only depth 1, so an "id"
 * inside params is not mistaken for the request's.
 */
export function leadingId(head: string): string | number | undefined {
  let depth = 0;
  let i = 0;
  while (i < head.length) {
    const c = head[i]!;
    if (c === '"') {
      const end = stringEnd(head, i);
      if (end === -1) return undefined;
      if (depth === 1) {
        const after = /^\s*:\s*/.exec(head.slice(end + 1, end + 65));
        if (after !== null && head.slice(i, end + 1) === '"id"') return idValue(head.slice(end + 1 + after[0].length, end + 1 + after[0].length + 1_024));
      }
      i = end + 1;
      continue;
    }
    if (c === '{' || c === '[') depth += 1;
    else if (c === '}' || c === ']') depth -= 1;
    i += 1;
  }
  return undefined;
}

/** Index of the quote closing the string that opens at `start`, or -1 when cut off. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i;
  }
  return -1;
}

function idValue(text: string): string | number | undefined {
  const literal = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|"(?:[^"\\]|\\.)*")\s*[,}]/.exec(text)?.[1];
  if (literal === undefined) return undefined;
  const value = JSON.parse(literal) as unknown;
  return isRequestId(value) ? value : undefined;
}
