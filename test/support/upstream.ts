// A real HTTP fake of both fixture APIs (specs/ledger-api.yaml, specs/media-api.json).
// It listens on 127.0.0.1 (ephemeral port), records every request exactly as received
// and answers with deterministic canned responses. Nothing here knows about MCP.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';

/** Base path of the ledger API on the fake (set `LEDGER_API_BASE_URL` to `url + LEDGER_BASE_PATH`). */
export const LEDGER_BASE_PATH = '/ledger/v1';
/** Base path of the media API on the fake (set `MEDIA_API_BASE_URL` to `url + MEDIA_BASE_PATH`). */
export const MEDIA_BASE_PATH = '/media/api';

export interface RecordedRequest {
  readonly method: string;
  /** Path exactly as received on the wire (still percent-encoded), without the query string. */
  readonly path: string;
  /** Raw query string without the leading `?` ('' when absent). */
  readonly rawQuery: string;
  /** Query decoded with URLSearchParams, as ordered [name, value] pairs. */
  readonly query: ReadonlyArray<readonly [string, string]>;
  /** Request headers, names lower-cased (Node's joining rules for repeated headers). */
  readonly headers: Readonly<Record<string, string>>;
  /** Raw request body as UTF-8 text ('' when none). */
  readonly body: string;
}

export interface Upstream {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Canned data (exported so tests can assert against exactly what was served).
// ---------------------------------------------------------------------------

function crc32(buf: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buf) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([len, typeAndData, crc]);
}

/** Builds a valid RGB PNG of `size`×`size` pixels filled with one colour. */
function solidPng(size: number, rgb: readonly [number, number, number]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  ihdr[10] = 0; // compression
  ihdr[11] = 0; // filter
  ihdr[12] = 0; // interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The balance chart served by the ledger fake (2×2 green). */
export const LEDGER_CHART_PNG: Buffer = solidPng(2, [0x2e, 0x8b, 0x57]);
/** The thumbnail served by the media fake (1×1 orange). */
export const MEDIA_THUMBNAIL_PNG: Buffer = solidPng(1, [0xff, 0x8c, 0x00]);

export const LEDGER_HEALTH = { status: 'ok', version: '1.4.0' };

export const LEDGER_ACCOUNTS = [
  { id: 'acc_1', name: 'Cash', currency: 'EUR', type: 'asset', balance: 125000, status: 'open', tags: ['ops'] },
  { id: 'acc_2', name: 'Payables', currency: 'EUR', type: 'liability', balance: -4000, status: 'open', tags: [] },
];

export function ledgerAccount(id: string) {
  return {
    id,
    name: 'Cash',
    currency: 'EUR',
    type: 'asset',
    balance: 125000,
    status: 'open',
    owner: { name: 'Ada Lovelace', email: 'ada@example.com' },
    tags: ['ops'],
  };
}

export const LEDGER_TRANSACTION_PAGE = {
  data: [
    { id: 'tx_2', amount: -2500, bookedOn: '2024-03-02', memo: 'Coffee beans' },
    { id: 'tx_1', amount: 10000, bookedOn: '2024-03-01' },
  ],
  nextCursor: null,
};

export const LEDGER_CSV = 'id,bookedOn,amount,memo\r\ntx_1,2024-03-01,10000,\r\ntx_2,2024-03-02,-2500,"Coffee beans"\r\n';

export const NOT_FOUND_BODY = (what: string) => ({ code: 'not_found', message: `${what} not found` });

/** Size of the oversized 500 body served for account id `boom` (for excerpt bounding tests). */
export const BOOM_BODY_LENGTH = 200_000;
export const BOOM_BODY = 'internal failure: ' + 'x'.repeat(BOOM_BODY_LENGTH - 'internal failure: '.length);

export const MEDIA_ASSET = {
  id: 'sunset-01',
  title: 'Sunset',
  kind: 'image',
  caption: null,
  license: 'CC-BY-4.0',
  tags: ['sky', 'evening'],
  durationSeconds: null,
  schemaVersion: 2,
};

export const MEDIA_ASSET_PAGE = {
  items: [MEDIA_ASSET, { id: 'waves-02', title: 'Waves', kind: 'audio', caption: 'Recorded at dawn', durationSeconds: 61.5, schemaVersion: 2 }],
  next: null,
};

export const MEDIA_STATS = { assets: 42, bytes: 1048576, byKind: { image: 30, video: 2, audio: 10 } };

export const MEDIA_NOTES = '# Sunset\n\n- shot on **film**\n- license: CC-BY-4.0\n';

export const MEDIA_PROBLEM_404 = { type: 'about:blank', title: 'Not Found', status: 404, detail: 'asset missing does not exist' };

// ---------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------

type Reply = { status: number; headers?: Record<string, string>; body?: string | Buffer };

const json = (status: number, value: unknown, indent?: number): Reply => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value, null, indent),
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function ledgerRoute(method: string, segs: string[], body: string): Reply | undefined {
  const [a, b, c] = segs;
  const n = segs.length;
  if (method === 'GET' && n === 1 && a === 'health') return json(200, LEDGER_HEALTH);
  if (n === 1 && a === 'accounts') {
    if (method === 'GET') return json(200, LEDGER_ACCOUNTS);
    if (method === 'POST') {
      const input = parseJson(body);
      return json(201, { id: 'acc_new', balance: 0, status: 'open', ...(isRecord(input) ? input : {}) });
    }
  }
  if (a === 'accounts' && b !== undefined) {
    const id = b; // decoded
    if (id === 'missing') return json(404, NOT_FOUND_BODY('account missing'));
    if (id === 'boom') return { status: 500, headers: { 'content-type': 'text/plain' }, body: BOOM_BODY };
    if (n === 2) {
      // Pretty-printed on purpose: the tool result must carry the JSON text as received.
      if (method === 'GET') return json(200, ledgerAccount(id), 2);
      if (method === 'PUT' || method === 'PATCH') {
        const input = parseJson(body);
        return json(200, { ...ledgerAccount(id), ...(isRecord(input) ? input : {}) });
      }
      if (method === 'DELETE') return { status: 204 };
    }
    if (n === 3 && method === 'GET') {
      if (c === 'transactions') return json(200, LEDGER_TRANSACTION_PAGE);
      if (c === 'export') return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: LEDGER_CSV };
      if (c === 'chart') return { status: 200, headers: { 'content-type': 'image/png' }, body: LEDGER_CHART_PNG };
    }
  }
  if (method === 'GET' && n === 3 && a === 'transactions' && c === 'links') {
    return json(200, { transactionId: b, links: [{ id: 'tx_9', kind: 'refund' }] });
  }
  if (method === 'POST' && n === 1 && a === 'journal-entries') {
    const input = parseJson(body);
    const lines = isRecord(input) && Array.isArray(input.lines) ? (input.lines as unknown[]) : [];
    let debit = 0;
    let credit = 0;
    for (const line of lines) {
      if (!isRecord(line) || typeof line.amount !== 'number') continue;
      if (line.side === 'debit') debit += line.amount;
      if (line.side === 'credit') credit += line.amount;
    }
    if (debit !== credit) {
      return json(422, {
        code: 'unbalanced',
        message: `debits (${debit}) must equal credits (${credit})`,
        errors: [{ field: 'lines', problem: 'unbalanced' }],
      });
    }
    return json(201, { id: 'je_1', ...(isRecord(input) ? input : {}) });
  }
  return undefined;
}

function mediaRoute(method: string, segs: string[], body: string): Reply | undefined {
  const [a, b, c] = segs;
  const n = segs.length;
  if (method === 'GET' && n === 1 && a === 'stats') return json(200, MEDIA_STATS);
  if (n === 1 && a === 'assets') {
    if (method === 'GET') return json(200, MEDIA_ASSET_PAGE);
    if (method === 'POST') {
      const input = parseJson(body);
      return json(201, { id: 'asset-new', caption: null, schemaVersion: 2, ...(isRecord(input) ? input : {}) });
    }
  }
  if (a === 'assets' && b !== undefined) {
    if (b === 'missing') return json(404, MEDIA_PROBLEM_404);
    if (n === 2 && method === 'GET') return json(200, { ...MEDIA_ASSET, id: b });
    if (n === 2 && method === 'DELETE') return { status: 204 };
    if (n === 3 && method === 'GET' && c === 'thumbnail') {
      return { status: 200, headers: { 'content-type': 'image/png' }, body: MEDIA_THUMBNAIL_PNG };
    }
    if (n === 3 && method === 'GET' && c === 'notes') {
      return { status: 200, headers: { 'content-type': 'text/markdown; charset=utf-8' }, body: MEDIA_NOTES };
    }
  }
  return undefined;
}

function route(method: string, path: string, body: string): Reply {
  for (const [base, handler] of [
    [LEDGER_BASE_PATH, ledgerRoute],
    [MEDIA_BASE_PATH, mediaRoute],
  ] as const) {
    if (path !== base && !path.startsWith(base + '/')) continue;
    let segs: string[];
    try {
      segs = path.slice(base.length).split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
    } catch {
      return json(400, { code: 'bad_path', message: 'undecodable path' });
    }
    const reply = handler(method, segs, body);
    if (reply) return reply;
  }
  return json(404, { code: 'no_route', message: `no route for ${method} ${path}` });
}

function collectBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startUpstream(): Promise<Upstream> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const body = await collectBody(req);
      const rawUrl = req.url ?? '/';
      const q = rawUrl.indexOf('?');
      const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
      const rawQuery = q === -1 ? '' : rawUrl.slice(q + 1);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      const method = req.method ?? 'GET';
      requests.push({
        method,
        path,
        rawQuery,
        query: [...new URLSearchParams(rawQuery)].map(([k, v]) => [k, v] as const),
        headers,
        body,
      });
      const reply = route(method, path, body);
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(method === 'HEAD' ? undefined : reply.body);
    })().catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake upstream failure: ${String(err)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reset() {
      requests.length = 0;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
