// Seeded JSON-RPC fuzz input: mutations of valid MCP requests and notifications, as raw
// bytes (one message per line), plus the oracle that says which answers each line calls for.
// Deterministic: the same seed and count give the same bytes.

export const MODERN_VERSION = '2026-07-28';

/** One fuzz message: its bytes (no newline) and, for HTTP, the method its headers name. */
export interface FuzzMessage {
  readonly bytes: Buffer;
  /** The method of the message before mutation (for the Mcp-Method header). */
  readonly method: string;
  /** params.name of a tools/call or prompts/get before mutation (for the Mcp-Name header). */
  readonly name?: string;
  readonly mutation: string;
}

/** mulberry32: small, fast, good enough to spread mutations; seeded for reproducible runs. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Call = { method: string; params?: { [key: string]: Json } };

/** Valid calls on the ledger-api example (tools, resources, prompts, completions). */
const REQUESTS: readonly Call[] = [
  { method: 'ping' },
  { method: 'tools/list' },
  { method: 'tools/list', params: { cursor: '0' } },
  { method: 'tools/call', params: { name: 'get_health', arguments: {} } },
  { method: 'tools/call', params: { name: 'get_account', arguments: { accountId: 'acc_1' } } },
  { method: 'tools/call', params: { name: 'list_accounts', arguments: { limit: 2 } } },
  { method: 'tools/call', params: { name: 'no_such_tool', arguments: {} } },
  { method: 'resources/list' },
  { method: 'resources/templates/list' },
  { method: 'resources/read', params: { uri: 'ledger://accounts' } },
  { method: 'prompts/list' },
  { method: 'completion/complete', params: { ref: { type: 'ref/resource', uri: 'ledger://accounts/{accountId}' }, argument: { name: 'accountId', value: 'a' } } },
  { method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fuzz', version: '0' } } },
  { method: 'server/discover' },
  { method: 'no/such/method' },
];

/** Notifications; a cancellation names an id no request ever uses (a real one suppresses its answer). */
const NOTIFICATIONS: readonly Call[] = [
  { method: 'notifications/initialized' },
  { method: 'notifications/cancelled', params: { requestId: 'never-sent', reason: 'fuzz' } },
  { method: 'notifications/roots/list_changed' },
  { method: 'notifications/no-such-notification', params: { x: 1 } },
];

const WRONG_VALUES: readonly Json[] = [null, true, false, 0, -1, 1.5, 'x', '', [], [1, 'a'], {}, { a: { b: [] } }, '\u2028', '\u0000', '😀'];

export interface FuzzOptions {
  readonly seed: number;
  readonly count: number;
  /** Huge strings are sized around this (the server's message limit) so some cross it. */
  readonly maxMessageBytes: number;
  /** Adds the 2026-07-28 per-request envelope to params (HTTP modern era). */
  readonly modernEnvelope?: boolean;
}

/** `count` fuzz messages; request ids are unique except where a mutation reuses one on purpose. */
export function fuzzMessages(options: FuzzOptions): FuzzMessage[] {
  const random = prng(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const messages: FuzzMessage[] = [];
  let lastId: Json = 1_000_000;
  for (let n = 0; n < options.count; n += 1) {
    // Ids well away from anything a notification names; strings and numbers alternate.
    const id: Json = n % 2 === 0 ? 1_000_000 + n : `fuzz-${n}`;
    const isNotification = random() < 0.15;
    const base = isNotification ? pick(NOTIFICATIONS) : pick(REQUESTS);
    const params: { [key: string]: Json } | undefined = base.params === undefined ? undefined : structuredClone(base.params);
    const envelope = options.modernEnvelope ? modernMeta() : undefined;
    const withMeta = envelope === undefined ? params : { ...(params ?? {}), _meta: envelope };
    const message: { [key: string]: Json } = { jsonrpc: '2.0', ...(isNotification ? {} : { id }), method: base.method, ...(withMeta === undefined ? {} : { params: withMeta }) };
    const mutation = random() < 0.2 ? 'none' : pick(MUTATIONS);
    const bytes = mutate(mutation, message, { random, pick, lastId, maxMessageBytes: options.maxMessageBytes });
    const name = typeof base.params?.['name'] === 'string' ? base.params['name'] : undefined;
    messages.push({ bytes, method: base.method, mutation, ...(name === undefined ? {} : { name }) });
    if (!isNotification) lastId = id;
  }
  return messages;
}

function modernMeta(): { [key: string]: Json } {
  return {
    'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
    'io.modelcontextprotocol/clientInfo': { name: 'fuzz', version: '0' },
    'io.modelcontextprotocol/clientCapabilities': {},
  };
}

const MUTATIONS = [
  'params-not-object',
  'id-wrong-type',
  'method-wrong-type',
  'method-unknown-unicode',
  'jsonrpc-wrong',
  'drop-field',
  'param-wrong-type',
  'huge-string',
  'huge-string-id-last',
  'deep-nesting',
  'unicode-strings',
  'batch',
  'duplicate-id',
  'garbage-bytes',
  'invalid-utf8',
  'extra-keys',
  'trailing-garbage',
  'truncated',
  'bom',
  'blank-line',
  'raw-number-id',
] as const;

interface MutationContext {
  readonly random: () => number;
  readonly pick: <T>(items: readonly T[]) => T;
  readonly lastId: Json;
  readonly maxMessageBytes: number;
}

function mutate(mutation: string, message: { [key: string]: Json }, ctx: MutationContext): Buffer {
  const { random, pick } = ctx;
  const text = (value: Json): Buffer => Buffer.from(JSON.stringify(value));
  const params = (): { [key: string]: Json } => {
    const current = message['params'];
    if (current !== null && typeof current === 'object' && !Array.isArray(current)) return current;
    const fresh: { [key: string]: Json } = {};
    message['params'] = fresh;
    return fresh;
  };
  switch (mutation) {
    case 'params-not-object':
      message['params'] = pick([null, 'x', 5, true, [], [1, 2], '{}']);
      return text(message);
    case 'id-wrong-type':
      message['id'] = pick([null, true, {}, [], [1], 1.5, -0.25, '']);
      return text(message);
    case 'method-wrong-type':
      message['method'] = pick([null, 5, true, {}, ['ping'], '']);
      return text(message);
    case 'method-unknown-unicode':
      message['method'] = pick(['пинг', 'tools/list\u0000', 'tools/😀', '\u2028', 'TOOLS/LIST', 'tools/list ', 'rpc.discover']);
      return text(message);
    case 'jsonrpc-wrong':
      if (random() < 0.3) delete message['jsonrpc'];
      else message['jsonrpc'] = pick(['1.0', '2', 2, null, '2.0 ', '']);
      return text(message);
    case 'drop-field':
      delete message[pick(['id', 'method', 'jsonrpc', 'params'])];
      return text(message);
    case 'param-wrong-type': {
      const target = params();
      const key = pick(['cursor', 'name', 'arguments', 'uri', 'ref', 'argument', 'level', 'protocolVersion', 'clientInfo', '_meta', 'requestId']);
      target[key] = pick(WRONG_VALUES);
      return text(message);
    }
    case 'huge-string':
    case 'huge-string-id-last': {
      // Sizes from a tenth of the limit to twice it: some cross it, some do not.
      const size = Math.floor(ctx.maxMessageBytes * (0.1 + random() * 1.9));
      params()['padding'] = 'x'.repeat(size);
      if (mutation === 'huge-string-id-last' && 'id' in message) {
        // The id after the huge field: an oversized message cannot be answered by id.
        const { id, ...rest } = message;
        return text({ ...rest, id: id! });
      }
      return text(message);
    }
    case 'deep-nesting': {
      const depth = pick([10, 100, 1_000, 10_000, 100_000]);
      const open = random() < 0.5 ? '[' : '{"a":';
      const close = open === '[' ? ']' : '}';
      const placeholder = '"__deep__"';
      const body = JSON.stringify({ ...message, params: { ...params(), arguments: '__deep__' } });
      return Buffer.from(body.replace(placeholder, open.repeat(depth) + '1' + close.repeat(depth)));
    }
    case 'unicode-strings': {
      const target = params();
      target['name'] = pick(['😀'.repeat(50), '\ud800', '\udfff\ud800', 'a\u0000b', '\u2028\u2029', '</script>', '${x}', '*/']);
      target['arguments'] = { text: pick(['ünïcödé', '\ud83d', 'ﬀ'.repeat(100), '\u202e']) };
      return text(message);
    }
    case 'batch': {
      const size = pick([0, 1, 2, 3]);
      const items: Json[] = [];
      for (let i = 0; i < size; i += 1) items.push(random() < 0.7 ? { ...message, ...('id' in message ? { id: `${String(message['id'])}-b${i}` } : {}) } : pick(WRONG_VALUES));
      return text(items);
    }
    case 'duplicate-id':
      if ('id' in message) message['id'] = ctx.lastId;
      return text(message);
    case 'garbage-bytes': {
      const length = 1 + Math.floor(random() * 200);
      const bytes = Buffer.alloc(length);
      for (let i = 0; i < length; i += 1) {
        const byte = Math.floor(random() * 256);
        bytes[i] = byte === 10 ? 32 : byte;
      }
      return bytes;
    }
    case 'invalid-utf8': {
      const json = text(message);
      const at = Math.min(json.length - 2, 1 + Math.floor(random() * (json.length - 2)));
      return Buffer.concat([json.subarray(0, at), Buffer.from([pick([0xff, 0xc3, 0xe2, 0x80, 0xf0])]), json.subarray(at)]);
    }
    case 'extra-keys':
      message[pick(['result', 'error', 'extra', '__proto__', 'constructor'])] = pick(WRONG_VALUES);
      return text(message);
    case 'trailing-garbage':
      return Buffer.concat([text(message), Buffer.from(pick(['x', '}', ',{}', ' {"jsonrpc":"2.0"}', '\u0000']))]);
    case 'truncated': {
      const json = text(message);
      return json.subarray(0, Math.floor(random() * json.length));
    }
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text(message)]);
    case 'blank-line':
      return Buffer.from(pick(['', ' ', '\t', '\r']));
    case 'raw-number-id': {
      if (!('id' in message)) return text(message);
      const json = JSON.stringify({ ...message, id: '__id__' });
      return Buffer.from(json.replace('"__id__"', pick(['1e400', '-0', '1E2', '9007199254740993', '0.0', '12345678901234567890'])));
    }
    default:
      return text(message);
  }
}

/** The id an answer carries, as a map key that keeps 1 and "1" apart. */
export function idKey(id: unknown): string {
  return `${typeof id}:${String(id)}`;
}

export interface Expectation {
  /** The id key answers must carry; null: at most one answer, with id null. */
  readonly key: string | null;
  /** true: exactly one answer with `key`; false: at most one. */
  readonly exact: boolean;
}

/**
 * What one line calls for: a JSON object with a readable id (a string or a finite number)
 * is answered with that id exactly once; anything else (unparsable, not an object, no
 * readable id, a notification) gets at most one answer, with id null. An oversized line is
 * answered only when its id comes before the huge field. A response-shaped line (result or
 * error, no method) may or may not be answered (an invalid one is an invalid request).
 */
export function expectedAnswer(bytes: Buffer, maxMessageBytes: number): Expectation {
  const none: Expectation = { key: null, exact: false };
  if (bytes.length > maxMessageBytes) {
    const match = /^\{"jsonrpc":"2\.0","id":(\d+|"[^"\\]*"),/.exec(bytes.subarray(0, 200).toString('latin1'));
    return match === null ? none : { key: idKey(JSON.parse(match[1]!)), exact: true };
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return none;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, 'id')) return none;
  const message = value as Record<string, unknown>;
  const id = message['id'];
  if (!(typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)))) return none;
  const responseShaped = !Object.hasOwn(message, 'method') && (Object.hasOwn(message, 'result') || Object.hasOwn(message, 'error'));
  return { key: idKey(id), exact: !responseShaped };
}
