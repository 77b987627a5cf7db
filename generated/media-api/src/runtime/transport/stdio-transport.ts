// The stdio wire: newline-delimited JSON-RPC on stdin/stdout. Replaces the SDK's
// StdioServerTransport, which closes the connection (and lets the process exit 0) on the
// first line over its buffer limit and drops malformed lines without an answer. Here each
// line is bounded on its own, an oversized one is skipped (answered when its id can be
// read from its start), a malformed one is answered as HTTP answers it, and serving goes on.

import type { Readable, Writable } from 'node:stream';
import { serializeMessage, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/server';
import { checkLine, INVALID_REQUEST, leadingId, type AnswerId } from './jsonrpc-envelope.js';

/** Bytes kept from the start of an oversized line to look for its id. */
const OVERSIZED_HEAD_BYTES = 64 * 1024;

export interface BoundedStdioOptions {
  readonly maxMessageBytes: number;
  /** Writes a (rate-limited) note about rejected input on stderr. */
  readonly note: (text: string) => void;
  /** After stdin ends, how long answers still in flight may take before the connection closes. */
  readonly drainMs: number;
  /** Called once the transport has closed; `failure` is set when the wire broke (stdout or stdin error). */
  readonly onClosed: (failure: Error | undefined) => void;
}

export class BoundedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private line: Buffer[] = [];
  private lineBytes = 0;
  /** Set while the rest of an oversized line is being skipped. */
  private oversized: { head: Buffer; bytes: number } | undefined;
  /** Request ids handed to the SDK and not answered yet (with a count: a client may reuse an id). */
  private readonly unanswered = new Map<string | number, number>();
  private stdinEnded = false;
  private drainTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private failure: Error | undefined;
  private drained: Promise<void> | undefined;

  constructor(
    private readonly stdin: Readable,
    private readonly stdout: Writable,
    private readonly options: BoundedStdioOptions,
  ) {}

  async start(): Promise<void> {
    this.stdin.on('data', this.onData);
    this.stdin.on('end', this.onEnd);
    this.stdin.on('close', this.onEnd);
    this.stdin.on('error', this.onBroken);
    this.stdout.on('error', this.onBroken);
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the stdio transport is closed'));
    if ('id' in message && ('result' in message || 'error' in message)) this.settle(message.id);
    return this.write(serializeMessage(message));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.drainTimer !== undefined) clearTimeout(this.drainTimer);
    this.stdin.off('data', this.onData);
    this.stdin.off('end', this.onEnd);
    this.stdin.off('close', this.onEnd);
    this.stdin.pause();
    this.line = [];
    this.oversized = undefined;
    this.onclose?.();
    this.options.onClosed(this.failure);
  }

  private readonly onData = (chunk: Buffer): void => {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(10, start);
      this.take(chunk.subarray(start, newline === -1 ? chunk.length : newline));
      if (newline === -1) return;
      this.endLine();
      start = newline + 1;
    }
  };

  private readonly onEnd = (): void => {
    if (this.stdinEnded) return;
    // A last line without its newline is still a message.
    if (this.lineBytes > 0 || this.oversized !== undefined) this.endLine();
    this.stdinEnded = true;
    this.closeWhenAnswered();
  };

  private readonly onBroken = (error: Error): void => {
    this.failure ??= error;
    void this.close();
  };

  private take(part: Buffer): void {
    if (part.length === 0) return;
    if (this.oversized !== undefined) {
      this.oversized.bytes += part.length;
      return;
    }
    if (this.lineBytes + part.length <= this.options.maxMessageBytes) {
      this.line.push(part);
      this.lineBytes += part.length;
      return;
    }
    // concat with a length copies only the head (and lets the buffered chunks go).
    const bytes = this.lineBytes + part.length;
    this.oversized = { head: Buffer.concat([...this.line, part], Math.min(OVERSIZED_HEAD_BYTES, bytes)), bytes };
    this.line = [];
    this.lineBytes = 0;
  }

  private endLine(): void {
    if (this.oversized !== undefined) {
      const { head, bytes } = this.oversized;
      this.oversized = undefined;
      return this.rejectOversized(head, bytes);
    }
    let line = this.line.length === 1 ? this.line[0]! : Buffer.concat(this.line, this.lineBytes);
    this.line = [];
    this.lineBytes = 0;
    if (line.at(-1) === 13) line = line.subarray(0, -1);
    if (line.every((byte) => byte === 32 || byte === 9 || byte === 13)) return;
    const verdict = checkLine(line);
    if (verdict.kind === 'message') {
      const { message } = verdict;
      if ('method' in message && 'id' in message) this.unanswered.set(message.id, (this.unanswered.get(message.id) ?? 0) + 1);
      // A cancelled request is not answered (MCP): it must not hold up the exit at end of stdin.
      else if ('method' in message && message.method === 'notifications/cancelled') this.settle(cancelledId(message.params));
      this.onmessage?.(message);
    } else if (verdict.kind === 'answer') {
      this.options.note(`Rejected a message (${verdict.code} ${verdict.message})`);
      this.answerError(verdict.id, verdict.code, verdict.message);
    } else {
      this.options.note(`Dropped a message: ${verdict.reason}`);
    }
  }

  private rejectOversized(head: Buffer, bytes: number): void {
    const id = leadingId(head.toString('utf8'));
    const limit = `the ${this.options.maxMessageBytes}-byte limit (MCPGEN_STDIO_MAX_MESSAGE_BYTES)`;
    if (id === undefined) {
      this.options.note(`Skipped a ${bytes}-byte message over ${limit}; no id in its first bytes, so it was not answered`);
      return;
    }
    this.options.note(`Skipped a ${bytes}-byte message over ${limit}; answered id ${JSON.stringify(id)} with an error`);
    this.answerError(id, INVALID_REQUEST, `Invalid Request: the message is ${bytes} bytes, over ${limit}`);
  }

  private answerError(id: AnswerId, code: number, message: string): void {
    if (this.closed) return;
    this.write(serializeMessage({ jsonrpc: '2.0', id, error: { code, message } } as JSONRPCMessage)).catch(() => undefined);
  }

  private write(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      // Backpressure: writers wait for the pipe to drain (on one shared listener); a broken pipe ends serving (onBroken).
      const ok = this.stdout.write(text, (error) => (error ? reject(error) : undefined));
      if (ok) return resolve();
      this.drained ??= new Promise<void>((drained) =>
        this.stdout.once('drain', () => {
          this.drained = undefined;
          drained();
        }),
      );
      void this.drained.then(resolve);
    });
  }

  private settle(id: AnswerId | undefined): void {
    if (id === null || id === undefined) return;
    const count = this.unanswered.get(id);
    if (count === undefined) return;
    if (count > 1) this.unanswered.set(id, count - 1);
    else this.unanswered.delete(id);
    if (this.stdinEnded) queueMicrotask(() => this.closeWhenAnswered());
  }

  /** After stdin ends: closes once every request is answered, or after drainMs at the latest. */
  private closeWhenAnswered(): void {
    if (this.closed) return;
    if (this.unanswered.size === 0) {
      void this.close();
      return;
    }
    this.drainTimer ??= setTimeout(() => {
      this.options.note(`stdin ended; closing with ${this.unanswered.size} request(s) still unanswered after ${this.options.drainMs} ms`);
      void this.close();
    }, this.options.drainMs);
  }
}

function cancelledId(params: unknown): AnswerId | undefined {
  const id = (params as { requestId?: unknown } | undefined)?.requestId;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}
