// Argument validation against each tool's published inputSchema, so the upstream is
// never called with arguments the tool itself declared invalid.

import { Ajv, addFormats } from '@modelcontextprotocol/server/validators/ajv';
import type { ToolDef } from './types.js';

// Made on the first tool call, not at start-up (clients list tools before calling one).
// validateSchema: false — a schema stamped with a `$schema` this engine does not know
// (e.g. 2020-12) would otherwise fail to compile; unknown keywords are ignored (strict: false).
type Engine = InstanceType<typeof Ajv>;
let engine: Engine | undefined;
function ajv(): Engine {
  if (engine === undefined) {
    engine = new Ajv({ allErrors: true, strict: false, validateSchema: false });
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

const MAX_REPORTED_ERRORS = 10;

export type ValidationResult =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly message: string };

export function validateArguments(tool: ToolDef, args: unknown): ValidationResult {
  const value = args ?? {};
  let validate = validators.get(tool);
  if (validate === undefined) {
    try {
      validate = ajv().compile(tool.inputSchema);
    } catch (error) {
      return { ok: false, message: `Tool "${tool.name}" has an input schema this server cannot compile: ${errorText(error)}` };
    }
    validators.set(tool, validate);
  }
  if (validate(value)) {
    // Ajv accepts non-objects for schemas without `type: object`; the runtime cannot.
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return { ok: true, value: value as Record<string, unknown> };
    }
    return { ok: false, message: 'Invalid arguments: arguments must be an object' };
  }
  return { ok: false, message: `Invalid arguments: ${describeErrors(validate.errors ?? [])}` };
}

function describeErrors(errors: readonly AjvError[]): string {
  const messages: string[] = [];
  // Wrong values first, then what is missing: the order a reader fixes them in.
  const ordered = [...errors.filter((e) => e.keyword !== 'required'), ...errors.filter((e) => e.keyword === 'required')];
  for (const error of ordered) {
    const message = describeError(error);
    if (message !== undefined && !messages.includes(message)) messages.push(message);
  }
  if (messages.length === 0) return 'arguments do not match the input schema';
  const shown = messages.slice(0, MAX_REPORTED_ERRORS);
  const more = messages.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

function describeError(error: AjvError): string | undefined {
  const path = fieldPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const child = (name: unknown): string => (path === '' ? String(name) : `${path}.${String(name)}`);
  switch (error.keyword) {
    case 'required':
      return `missing required "${child(params['missingProperty'])}"`;
    case 'additionalProperties':
      return `unknown argument "${child(params['additionalProperty'])}"`;
    case 'enum': {
      const allowed = Array.isArray(params['allowedValues']) ? params['allowedValues'] : [];
      return `${subject(path)} must be one of: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
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
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(segment) ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  }
  return out;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
