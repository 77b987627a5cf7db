// Keeps every result true to the tool's published outputSchema, whatever the upstream sent.
// Clients validate structuredContent against outputSchema and fail the whole call when it
// does not fit (SDK v1 and v2, Inspector, LangChain, Mastra, mcp-use), so a result that drifted
// from the spec is repaired here: what does not fit is left out of structuredContent, the text
// content keeps the upstream body, and a note says what was left out.

import type { CallToolResult } from '@modelcontextprotocol/server';
import { Ajv } from '@modelcontextprotocol/server/validators/ajv';
import type { ToolDef } from '../types.js';

type AjvInstance = InstanceType<typeof Ajv>;
type Validate = ReturnType<AjvInstance['compile']>;
type ValidationError = NonNullable<Validate['errors']>[number];

/** Repair passes before falling back to the smallest conforming value. */
const MAX_REPAIR_ROUNDS = 8;
/** Problems named in a note or log line. */
const MAX_PROBLEMS_SHOWN = 3;

export interface CheckedResult {
  readonly result: CallToolResult;
  /** Set when the upstream's body did not fit the outputSchema: what did not. */
  readonly drift?: string;
}

/** One per server process: validators are compiled on a tool's first call and kept. */
export class OutputChecker {
  private ajv: AjvInstance | undefined;
  private readonly validators = new Map<string, Validate | undefined>();

  /** The result, with structuredContent made to fit `tool.outputSchema` when it does not. */
  conform(tool: ToolDef, result: CallToolResult): CheckedResult {
    if (tool.outputSchema === undefined || result.isError === true) return { result };
    const validate = this.validator(tool);
    if (validate === undefined) return { result };
    if (result.structuredContent === undefined) {
      // A success without JSON (an empty or text body) still owes structuredContent.
      return this.fallback(validate, result, 'the upstream sent no JSON body');
    }
    if (validate(result.structuredContent)) return { result };
    const problems = describe(innermost(validate.errors ?? []));
    let value: unknown = result.structuredContent;
    for (let round = 0; round < MAX_REPAIR_ROUNDS; round += 1) {
      const paths = innermost(validate.errors ?? []).map((error) => error.path);
      if (paths.some((path) => path.length === 0)) break;
      value = without(value, paths);
      if (validate(value)) return { result: withNote({ ...result, structuredContent: value }, problems), drift: problems };
    }
    return this.fallback(validate, result, problems);
  }

  private fallback(validate: Validate, result: CallToolResult, problems: string): CheckedResult {
    // An outputSchema's root is an object with optional properties: {} fits it.
    if (validate({})) return { result: withNote({ ...result, structuredContent: {} }, problems), drift: problems };
    // Unreachable for schemas the compiler emits; an error result needs no structuredContent.
    const { structuredContent: _dropped, ...rest } = result;
    return { result: withNote({ ...rest, isError: true }, problems), drift: problems };
  }

  /** Undefined when the schema does not compile (not one the compiler emits): the result then goes out as it is. */
  private validator(tool: ToolDef): Validate | undefined {
    if (this.validators.has(tool.name)) return this.validators.get(tool.name);
    let validate: Validate | undefined;
    try {
      // ownProperties: a property named like an Object.prototype member (constructor,
      // toString) is only there when the upstream sent it.
      this.ajv ??= new Ajv({ strict: false, allErrors: true, validateSchema: false, ownProperties: true });
      validate = this.ajv.compile(tool.outputSchema as Record<string, unknown>);
    } catch (error) {
      process.stderr.write(`tool ${tool.name}: its outputSchema does not compile, results are not checked against it: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    this.validators.set(tool.name, validate);
    return validate;
  }
}

function withNote(result: CallToolResult, problems: string): CallToolResult {
  const note =
    `[The upstream response does not match this tool's output schema (${problems}). ` +
    'structuredContent leaves out what does not fit; the text above is the response as received.]';
  return { ...result, content: [...(result.content ?? []), { type: 'text', text: note }] };
}

interface Problem {
  /** JSON Pointer segments of the value to leave out ([] for the root). */
  readonly path: string[];
  readonly message: string;
}

/**
 * One problem per offending value, innermost first. The published schemas spell a nullable
 * type as anyOf[{type: T, ...}, {type: null}], so a bad field inside an object also fails the
 * object's null branch and its anyOf: those errors on an enclosing value are dropped, and the
 * field alone is left out (the next round sees whether the enclosing value then fits).
 * The errors on one value are told as one: the types its branches wanted ("must be number,null").
 */
function innermost(errors: readonly ValidationError[]): Problem[] {
  const byPath = new Map<string, { path: string[]; types: string[]; messages: string[] }>();
  for (const error of errors) {
    const path = offendingPath(error);
    const key = path.map((segment) => `/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
    const entry = byPath.get(key) ?? { path, types: [], messages: [] };
    byPath.set(key, entry);
    if (error.keyword === 'type') entry.types.push(String((error.params as { type?: unknown }).type));
    else if (error.keyword !== 'anyOf') entry.messages.push(error.message ?? error.keyword);
  }
  const keys = [...byPath.keys()];
  const problems: Problem[] = [];
  for (const [key, { path, types, messages }] of byPath) {
    if (keys.some((other) => other.length > key.length && other.startsWith(`${key}/`))) continue;
    const told = [...(types.length ? [`must be ${types.join(',')}`] : []), ...messages];
    problems.push({ path, message: `${key === '' ? '/' : key} ${told.length ? told.join(', ') : 'must match a schema in anyOf'}` });
  }
  return problems;
}

function describe(problems: readonly Problem[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map((problem) => problem.message);
  const more = problems.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}

/** The JSON Pointer segments of the value to leave out for one error ([] for the root). */
function offendingPath(error: ValidationError): string[] {
  const path = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  // These name the unwanted property itself; it, not its parent, is left out.
  const extra = (error.params as { additionalProperty?: unknown; unevaluatedProperty?: unknown }).additionalProperty ?? (error.params as { unevaluatedProperty?: unknown }).unevaluatedProperty;
  return typeof extra === 'string' ? [...path, extra] : path;
}

type Marks = Map<string, Marks | true>;

/** A copy of `value` without the values at `paths` (array items removed, properties deleted). */
function without(value: unknown, paths: readonly string[][]): unknown {
  const marks: Marks = new Map();
  for (const path of paths) {
    let node = marks;
    for (const [index, segment] of path.entries()) {
      const existing = node.get(segment);
      if (existing === true) break;
      if (index === path.length - 1) node.set(segment, true);
      else {
        const child: Marks = existing ?? new Map();
        node.set(segment, child);
        node = child;
      }
    }
  }
  return rebuild(value, marks);
}

function rebuild(value: unknown, marks: Marks): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((item, index) => {
      const mark = marks.get(String(index));
      if (mark !== true) out.push(mark === undefined ? item : rebuild(item, mark));
    });
    return out;
  }
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const mark = marks.get(key);
    if (mark === true) continue;
    // defineProperty: a key named __proto__ stays a plain property.
    Object.defineProperty(out, key, { value: mark === undefined ? item : rebuild(item, mark), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
