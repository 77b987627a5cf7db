// Secrets never leave the process. Every configured credential value is known at start-up;
// whatever the server emits (results, errors, notifications, log lines, stderr) passes
// through one Redactor, so an upstream that echoes request headers, or a Node error that
// quotes a URL, cannot carry a credential to the model or to a log.

import { Buffer } from 'node:buffer';
import type { ApiDef } from '../types.js';

export const REDACTED = '***';

/**
 * Shorter values cannot be redacted without shredding ordinary text (a one-character
 * "secret" would replace every occurrence of that character); they are reported at start.
 */
export const MIN_REDACTED_LENGTH = 4;

/** Variables of the runtime itself that hold secrets (inbound auth's introspection client). */
const RUNTIME_SECRET_VARIABLES = ['MCP_AUTH_CLIENT_SECRET'];

export interface Redactor {
  /** False when there is nothing to redact: callers skip the work. */
  readonly active: boolean;
  text(text: string): string;
  /** A copy of a JSON-like value with every string redacted (the value itself when nothing matched). */
  value<T>(value: T): T;
  /**
   * Adds a secret learnt while running (an access token the server fetched), in every
   * spelling. The last MAX_LEARNT_SECRETS are kept: older tokens have expired long before.
   */
  learn(secret: string): void;
}

/** Learnt secrets kept per redactor (each token fetched adds one; a token lives minutes to hours). */
export const MAX_LEARNT_SECRETS = 256;

export interface SecretInventory {
  readonly values: readonly string[];
  /** Variables whose value is set but too short to redact (names only, never values). */
  readonly tooShort: readonly string[];
}

/** The secret values configured for this API: scheme credentials, base-URL query values, runtime secrets. */
export function secretInventory(api: ApiDef, env: Record<string, string | undefined>): SecretInventory {
  const found = new Map<string, string>();
  const quiet = new Set<string>();
  const add = (variable: string, value: string | undefined, warnIfShort = true): void => {
    if (value === undefined || value === '') return;
    found.set(value, variable);
    if (!warnIfShort) quiet.add(value);
  };
  for (const scheme of Object.values(api.securitySchemes)) {
    if (scheme.type === 'bearer' && scheme.clientCredentials !== undefined) add(scheme.clientCredentials.clientSecretEnv, env[scheme.clientCredentials.clientSecretEnv]);
    if (scheme.type === 'basic') {
      const user = env[scheme.usernameEnv];
      const password = env[scheme.passwordEnv];
      add(scheme.passwordEnv, password);
      if (user !== undefined && user !== '') add(scheme.passwordEnv, Buffer.from(`${user}:${password ?? ''}`, 'utf8').toString('base64'));
    } else {
      add(scheme.env, env[scheme.env]);
    }
  }
  for (const name of RUNTIME_SECRET_VARIABLES) add(name, env[name]);
  const base = env[api.baseUrlEnv];
  if (base !== undefined) {
    try {
      // Any of these may be a key; short ones (v=2) are ordinary settings, redacted in display URLs only.
      for (const value of new URL(base).searchParams.values()) add(api.baseUrlEnv, value, false);
    } catch {
      // An invalid base URL is reported where it is used.
    }
  }
  const values: string[] = [];
  const tooShort = new Set<string>();
  for (const [value, variable] of found) {
    if (value.length < MIN_REDACTED_LENGTH) {
      if (!quiet.has(value)) tooShort.add(variable);
      continue;
    }
    values.push(...spellings(value));
  }
  return { values, tooShort: [...tooShort].sort() };
}

/** A value as it is written plainly, in URLs and in JSON text. */
function spellings(value: string): string[] {
  const all = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]);
  return [...all];
}

export function createRedactor(secrets: readonly string[]): Redactor {
  const fixed = [...new Set(secrets)].filter((s) => s !== '');
  const learnt: string[] = [];
  // Longest first, so a secret that contains another is replaced whole.
  let ordered = [...fixed].sort((a, b) => b.length - a.length);
  const text = (input: string): string => {
    let out = input;
    for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  };
  return {
    get active() {
      return ordered.length > 0;
    },
    text: (input) => (ordered.length === 0 ? input : text(input)),
    value: <T>(input: T): T => (ordered.length === 0 ? input : (redactValue(input, text) as T)),
    learn(secret: string): void {
      if (secret.length < MIN_REDACTED_LENGTH || learnt.includes(secret)) return;
      learnt.push(secret);
      if (learnt.length > MAX_LEARNT_SECRETS) learnt.shift();
      ordered = [...new Set([...fixed, ...learnt.flatMap(spellings)])].sort((a, b) => b.length - a.length);
    },
  };
}

function redactValue(input: unknown, text: (s: string) => string): unknown {
  if (typeof input === 'string') return text(input);
  if (Array.isArray(input)) {
    let changed = false;
    const out = input.map((item) => {
      const next = redactValue(item, text);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? out : input;
  }
  if (input !== null && typeof input === 'object' && (Object.getPrototypeOf(input) === Object.prototype || Object.getPrototypeOf(input) === null)) {
    let out: Record<string, unknown> | undefined;
    for (const key of Object.keys(input)) {
      const item = (input as Record<string, unknown>)[key];
      const next = redactValue(item, text);
      if (next === item) continue;
      out ??= { ...(input as Record<string, unknown>) };
      // defineProperty: a key named __proto__ stays data.
      Object.defineProperty(out, key, { value: next, enumerable: true, writable: true, configurable: true });
    }
    return out ?? input;
  }
  return input;
}

/**
 * Routes everything written to stderr (ours, the SDK's, Node's own warnings) through the
 * redactor. Installed once per process; a later server factory with more secrets adds them.
 */
let stderrRedactor: Redactor | undefined;
const guardedSecrets: string[] = [];
export function guardStderr(secrets: readonly string[]): void {
  if (secrets.length === 0) return;
  guardedSecrets.push(...secrets);
  const installed = stderrRedactor !== undefined;
  stderrRedactor = createRedactor(guardedSecrets);
  for (const secret of stderrLearnt) stderrRedactor.learn(secret);
  if (!installed) installStderrHook();
}

function installStderrHook(): void {
  const write = process.stderr.write.bind(process.stderr) as (chunk: unknown, ...rest: unknown[]) => boolean;
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
    const redactor = stderrRedactor!;
    if (typeof chunk === 'string') return write(redactor.text(chunk), ...rest);
    if (chunk instanceof Uint8Array) return write(redactor.text(Buffer.from(chunk).toString('utf8')), ...rest);
    return write(chunk, ...rest);
  }) as typeof process.stderr.write;
}

/** Secrets learnt while running, kept (bounded) for a redactor rebuilt by a later guardStderr. */
let stderrLearnt: string[] = [];

/** Adds a secret learnt while running (an access token) to what stderr redacts. */
export function guardStderrLearnt(secret: string): void {
  stderrLearnt = [...stderrLearnt.filter((s) => s !== secret), secret].slice(-MAX_LEARNT_SECRETS);
  if (stderrRedactor === undefined) {
    stderrRedactor = createRedactor(guardedSecrets);
    installStderrHook();
  }
  stderrRedactor.learn(secret);
}

/** Wraps a request handler so its result and any error it throws are redacted. */
export function redacting<A extends unknown[], R>(redactor: Redactor, handler: (...args: A) => R | Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A): Promise<R> => {
    try {
      return redactor.value(await handler(...args));
    } catch (error) {
      if (error instanceof Error) {
        error.message = redactor.text(error.message);
        const withData = error as Error & { data?: unknown };
        if (withData.data !== undefined) withData.data = redactor.value(withData.data);
      }
      throw error;
    }
  };
}
