// Extension points of a generated server, implemented by a user-owned hooks module that
// lives beside the config (mcpgen never writes it). Hooks run inside the server: whatever a
// hook throws becomes an isError result naming the hook, never a crash.

import {
  fromJsonSchema,
  isCallToolResult,
  ProtocolError,
  ProtocolErrorCode,
  type CallToolResult,
  type ReadResourceResult,
  type StandardSchemaV1,
  type StandardSchemaWithJSON,
  type Tool,
  type ToolAnnotations,
} from '@modelcontextprotocol/server';
import type { SelectableTool } from './inbound/scopes.js';
import type { JsonSchema } from './types.js';

/** The upstream request about to be sent; a hook changes it in place. */
export interface UpstreamRequestContext {
  /** The tool (or resource) operation: its operationId, else "METHOD /path". */
  readonly operation: string;
  readonly method: string;
  /** The full URL; change `url.searchParams` to add, change or remove query parameters. */
  readonly url: URL;
  readonly headers: Headers;
  /** The encoded body (a JSON body is a string); replace it to change what is sent. */
  body: RequestInit['body'];
}

/**
 * A tool's result, or a resource read, before it reaches the caller; a hook returns a new one or
 * changes it in place. Both paths name the same `operation`, so one hook redacts both. A read
 * comes as a result whose content is the resource's contents (`type: "resource"`), with the
 * parsed JSON as `structuredContent`; change `structuredContent` to change what is read, or
 * return isError to refuse the read.
 */
export interface ToolResultContext {
  /** The tool called; undefined on a resource read. */
  readonly tool?: string;
  /** The resource URI read; undefined on a tool call. */
  readonly resource?: string;
  readonly operation: string;
  /** The validated arguments of the call (of a read: the template variables, by argument). */
  readonly arguments: Readonly<Record<string, unknown>>;
  /** HTTP status of the upstream response. */
  readonly status: number;
  readonly result: CallToolResult;
}

export interface ExtraToolContext {
  /** Aborted when the caller cancels the call. */
  readonly signal: AbortSignal;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A hand-written tool served beside the generated ones. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each tool's handler is typed by its own schema
export interface ExtraTool<Args = any> {
  readonly name: string;
  readonly title?: string;
  readonly description: string;
  /** A JSON Schema of an object, or a Standard Schema that converts to one (zod 4, for example). */
  readonly inputSchema: JsonSchema | StandardSchemaWithJSON<Args>;
  /** `readOnlyHint: true` keeps the tool under MCPGEN_READ_ONLY (and ?readonly=1). */
  readonly annotations?: ToolAnnotations;
  /**
   * Toolsets the tool joins, named as MCPGEN_TOOLSETS names them (a tag's slug, or a new name).
   * Without any, a toolset filter hides it; MCPGEN_TOOLS (and ?tools=) can still name it.
   */
  readonly toolsets?: readonly string[];
  /** OAuth scopes a caller's token needs to see and call it, with inbound auth on (as config "scopes"). */
  readonly scopes?: readonly string[];
  readonly handler: (args: Args, context: ExtraToolContext) => CallToolResult | Promise<CallToolResult>;
}

/** What a hooks module exports as default. Every member is optional. */
export interface ServerHooks {
  /** Before each upstream request (tool calls and resource reads). */
  readonly beforeRequest?: (request: UpstreamRequestContext) => void | Promise<void>;
  /** After each tool call and resource read that reached the upstream: reshape or redact the result. */
  readonly afterResponse?: (context: ToolResultContext) => CallToolResult | void | Promise<CallToolResult | void>;
  readonly tools?: readonly ExtraTool[];
}

/** An extra tool whose handler's arguments are typed by its Standard Schema (zod 4, for example). */
export function defineTool<S extends StandardSchemaWithJSON>(tool: Omit<ExtraTool<StandardSchemaV1.InferOutput<S>>, 'inputSchema'> & { readonly inputSchema: S }): ExtraTool {
  return tool;
}

export class HookError extends Error {
  override readonly name = 'HookError';
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs beforeRequest on a copy of the request; returns the request to send. */
export async function applyBeforeRequest(
  hooks: ServerHooks | undefined,
  operation: string,
  request: { readonly url: string; readonly init: RequestInit & { headers: Record<string, string> } },
): Promise<{ url: string; init: RequestInit & { headers: Record<string, string> } }> {
  if (hooks?.beforeRequest === undefined) return request;
  const context: UpstreamRequestContext = { operation, method: request.init.method ?? 'GET', url: new URL(request.url), headers: new Headers(request.init.headers), body: request.init.body };
  try {
    await hooks.beforeRequest(context);
  } catch (error) {
    throw new HookError(`The beforeRequest hook failed: ${reason(error)}`);
  }
  return { url: context.url.toString(), init: { ...request.init, headers: Object.fromEntries(context.headers), body: context.body ?? null } };
}

/** Runs afterResponse; a hook failure is an isError result, never a throw. */
export async function applyAfterResponse(hooks: ServerHooks | undefined, context: ToolResultContext): Promise<CallToolResult> {
  if (hooks?.afterResponse === undefined) return context.result;
  try {
    const changed = await hooks.afterResponse(context);
    const result = changed ?? context.result;
    if (!isCallToolResult(result)) return hookFailure(`The afterResponse hook of ${subject(context)} returned something that is not a tool result`);
    return result;
  } catch (error) {
    return hookFailure(`The afterResponse hook of ${subject(context)} failed: ${reason(error)}`);
  }
}

function subject(context: ToolResultContext): string {
  return context.tool ?? context.resource ?? context.operation;
}

/**
 * Runs afterResponse on a resource read (see ToolResultContext); an isError result, or a hook
 * failure, answers the read with an error naming it.
 */
export async function applyAfterRead(
  hooks: ServerHooks | undefined,
  read: { readonly uri: string; readonly operation: string; readonly arguments: Readonly<Record<string, unknown>>; readonly status: number; readonly result: ReadResourceResult },
): Promise<ReadResourceResult> {
  if (hooks?.afterResponse === undefined) return read.result;
  const { uri, result } = read;
  const json = result.contents.length === 1 && result.contents[0]!.mimeType === 'application/json' && 'text' in result.contents[0]! ? parseObject(result.contents[0].text) : undefined;
  const asTool: CallToolResult = { content: result.contents.map((resource) => ({ type: 'resource', resource })), ...(json === undefined ? {} : { structuredContent: json }) };
  const before = JSON.stringify(asTool);
  const hooked = await applyAfterResponse(hooks, { resource: uri, operation: read.operation, arguments: read.arguments, status: read.status, result: asTool });
  if (hooked.isError === true) throw new ProtocolError(ProtocolErrorCode.InternalError, hooked.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n') || `The afterResponse hook refused ${uri}`);
  if (JSON.stringify(hooked) === before) return result;
  if (hooked.structuredContent !== undefined && JSON.stringify(hooked.structuredContent) !== JSON.stringify(json)) {
    return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(hooked.structuredContent) }] };
  }
  return {
    contents: hooked.content.flatMap((c) => (c.type === 'resource' ? [c.resource] : c.type === 'text' ? [{ uri, mimeType: 'text/plain', text: c.text }] : [])),
  };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function hookFailure(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

function standardSchema(schema: ExtraTool['inputSchema']): StandardSchemaWithJSON {
  return '~standard' in schema ? (schema as StandardSchemaWithJSON) : fromJsonSchema(schema as JsonSchema);
}

interface PreparedTool {
  readonly tool: ExtraTool;
  readonly schema: StandardSchemaWithJSON;
  readonly listed: Tool;
}

/** RFC 6749 section 3.3 scope tokens; toolset names as the compiler makes them, or near enough. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const TOOLSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function checkDeclared(tool: ExtraTool): void {
  for (const scope of tool.scopes ?? []) if (!SCOPE_TOKEN.test(scope)) throw new HookError(`The hooks module's tool "${tool.name}" declares the scope ${JSON.stringify(scope)}, which is not an OAuth scope token`);
  for (const toolset of tool.toolsets ?? []) if (!TOOLSET_NAME.test(toolset)) throw new HookError(`The hooks module's tool "${tool.name}" declares the toolset ${JSON.stringify(toolset)}: use letters, digits, ".", "_" or "-"`);
}

/**
 * The hooks module's extra tools: listed after the generated ones, called by name. Which of
 * them a connection gets is chosen with the generated tools (toolsets.ts, from `selectable`).
 */
export class ExtraTools {
  private readonly byName = new Map<string, PreparedTool>();

  /** Throws at start-up on a clash with a generated tool or a schema that is not an object. */
  constructor(hooks: ServerHooks | undefined, generatedNames: ReadonlySet<string>) {
    for (const tool of hooks?.tools ?? []) {
      if (generatedNames.has(tool.name) || this.byName.has(tool.name)) throw new HookError(`The hooks module's tool "${tool.name}" has the name of another tool`);
      checkDeclared(tool);
      const schema = standardSchema(tool.inputSchema);
      const inputSchema = schema['~standard'].jsonSchema.input({ target: 'draft-2020-12' });
      if (inputSchema['type'] !== 'object') throw new HookError(`The hooks module's tool "${tool.name}" needs an object input schema`);
      const { $schema: _dialect, ...portable } = inputSchema;
      const listed = { name: tool.name, description: tool.description, inputSchema: portable, ...(tool.title === undefined ? {} : { title: tool.title }), ...(tool.annotations === undefined ? {} : { annotations: tool.annotations }) };
      this.byName.set(tool.name, { tool, schema, listed: listed as Tool });
    }
  }

  /** What the tool filters and scopes see of each extra tool. */
  get selectable(): SelectableTool[] {
    return [...this.byName.values()].map(({ tool }) => ({
      name: tool.name,
      annotations: { readOnlyHint: tool.annotations?.readOnlyHint === true },
      ...(tool.scopes === undefined ? {} : { scopes: [...tool.scopes] }),
      ...(tool.toolsets === undefined ? {} : { toolsets: [...tool.toolsets] }),
    }));
  }

  /** The listing's pages with the extra tools a view allows after the last generated one (they are few). */
  appendTo(pages: Tool[][], allowed: ReadonlySet<string> | undefined): Tool[][] {
    const listed = [...this.byName.values()].filter((p) => allowed === undefined || allowed.has(p.tool.name)).map((p) => p.listed);
    if (listed.length === 0) return pages;
    const last = pages[pages.length - 1] ?? [];
    return [...pages.slice(0, -1), [...last, ...listed]];
  }

  /** Whether `name` is an extra tool that a view allowing `allowed` serves. */
  serves(name: string, allowed: ReadonlySet<string> | undefined): boolean {
    return this.byName.has(name) && (allowed === undefined || allowed.has(name));
  }

  /** Validates the arguments, then runs the handler; every failure is an isError result. */
  async call(name: string, args: unknown, context: ExtraToolContext): Promise<CallToolResult> {
    const prepared = this.byName.get(name);
    if (prepared === undefined) return hookFailure(`Unknown tool: ${name}`);
    try {
      const checked = await prepared.schema['~standard'].validate(args ?? {});
      if (checked.issues !== undefined) {
        const problems = checked.issues.slice(0, 10).map((issue) => `${issue.path?.map((p) => String(typeof p === 'object' ? p.key : p)).join('.') || '(arguments)'}: ${issue.message}`);
        return hookFailure(`Invalid arguments for ${name}: ${problems.join('; ')}`);
      }
      const result = await prepared.tool.handler(checked.value, context);
      return isCallToolResult(result) ? result : hookFailure(`The hooks module's tool ${name} returned something that is not a tool result`);
    } catch (error) {
      return hookFailure(`The hooks module's tool ${name} failed: ${reason(error)}`);
    }
  }
}
