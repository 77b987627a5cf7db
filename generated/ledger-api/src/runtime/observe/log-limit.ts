// Anyone who can reach the HTTP port can make the server refuse requests, and each refusal
// is worth a line on stderr for the operator; unbounded, a flood of them fills the disk or
// the log pipeline. So lines go through a budget per time window, and what is held back is
// counted in one line when the window ends.

export interface LineLimit {
  /** Lines written per window before the rest are only counted. */
  readonly lines: number;
  readonly windowMs: number;
}

export const REJECTION_LOG_LIMIT: LineLimit = { lines: 20, windowMs: 10_000 };

/** Longest line written; request-derived text (a Host header) can be kilobytes long. */
const MAX_LINE_CHARS = 300;

export type LineWriter = (line: string) => void;

/** A rate-limited writer; `flush` writes the count of suppressed lines now (before the process exits). */
export type LimitedLineWriter = LineWriter & { readonly flush: () => void };

/**
 * A writer that passes at most `limit.lines` lines per `limit.windowMs`, then writes one line
 * saying how many it suppressed when that window ends (from an unref'd timer, so a quiet
 * server still reports the end of a flood and a finished process is not kept alive).
 */
export function rateLimitedLines(write: LineWriter, limit: LineLimit = REJECTION_LOG_LIMIT, now: () => number = Date.now): LimitedLineWriter {
  let windowStart = -Infinity;
  let written = 0;
  let suppressed = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const closeWindow = (): void => {
    timer = undefined;
    if (suppressed > 0) write(`${suppressed} more similar line(s) suppressed in the last ${Math.round(limit.windowMs / 1000)} s`);
    windowStart = now();
    written = 0;
    suppressed = 0;
  };
  const writer = (line: string): void => {
    if (timer === undefined && now() - windowStart >= limit.windowMs) closeWindow();
    if (written < limit.lines) {
      written++;
      write(boundedLine(line));
      return;
    }
    suppressed++;
    if (timer === undefined) {
      timer = setTimeout(closeWindow, Math.max(0, windowStart + limit.windowMs - now()));
      timer.unref();
    }
  };
  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    closeWindow();
  };
  return Object.assign(writer, { flush });
}

/** One line: control characters (a forged newline would fake a log entry) escaped, length capped. */
function boundedLine(line: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = line.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return flat.length <= MAX_LINE_CHARS ? flat : `${flat.slice(0, MAX_LINE_CHARS)}… (${flat.length - MAX_LINE_CHARS} more chars)`;
}

/** stderr, one line per call, through the rejection budget (HTTP refusals, rejected stdio lines). */
export function rejectionLog(): LimitedLineWriter {
  return rateLimitedLines((line) => {
    process.stderr.write(`${line}\n`);
  });
}
