// Per-message notes on stderr (a rejected line, an SDK complaint), rate-limited: a client
// that floods the server with garbage must not be able to fill the disk behind stderr.

export interface StderrNotesOptions {
  /** Notes written per interval before the rest are counted instead. */
  readonly perInterval?: number;
  readonly intervalMs?: number;
  readonly write?: (line: string) => void;
  /** Longest note written; the rest of a note is cut (a note may quote hostile input). */
  readonly maxNoteChars?: number;
}

export interface StderrNotes {
  note(text: string): void;
  /** Writes the count of suppressed notes now (before the process exits). */
  flush(): void;
}

export function rateLimitedNotes(options: StderrNotesOptions = {}): StderrNotes {
  const perInterval = options.perInterval ?? 20;
  const intervalMs = options.intervalMs ?? 10_000;
  const maxNoteChars = options.maxNoteChars ?? 500;
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  let windowStart = Number.NEGATIVE_INFINITY;
  let written = 0;
  let suppressed = 0;
  let flushTimer: NodeJS.Timeout | undefined;

  const flushSuppressed = (): void => {
    flushTimer = undefined;
    if (suppressed === 0) return;
    write(`suppressed ${suppressed} similar notes in the last ${Math.round(intervalMs / 1_000)} s\n`);
    suppressed = 0;
  };

  const note = (text: string): void => {
    const now = Date.now();
    if (now - windowStart >= intervalMs) {
      if (flushTimer !== undefined) clearTimeout(flushTimer);
      flushSuppressed();
      windowStart = now;
      written = 0;
    }
    if (written < perInterval) {
      written += 1;
      const line = text.length > maxNoteChars ? `${text.slice(0, maxNoteChars)}…` : text;
      write(`${line.replace(/[\r\n]+/g, ' ')}\n`);
      return;
    }
    suppressed += 1;
    // The count is written when the window ends even if no further note comes.
    if (flushTimer === undefined) flushTimer = setTimeout(flushSuppressed, windowStart + intervalMs - now).unref();
  };
  const flush = (): void => {
    if (flushTimer !== undefined) clearTimeout(flushTimer);
    flushSuppressed();
  };
  return { note, flush };
}
