// Argument validation against each tool's published inputSchema, so the upstream is
// never called with arguments the tool itself declared invalid. Arguments are first
// coerced the way non-strict models need (coerce.ts); names are data throughout (own.ts,
// and the `__proto__` escape below).

import { Ajv, addFormats } from '@modelcontextprotocol/server/validators/ajv';
import { absentWhenNull, coerceArguments } from './coerce.js';
import { escapeNames, escapeSchemaNames, unescapeName } from './escape-names.js';
import type { ToolDef } from '../types.js';

// Made on the first tool call, not at start-up (clients list tools before calling one).
// validateSchema: false — a schema stamped with a `$schema` this engine does not know
// (e.g. 2020-12) would otherwise fail to compile; unknown keywords are ignored (strict: false).
// ownProperties: a property named `constructor` or `toString` that was not given must not be
// found on Object.prototype (which made every call fail with "must be string").
type Engine = InstanceType<typeof Ajv>;
let engine: Engine | undefined;
function ajv(): Engine {
  if (engine === undefined) {
    engine = new Ajv({ allErrors: true, strict: false, validateSchema: false, ownProperties: true });
    addFormats(engine);
  }
  return engine;
}

type Validator = ReturnType<Engine['compile']>;
type AjvError = NonNullable<Validator['errors']>[number];

// Compiled on first call of each tool: start-up stays cheap for servers with
// hundreds of tools, and a request never pays for a compile twice. Keyed by the
// ToolDef object (one per tool name in a generated server) so two definitions that
// happen to share a name can never borrow each other's schema.
const validators = new WeakMap<ToolDef, Validator>();
/** Per tool: the property schemas where null means absent (its `nullMeansAbsent`), resolved once. */
const absentNulls = new WeakMap<ToolDef, ReturnType<typeof absentWhenNull>>();

const MAX_REPORTED_ERRORS = 10;
/** Enum values quoted in one message; a 100,000-value enum would otherwise make a megabyte error. */
const MAX_LISTED_VALUES = 20;
/** Bounds on what a model reads back: one value quoted, one problem, the whole message. */
const MAX_VALUE_CHARS = 80;
const MAX_PROBLEM_CHARS = 2_000;
const MAX_MESSAGE_CHARS = 4_000;

export type ValidationResult =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly message: string };

export function validateArguments(tool: ToolDef, args: unknown): ValidationResult {
  let validate = validators.get(tool);
  if (validate === undefined) {
    try {
      validate = ajv().compile(escapeSchemaNames(tool.inputSchema) as typeof tool.inputSchema);
    } catch (error) {
      return { ok: false, message: bounded(`Tool "${tool.name}" has an input schema this server cannot compile: ${errorText(error)}`) };
    }
    validators.set(tool, validate);
  }
  let value: unknown;
  let valid: boolean;
  try {
    let absent = absentNulls.get(tool);
    if (absent === undefined) absentNulls.set(tool, (absent = absentWhenNull(tool.inputSchema, tool.nullMeansAbsent ?? [])));
    value = coerceArguments(tool.inputSchema, args ?? {}, absent);
    valid = validate(escapeNames(value)) === true;
  } catch (error) {
    // A recursive schema over absurdly nested arguments can exhaust the stack.
    if (error instanceof RangeError) return { ok: false, message: 'Invalid arguments: arguments are nested too deeply' };
    throw error;
  }
  if (valid) {
    // Ajv accepts non-objects for schemas without `type: object`; the runtime cannot.
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return { ok: true, value: value as Record<string, unknown> };
    }
    return { ok: false, message: 'Invalid arguments: arguments must be an object' };
  }
  return { ok: false, message: bounded(`Invalid arguments: ${describeErrors(validate.errors ?? [])}`) };
}

function describeErrors(errors: readonly AjvError[]): string {
  // A Set: allErrors over a huge array can report 100,000 problems.
  const messages = new Set<string>();
  // Wrong values first, then what is missing: the order a reader fixes them in.
  const ordered = [...errors.filter((e) => e.keyword !== 'required'), ...errors.filter((e) => e.keyword === 'required')];
  for (const error of ordered) {
    const message = describeError(error);
    if (message !== undefined) messages.add(truncate(message, MAX_PROBLEM_CHARS));
  }
  if (messages.size === 0) return 'arguments do not match the input schema';
  const shown = [...messages].slice(0, MAX_REPORTED_ERRORS);
  const more = messages.size - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

function describeError(error: AjvError): string | undefined {
  const path = fieldPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const child = (name: unknown): string => (path === '' ? String(name) : `${path}.${String(name)}`);
  switch (error.keyword) {
    case 'required':
      return `missing required "${child(unescapeName(String(params['missingProperty'])))}"`;
    case 'additionalProperties':
      return `unknown argument "${child(unescapeName(String(params['additionalProperty'])))}"`;
    case 'enum': {
      const allowed: unknown[] = Array.isArray(params['allowedValues']) ? params['allowedValues'] : [];
      const listed = allowed.slice(0, MAX_LISTED_VALUES).map((v) => truncate(JSON.stringify(v) ?? String(v), MAX_VALUE_CHARS));
      const more = allowed.length - listed.length;
      return `${subject(path)} must be one of: ${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
    }
    // anyOf/oneOf also report every branch's own errors, which say more than "must match a schema".
    case 'anyOf':
    case 'oneOf':
    case 'if':
      return error.keyword === 'oneOf' && Array.isArray(params['passingSchemas'])
        ? `${subject(path)} must match exactly one allowed shape, but matches several`
        : undefined;
    default:
      return `${subject(path)} ${error.message ?? 'is invalid'}`;
  }
}

function subject(path: string): string {
  return path === '' ? 'arguments' : `"${path}"`;
}

/** JSON Pointer (`/items/0/name`) to a readable path (`items[0].name`). */
function fieldPath(pointer: string): string {
  if (pointer === '') return '';
  let out = '';
  for (const raw of pointer.slice(1).split('/')) {
    const segment = unescapeName(raw.replace(/~1/g, '/').replace(/~0/g, '~'));
    out += /^\d+$/.test(segment) ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  }
  return out;
}

function bounded(message: string): string {
  return truncate(message, MAX_MESSAGE_CHARS);
}

/** At most `max` characters, marked when cut, never splitting a surrogate pair. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  return (/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut) + '…';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
