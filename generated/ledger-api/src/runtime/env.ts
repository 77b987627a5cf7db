// Reading settings from the environment: blank counts as unset, and a number out of range
// stops the start rather than being replaced by a default the operator did not choose.

/** The value trimmed, or undefined when it is unset or blank. */
export function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

export interface IntegerRange {
  readonly min: number;
  readonly max: number;
  /** What the number counts, shown in the error (e.g. "milliseconds"). */
  readonly unit?: string;
}

/** setTimeout fires at once for any delay above this (it is stored as a signed 32-bit integer). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Ranges shared by the runtime's settings. */
export const TIMEOUT_RANGE: IntegerRange = { min: 1, max: MAX_TIMER_MS, unit: 'milliseconds' };
export const BYTE_LIMIT_RANGE: IntegerRange = { min: 1, max: Number.MAX_SAFE_INTEGER, unit: 'bytes' };

/**
 * The integer in `env[name]`, `fallback` when unset or blank. Anything else that is not plain
 * decimal digits within the range throws an error naming the variable, the value and the range.
 */
export function integerFromEnv(env: Record<string, string | undefined>, name: string, fallback: number, range: IntegerRange): number {
  const raw = env[name];
  const text = nonEmpty(raw);
  if (text === undefined) return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    const unit = range.unit === undefined ? '' : ` (${range.unit})`;
    throw new Error(`${name} must be an integer between ${range.min} and ${range.max}${unit}, got ${JSON.stringify(raw ?? '')}`);
  }
  return value;
}
