// Discovery mode: instead of every tool, tools/list offers three meta-tools (plus the tools
// pinned in the config), so an API of any size costs a model about a thousand tokens up
// front. search_tools finds tools by what the user wants, describe_tools gives their full
// definitions, call_tool calls one through the same path as tools/call (see server.ts).

import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import { ToolSearch, type SearchIndexData } from './search.js';
import { closest, toolsetMap, type ToolsetsDef, type ToolView } from './toolsets.js';
import type { JsonSchema, ToolDef } from '../types.js';

export const SEARCH_TOOLS = 'search_tools';
export const DESCRIBE_TOOLS = 'describe_tools';
export const CALL_TOOL = 'call_tool';

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 50;
const MAX_DESCRIBE = 20;
/** Toolsets named in search_tools' description; an API with more (Graph: 400) names its largest. */
export const MAP_TOOLSETS = 50;
/** A search result's description: its first line, cut at a word. */
const LINE_CHARS = 160;

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

export class Discovery {
  private search?: ToolSearch;
  private readonly tagsOf = new Map<string, string[]>();

  constructor(
    private readonly apiName: string,
    private readonly byName: ReadonlyMap<string, ToolDef>,
    private readonly toolsets: ToolsetsDef,
    private readonly loadIndex: () => SearchIndexData,
  ) {
    for (const [toolset, names] of Object.entries(toolsets.toolsets)) for (const name of names) this.tagsOf.set(name, [...(this.tagsOf.get(name) ?? []), toolset]);
  }

  /** What tools/list returns in discovery mode for this view. */
  listed(view: ToolView, listedTool: (tool: ToolDef) => Tool): Tool[] {
    const visible = (name: string): boolean => view.allowed === undefined || view.allowed.has(name);
    // Generated tools only: extra tools of the hooks module are listed beside these, not searched.
    const total = view.allowed === undefined ? this.byName.size : [...view.allowed].filter((name) => this.byName.has(name)).length;
    const pinned = this.toolsets.discovery.pinned.filter(visible).flatMap((name) => {
      const tool = this.byName.get(name);
      return tool === undefined ? [] : [listedTool(tool)];
    });
    return [...metaTools(this.apiName, total, toolsetMap(this.toolsets, visible, MAP_TOOLSETS)), ...pinned];
  }

  /**
   * A tools/call in discovery mode: search_tools and describe_tools give their result here;
   * call_tool, and any other tool, give the call to make (name and arguments).
   */
  route(params: ToolCall, view: ToolView, describedTool: (tool: ToolDef) => Tool): Routed {
    const args = argumentsOf(params);
    if (params.name === SEARCH_TOOLS) return { result: this.searchTools(args, view) };
    if (params.name === DESCRIBE_TOOLS) return { result: this.describeTools(args, view, describedTool) };
    if (params.name !== CALL_TOOL) return { call: params };
    const name = args['name'];
    if (typeof name !== 'string') return { result: invalid('name: the name of the tool to call is required') };
    const inner = args['arguments'];
    if (inner !== undefined && (inner === null || typeof inner !== 'object' || Array.isArray(inner))) return { result: invalid('arguments: an object is required') };
    return { call: { name, ...(inner === undefined ? {} : { arguments: inner as Record<string, unknown> }) } };
  }

  /** Outside discovery mode, with shortened descriptions: describe_tools answers here, any other tool is called. */
  routeDescribe(params: ToolCall, view: ToolView, describedTool: (tool: ToolDef) => Tool): Routed {
    return params.name === DESCRIBE_TOOLS ? { result: this.describeTools(argumentsOf(params), view, describedTool) } : { call: params };
  }

  /** search_tools: the best matches, one line each. */
  searchTools(args: Record<string, unknown>, view: ToolView): CallToolResult {
    const query = args['query'];
    if (typeof query !== 'string' || query.trim() === '') return invalid('query: a non-empty string is required');
    const tag = args['tag'];
    if (tag !== undefined && (typeof tag !== 'string' || this.toolsets.toolsets[tag] === undefined)) {
      const near = typeof tag === 'string' ? closest(tag, Object.keys(this.toolsets.toolsets)) : undefined;
      return invalid(`tag: unknown toolset ${JSON.stringify(tag)}${near === undefined ? '' : `; did you mean "${near}"?`}`);
    }
    const limitArg = args['limit'];
    if (limitArg !== undefined && (typeof limitArg !== 'number' || !Number.isInteger(limitArg) || limitArg < 1 || limitArg > MAX_LIMIT)) {
      return invalid(`limit: an integer from 1 to ${MAX_LIMIT}`);
    }
    const inTag = tag === undefined ? undefined : new Set(this.toolsets.toolsets[tag]);
    const allowed = (name: string): boolean => (view.allowed === undefined || view.allowed.has(name)) && (inTag === undefined || inTag.has(name));
    // Read on the first search, not at start: Graph's index takes about 100 ms to parse, and a
    // connection that never searches (or an HTTP request that only lists) should not pay it.
    this.search ??= new ToolSearch(this.loadIndex());
    const hits = this.search.search(query, (limitArg as number | undefined) ?? DEFAULT_LIMIT, allowed);
    const tools = hits.flatMap((hit) => {
      const tool = this.byName.get(hit.name);
      if (tool === undefined) return [];
      const operation = tool._meta['mcpgen/operation'];
      return [
        {
          name: tool.name,
          ...(tool.title === undefined ? {} : { title: tool.title }),
          description: firstLine(tool.description),
          method: operation.method,
          path: operation.path,
          ...(operation.operationId === undefined ? {} : { operationId: operation.operationId }),
          toolsets: this.tagsOf.get(tool.name) ?? [],
          annotations: tool.annotations,
        },
      ];
    });
    const structured = { tools };
    return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
  }

  /** describe_tools: the full definitions, as tools/list would give them outside discovery mode (with full descriptions). */
  describeTools(args: Record<string, unknown>, view: ToolView, describedTool: (tool: ToolDef) => Tool): CallToolResult {
    const names = args['names'];
    if (!Array.isArray(names) || names.length === 0 || names.length > MAX_DESCRIBE || !names.every((n) => typeof n === 'string')) {
      return invalid(`names: an array of 1 to ${MAX_DESCRIBE} tool names is required`);
    }
    const visible = [...this.byName.keys()].filter((name) => view.allowed === undefined || view.allowed.has(name));
    const tools: Tool[] = [];
    for (const name of names as string[]) {
      const tool = this.byName.get(name);
      if (tool === undefined || (view.allowed !== undefined && !view.allowed.has(name))) {
        const near = closest(name, visible);
        return invalid(`names: unknown tool "${name}"${near === undefined ? '' : `; did you mean "${near}"?`} (search_tools finds tools)`);
      }
      tools.push(describedTool(tool));
    }
    const structured = { tools };
    return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured as unknown as Record<string, unknown> };
  }
}

type ToolCall = { readonly name: string; readonly arguments?: unknown };
type Routed = { readonly result: CallToolResult } | { readonly call: ToolCall };

/** The arguments object as parsed (tools/call keeps it raw so that names stay data). */
function argumentsOf(params: ToolCall): Record<string, unknown> {
  const raw = params.arguments;
  return (raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
}

const schema = (properties: Record<string, JsonSchema>, required: string[]): Tool['inputSchema'] => ({ type: 'object', properties, required, additionalProperties: false }) as Tool['inputSchema'];

/** describe_tools outside discovery mode: listed when the config's descriptionBudget shortened descriptions. */
export function describeToolsTool(): Tool {
  return describeTools('Full descriptions of tools whose description in this list is shortened (it then ends early or in "…"), with their input and output schemas.');
}

function describeTools(description: string): Tool {
  return {
    name: DESCRIBE_TOOLS,
    title: 'Describe tools',
    description,
    inputSchema: schema({ names: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: MAX_DESCRIBE, description: 'Tool names.' } }, ['names']),
    annotations: { title: 'Describe tools', ...READ_ONLY },
  };
}

function metaTools(apiName: string, total: number, map: string): Tool[] {
  return [
    {
      name: SEARCH_TOOLS,
      title: 'Search tools',
      description:
        `Find tools of ${apiName} (${total} tools, not listed here) by what you want to do, in your own words. ` +
        `Returns the best matches: name, one line of description, HTTP method and path, annotations. ` +
        `Then call describe_tools for their arguments and call_tool to run one. Toolsets (pass one as tag to search only there): ${map}.`,
      inputSchema: schema(
        {
          query: { type: 'string', description: 'What you want to do, e.g. "delete a pod" or "refund a payment".' },
          tag: { type: 'string', description: 'Only tools of this toolset.' },
          limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, description: `How many results (default ${DEFAULT_LIMIT}).` },
        },
        ['query'],
      ),
      annotations: { title: 'Search tools', ...READ_ONLY },
    },
    describeTools('Full definitions of tools found with search_tools: description, input schema (the arguments call_tool takes) and output schema.'),
    {
      name: CALL_TOOL,
      title: 'Call a tool',
      description: 'Calls a tool found with search_tools, with arguments that match its input schema (see describe_tools). Returns exactly what the tool returns.',
      inputSchema: schema(
        {
          name: { type: 'string', description: 'Tool name.' },
          arguments: { type: 'object', description: "The tool's arguments.", additionalProperties: true },
        },
        ['name'],
      ),
      annotations: { title: 'Call a tool', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
  ];
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0]!.trim();
  if (line.length <= LINE_CHARS) return line;
  const cut = line.slice(0, LINE_CHARS);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), LINE_CHARS / 2))}…`;
}

function invalid(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
