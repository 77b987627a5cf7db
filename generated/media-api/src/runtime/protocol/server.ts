// The MCP face of a generated server: tools/list and tools/call over the tool table.
// Everything derivable from the tool table is computed once per factory; stateless
// HTTP serving builds a Server per request, and that must stay cheap.

import { LOG_LEVEL_META_KEY, ProtocolError, ProtocolErrorCode, type AuthInfo, type LoggingLevel, type Server, type ServerCapabilities, type ServerContext, type Tool } from '@modelcontextprotocol/server';
import { callOperation, DEFAULT_TIMEOUT_MS, type ExchangeEvent } from './call.js';
import { ENABLE_TOOLSET } from './enable-toolset.js';
import { ExtraTools, type ServerHooks } from '../hooks.js';
import { BYTE_LIMIT_RANGE, integerFromEnv, TIMEOUT_RANGE } from '../env.js';
import { StrictParamsServer } from './invalid-params.js';
import { observeResilience, observeTokenRequest, traceOf } from '../observe/observe.js';
import { traceOfRequest, type TraceContext } from '../observe/trace.js';
import { OutputChecker } from './output-check.js';
import type { SearchIndexData } from './search.js';
import type { ScopeChallenge } from '../inbound/scopes.js';
import { ToolViews, type ToolsetsDef } from './toolsets.js';
import { PromptTable } from './prompts.js';
import { checkBaseUrls } from '../upstream/request.js';
import { checkTokenEndpoints, ClientCredentials } from '../upstream/client-credentials.js';
import { ResourceTable } from './resources.js';
import { readResilience, Resilience } from '../upstream/resilience.js';
import { createRedactor, guardStderr, guardStderrLearnt, redacting, secretInventory } from '../observe/secrets.js';
import { TOOL_CALL_PARAMS } from './tool-call-params.js';
import type { ApiDef, JsonSchema, PromptDef, ResourceDef, ResourceTemplateDef, ToolDef } from '../types.js';

/** Everything a generated server offers, as emitted by the compiler. */
export interface ServerSurface {
  readonly tools: readonly ToolDef[];
  /** Input schema definitions shared by the tools (see ToolDef.defs). */
  readonly definitions?: { readonly [name: string]: JsonSchema };
  readonly resources?: readonly ResourceDef[];
  readonly resourceTemplates?: readonly ResourceTemplateDef[];
  readonly prompts?: readonly PromptDef[];
  /** Toolsets and discovery defaults (data/toolsets.json). */
  readonly toolsets?: ToolsetsDef;
  /** Reads the search index (data/search.json): only discovery mode needs it. */
  readonly searchIndex?: () => SearchIndexData;
  /** The user's hooks module, named in the config (see hooks.ts). */
  readonly hooks?: ServerHooks;
}

/**
 * tools/list pages stay under this many bytes: clients cap one message (the SDK's
 * stdio transport at 10 MB), and a huge API (Microsoft Graph) lists far more. APIs
 * the size of GitHub's fit in one page, for clients that do not follow nextCursor.
 */
export const DEFAULT_LIST_PAGE_BYTES = 4_000_000;

/** Pause between a call's last progress notification and its result (see exchangeProgress). */
const PROGRESS_SETTLE_MS = 10;

/** RFC 5424 severities, as MCP orders its log levels (debug lowest). */
const LOG_SEVERITY: Record<LoggingLevel, number> = { debug: 0, info: 1, notice: 2, warning: 3, error: 4, critical: 5, alert: 6, emergency: 7 };

/** Chosen to fit comfortably in a model's context window. */
export const DEFAULT_MAX_RESPONSE_BYTES = 100_000;

export interface ServerFactoryOptions {
  /** Source of base URL overrides and credentials; defaults to process.env. */
  readonly env?: Record<string, string | undefined>;
  readonly fetch?: typeof globalThis.fetch;
  /** Overrides MCPGEN_MAX_RESPONSE_BYTES. */
  readonly maxBytes?: number;
  /** Overrides MCPGEN_TIMEOUT_MS. */
  readonly timeoutMs?: number;
}

/**
 * What an HTTP request carries that changes the server it gets (see toolsets.ts). Without a
 * request the Server serves one whole connection (stdio), which may keep state between requests.
 */
export interface ServerRequestContext {
  readonly requestInfo?: Request;
  /** The caller's verified token (inbound auth on): its scopes choose the tools it gets (see scopes.ts). */
  readonly authInfo?: AuthInfo;
}

export type ServerFactory = ((context?: ServerRequestContext) => Server) & {
  /** Why an /mcp URL's tool filters cannot be served (HTTP answers 400), or undefined. */
  readonly rejectQuery: (query: URLSearchParams) => string | undefined;
  /** Every scope some tool or resource requires (advertised in the protected-resource metadata). */
  readonly scopes: readonly string[];
  /** Why a tools/call or resources/read's token may not make it (HTTP answers 403 insufficient_scope), or undefined. */
  readonly scopeChallenge: (request: Request, method: string, params: unknown, authInfo: AuthInfo) => ScopeChallenge | undefined;
};


export function createServerFactory(api: ApiDef, surface: ServerSurface, options: ServerFactoryOptions = {}): ServerFactory {
  const tools = linkDefinitions(surface.tools, surface.definitions ?? {});
  const env = options.env ?? process.env;
  checkBaseUrls(api, env);
  checkTokenEndpoints(api, env);
  // Every credential value is redacted from whatever this server emits (see secrets.ts).
  const secrets = secretInventory(api, env);
  const redactor = createRedactor(secrets.values);
  guardStderr(secrets.values);
  if (secrets.tooShort.length > 0) {
    process.stderr.write(`Warning: ${secrets.tooShort.join(', ')} hold values shorter than 4 characters, which cannot be redacted from output reliably\n`);
  }
  // Access tokens the server fetches (client credentials) are redacted from the moment they arrive.
  const tokens = new ClientCredentials(api, env, {
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    onToken: (token) => {
      redactor.learn(token);
      guardStderrLearnt(token);
    },
    onRequest: observeTokenRequest,
  });
  const safe = <A extends unknown[], R>(handler: (...args: A) => R | Promise<R>): ((...args: A) => R | Promise<R>) =>
    redactor.active || tokens.active ? redacting(redactor, handler) : handler;
  const maxBytes = options.maxBytes ?? integerFromEnv(env, 'MCPGEN_MAX_RESPONSE_BYTES', DEFAULT_MAX_RESPONSE_BYTES, BYTE_LIMIT_RANGE);
  const timeoutMs = options.timeoutMs ?? integerFromEnv(env, 'MCPGEN_TIMEOUT_MS', DEFAULT_TIMEOUT_MS, TIMEOUT_RANGE);
  const byName = new Map(tools.map((tool) => [tool.name, tool] as const));
  const pageBytes = integerFromEnv(env, 'MCPGEN_LIST_PAGE_BYTES', DEFAULT_LIST_PAGE_BYTES, BYTE_LIMIT_RANGE);
  // A misspelt MCPGEN_TOOLSETS or MCPGEN_TOOLS stops the start here (ToolFilterError, with a did-you-mean).
  // Extra tools are chosen by the same filters and scopes as the generated ones.
  const extraTools = new ExtraTools(surface.hooks, new Set(byName.keys()));
  const views = new ToolViews(api.name, tools, surface, env, (allowed) => paginate(allowed.map(listedTool), pageBytes), listedTool, extraTools.selectable);
  // One set of policies per process: a circuit's state is shared by every request to its origin.
  const resilience = new Resilience(readResilience(env), observeResilience);
  const fetchOption = { resilience, tokens, ...(options.fetch === undefined ? {} : { fetch: options.fetch }), ...(surface.hooks === undefined ? {} : { hooks: surface.hooks }) };
  const resources = new ResourceTable(api, surface.resources ?? [], surface.resourceTemplates ?? [], { env, maxBytes, timeoutMs, ...fetchOption });
  const prompts = new PromptTable(surface.prompts ?? [], resources);
  // tools is always declared: a server generated from a spec without operations still
  // answers tools/list (with nothing), which clients call first.
  const capabilities: ServerCapabilities = {
    tools: {},
    ...(resources.empty ? {} : { resources: {} }),
    ...(prompts.empty ? {} : { prompts: {} }),
    ...(resources.empty && prompts.empty ? {} : { completions: {} }),
    logging: {},
  };
  const outputs = new OutputChecker();
  const driftReported = new Set<string>();

  const factory = (context?: ServerRequestContext): Server => {
    const granted = context?.authInfo?.scopes;
    // A connection whose list grows with enable_toolset (MCPGEN_DYNAMIC_TOOLSETS); never per HTTP request.
    const growth = context?.requestInfo === undefined ? views.growth() : undefined;
    const fixedView = views.viewFor(context?.requestInfo, granted);
    const fixedPages = growth === undefined ? extraTools.appendTo(views.listing(fixedView), fixedView.allowed) : [];
    const server: Server = new StrictParamsServer(
      { name: api.name, version: api.version },
      { capabilities: growth === undefined ? capabilities : { ...capabilities, tools: { listChanged: true } } },
      traceOfRequest(context?.requestInfo),
    );
    if (!resources.empty) {
      // A caller sees and reads only the resources its token has the scopes of (see scopes.ts).
      server.setRequestHandler('resources/list', safe(async (_request, ctx) => ({ resources: await resources.list(ctx.mcpReq.signal, granted) })));
      server.setRequestHandler('resources/templates/list', () => ({ resourceTemplates: resources.templatesFor(granted) }));
      server.setRequestHandler('resources/read', safe((request, ctx) => resources.read(request.params.uri, ctx.mcpReq.signal, granted)));
    }
    if (!prompts.empty) {
      // A prompt that embeds a resource the caller may not read is not listed to it.
      server.setRequestHandler('prompts/list', () => ({ prompts: prompts.listedFor(granted) }));
      server.setRequestHandler('prompts/get', safe((request, ctx) => prompts.get(request.params.name, request.params.arguments, ctx.mcpReq.signal, granted)));
    }
    if (!resources.empty || !prompts.empty) {
      server.setRequestHandler('completion/complete', safe(async (request, ctx) => {
        const { ref, argument } = request.params;
        const values =
          ref.type === 'ref/prompt'
            ? prompts.complete(ref.name, argument.name, argument.value)
            : await resources.complete(ref.uri, argument.name, argument.value, ctx.mcpReq.signal, granted);
        return { completion: { values, total: values.length, hasMore: false } };
      }));
    }
    // 2025-era clients set a level once per connection (kept here: stdio). Stateless HTTP
    // keeps nothing between requests, so those clients get no log messages; 2026-era
    // clients send their level with each request, which the SDK reads itself.
    let legacyLevel: LoggingLevel | undefined;
    server.setRequestHandler('logging/setLevel', (request) => {
      legacyLevel = request.params.level;
      return {};
    });
    server.setRequestHandler('tools/list', (request) => {
      const cursor = request.params?.cursor;
      // Cursors are the page numbers this handler hands out; anything else is not one of ours.
      const index = cursor === undefined ? 0 : /^\d{1,9}$/.test(cursor) ? Number(cursor) : -1;
      const pages = growth === undefined ? fixedPages : extraTools.appendTo(growth.listing(), growth.view.allowed);
      const page = pages[index];
      if (page === undefined) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Invalid cursor: ${JSON.stringify(cursor).slice(0, 100)}`);
      return index + 1 < pages.length ? { tools: page, nextCursor: String(index + 1) } : { tools: page };
    });
    // Registered with TOOL_CALL_PARAMS so that argument names stay data (see tool-call-params.ts).
    server.setRequestHandler('tools/call', { params: TOOL_CALL_PARAMS }, safe(async (params, ctx) => {
      if (growth !== undefined && params.name === ENABLE_TOOLSET) {
        const enabled = growth.enable(params.arguments);
        if (enabled.changed) await server.sendToolListChanged();
        return enabled.result;
      }
      const view = growth?.view ?? fixedView;
      // In discovery mode search_tools and describe_tools answer here; call_tool names the
      // tool to call, which then goes down this very path (validation, progress, cancellation).
      // Outside it, describe_tools answers when descriptions were shortened (descriptionBudget).
      const routed = view.discovery ? views.discovery.route(params, view, describedTool) : views.shortened ? views.discovery.routeDescribe(params, view, describedTool) : { call: params };
      if ('result' in routed) return routed.result;
      const { name, arguments: args } = routed.call;
      if (extraTools.serves(name, view.allowed)) return extraTools.call(name, args, { signal: ctx.mcpReq.signal, env });
      const tool = view.allowed === undefined || view.allowed.has(name) ? byName.get(name) : undefined;
      if (tool === undefined) {
        // Over HTTP the transport answers 403 first (see http.ts); this covers what it does not see.
        const refusal = views.challenge(context?.requestInfo, { name }, granted);
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, refusal?.message ?? `Unknown tool: ${name}`);
      }
      // Log messages only for clients that asked for them (none are sent by default).
      const wantsLogs = ctx.mcpReq.envelope !== undefined ? (ctx.mcpReq.envelope as Record<string, unknown>)[LOG_LEVEL_META_KEY] !== undefined : legacyLevel !== undefined && LOG_SEVERITY[legacyLevel] <= LOG_SEVERITY.info;
      const log = wantsLogs ? (event: ExchangeEvent) => void ctx.mcpReq.log('info', redactor.value({ tool: tool.name, ...event }), api.name).catch(() => undefined) : undefined;
      const progressToken = ctx.mcpReq._meta?.progressToken;
      const progress = progressToken === undefined ? undefined : exchangeProgress(progressToken, (notification) => ctx.mcpReq.notify(redactor.value(notification)));
      const observe = log && progress ? (event: ExchangeEvent) => (log(event), progress.observe(event)) : (log ?? progress?.observe);
      const result = await callOperation(api, tool, args, {
        signal: ctx.mcpReq.signal,
        env,
        maxBytes,
        timeoutMs,
        ...fetchOption,
        ...traceOption(ctx),
        ...(observe ? { observe } : {}),
      });
      const checked = outputs.conform(tool, result);
      if (checked.drift !== undefined) {
        // Once per tool on stderr (an operator fixes the spec once); every time to a client that asked for warnings.
        if (!driftReported.has(tool.name)) {
          driftReported.add(tool.name);
          process.stderr.write(`${api.name}: tool ${tool.name}: the upstream response does not match the output schema (${checked.drift}); structuredContent leaves out what does not fit. Reported once per tool.\n`);
        }
        const wantsWarnings = wantsLogs || (legacyLevel !== undefined && LOG_SEVERITY[legacyLevel] <= LOG_SEVERITY.warning);
        if (wantsWarnings) void ctx.mcpReq.log('warning', redactor.value({ tool: tool.name, drift: checked.drift }), api.name).catch(() => undefined);
      }
      // Progress must reach the caller before the result ends the request.
      await progress?.sent();
      // Lets the SDK apply per-era result rules (e.g. 2025 wrapping of non-object structuredContent).
      return server.projectCallToolResult(checked.result, tool.outputSchema);
    }));
    return server;
  };
  return Object.assign(factory, {
    rejectQuery: (query: URLSearchParams) => views.rejectQuery(query),
    scopes: [...new Set([...views.scopes.all, ...resources.scopes])].sort(),
    scopeChallenge: (request: Request, method: string, params: unknown, authInfo: AuthInfo) => {
      if (method === 'tools/call') return views.challenge(request, params, authInfo.scopes);
      const uri = (params as { uri?: unknown } | undefined)?.uri;
      return method === 'resources/read' && typeof uri === 'string' ? resources.challenge(uri, authInfo.scopes) : undefined;
    },
  });
}

/** The MCP request's trace for callOperation (observe.ts records it as the request starts). */
function traceOption(ctx: ServerContext): { trace?: TraceContext } {
  const trace = traceOf(ctx);
  return trace === undefined ? {} : { trace };
}

/**
 * Progress of one upstream exchange, for a caller that sent a progressToken: request sent
 * (1 of 3), response received (2 of 3), result made (3 of 3), each with a message. These
 * are the real stages of a REST call; a slow API shows which one it is stuck in.
 */
function exchangeProgress(
  progressToken: string | number,
  notify: (notification: { method: 'notifications/progress'; params: Record<string, unknown> }) => Promise<void>,
): { observe: (event: ExchangeEvent) => void; sent: () => Promise<void> } {
  const pending: Promise<void>[] = [];
  const send = (progress: number, message: string): void => {
    pending.push(notify({ method: 'notifications/progress', params: { progressToken, progress, total: 3, message } }).catch(() => undefined));
  };
  return {
    observe: (event) => {
      if (event.step === 'request') send(1, `${event.method} ${event.url}`);
      else if (event.step === 'response') send(2, `HTTP ${event.status} after ${event.ms} ms`);
      else send(3, event.isError ? 'failed' : 'done');
    },
    sent: async () => {
      await Promise.all(pending);
      // The SDK client runs notification handlers in a microtask but settles responses at once:
      // a notification it reads in the same chunk as the result finds its handler gone. A short
      // pause (only for callers that asked for progress) lets the notifications arrive first.
      await new Promise<void>((resolve) => setTimeout(resolve, PROGRESS_SETTLE_MS));
    },
  };
}

/**
 * Gives each tool the self-contained input schema clients and the validator need:
 * its schema plus the shared definitions it names, under `$defs`. Done once per
 * process; the definitions themselves are shared objects, not copies.
 */
function linkDefinitions(tools: readonly ToolDef[], definitions: { readonly [name: string]: JsonSchema }): ToolDef[] {
  return tools.map((tool) => {
    if (!tool.defs?.length) return tool;
    const $defs: Record<string, JsonSchema> = {};
    for (const name of tool.defs) {
      const definition = definitions[name];
      if (definition === undefined) throw new Error(`Tool ${tool.name} needs the schema definition ${name}, which data/definitions.json lacks: regenerate the server.`);
      $defs[name] = definition;
    }
    const { defs: _linked, ...rest } = tool;
    return { ...rest, inputSchema: { ...tool.inputSchema, $defs } };
  });
}

/** Splits the listed tools into pages of at most `maxBytes` of JSON each (at least one tool per page). */
function paginate(listed: readonly Tool[], maxBytes: number): Tool[][] {
  const pages: Tool[][] = [[]];
  let size = 0;
  for (const tool of listed) {
    const bytes = JSON.stringify(tool).length;
    const current = pages[pages.length - 1]!;
    if (current.length && size + bytes > maxBytes) {
      pages.push([tool]);
      size = bytes;
    } else {
      current.push(tool);
      size += bytes;
    }
  }
  return pages;
}

/** A tool as tools/list gives it: with its shortened description when the config set a descriptionBudget. */
function listedTool(tool: ToolDef): Tool {
  return tool.listedDescription === undefined ? describedTool(tool) : { ...describedTool(tool), description: tool.listedDescription };
}

/** A tool as describe_tools gives it: its full description. */
function describedTool(tool: ToolDef): Tool {
  const listed: Record<string, unknown> = {
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema,
    annotations: tool.annotations,
    _meta: tool._meta,
  };
  if (tool.title !== undefined) listed['title'] = tool.title;
  if (tool.outputSchema !== undefined) listed['outputSchema'] = tool.outputSchema;
  // The compiler guarantees object-rooted schemas; the SDK's type cannot see that.
  return listed as unknown as Tool;
}
