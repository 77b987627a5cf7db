// enable_toolset (MCPGEN_DYNAMIC_TOOLSETS=1): a connection starts with a short tool list and
// grows it one toolset at a time; each addition sends notifications/tools/list_changed, which
// clients that follow it (declared as tools.listChanged) answer with a fresh tools/list. The
// grown list lives as long as the connection, so only stdio offers it: stateless HTTP makes
// a Server per request and would forget every addition at once.

import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import { MAP_TOOLSETS } from './discovery.js';
import { toolsetMap, ToolFilterError, type ToolsetsDef, type ToolView, type ToolViews } from './toolsets.js';

export const ENABLE_TOOLSET = 'enable_toolset';

/** What enabling a toolset did: the result to return, and whether the tool list changed. */
export interface Enabled {
  readonly result: CallToolResult;
  readonly changed: boolean;
}

/** One connection's tool list, grown by enable_toolset. */
export class ToolsetGrowth {
  private pages?: Tool[][];

  constructor(
    private readonly views: ToolViews,
    private readonly toolsets: ToolsetsDef,
    private current: ToolView,
  ) {}

  get view(): ToolView {
    return this.current;
  }

  /** tools/list now: enable_toolset first, then the tools enabled so far. */
  listing(): Tool[][] {
    if (this.pages === undefined) {
      const [first = [], ...rest] = this.views.listing(this.current);
      this.pages = [[this.enableTool(), ...first], ...rest];
    }
    return this.pages;
  }

  /** enable_toolset({ toolset }). */
  enable(args: unknown): Enabled {
    const toolset = args !== null && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>)['toolset'] : undefined;
    if (typeof toolset !== 'string' || toolset.trim() === '') return failed('toolset: the name of a toolset is required (the description of enable_toolset lists them)');
    let next: ToolView;
    try {
      next = this.views.withToolset(this.current, toolset.trim());
    } catch (error) {
      if (error instanceof ToolFilterError) return failed(error.message);
      throw error;
    }
    const before = this.current.allowed ?? new Set<string>();
    const added = [...(next.allowed ?? [])].filter((name) => !before.has(name));
    if (added.length === 0) {
      const why = (this.toolsets.toolsets[toolset.trim()] ?? []).some((name) => before.has(name)) ? 'is already enabled' : 'has no tool this server may offer (MCPGEN_READ_ONLY=1 keeps only read-only tools)';
      return { result: answer(`Toolset "${toolset.trim()}" ${why}: the tool list did not change.`, { toolset: toolset.trim(), added: [] }), changed: false };
    }
    this.current = next;
    this.pages = undefined;
    const text = `Enabled toolset "${toolset.trim()}": ${added.length} tool${added.length === 1 ? '' : 's'} added (${added.join(', ')}). The tool list changed; they can be called now.`;
    return { result: answer(text, { toolset: toolset.trim(), added }), changed: true };
  }

  private enableTool(): Tool {
    const allowed = this.current.allowed ?? new Set<string>();
    // Counts what each toolset would add; fully enabled ones drop out of the map.
    const map = toolsetMap(this.toolsets, (name) => !allowed.has(name) && this.views.withinBounds(name), MAP_TOOLSETS);
    return {
      name: ENABLE_TOOLSET,
      title: 'Enable a toolset',
      description:
        `Adds the tools of one toolset (a group of related operations) to your tool list, which then changes. ` +
        `Call it when the task needs tools you do not have yet. Toolsets not yet enabled (tools each adds): ${map === '' ? 'none' : map}.`,
      inputSchema: { type: 'object', properties: { toolset: { type: 'string', description: 'Toolset name, e.g. one from this description.' } }, required: ['toolset'], additionalProperties: false },
      annotations: { title: 'Enable a toolset', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    };
  }
}

function answer(text: string, structured: { toolset: string; added: string[] }): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

function failed(message: string): Enabled {
  return { result: { content: [{ type: 'text', text: message }], isError: true }, changed: false };
}
