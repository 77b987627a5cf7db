// Which tools a connection sees, chosen at run time without regenerating: toolsets (one per
// tag), single tools, read-only, and discovery mode. stdio reads MCPGEN_TOOLSETS, MCPGEN_TOOLS,
// MCPGEN_READ_ONLY and MCPGEN_DISCOVERY; HTTP also reads ?toolsets=&tools=&readonly=&discovery=
// on the /mcp URL, so one deployment can give each client its own list. The environment sets
// the outer bounds (an operator's MCPGEN_READ_ONLY=1 cannot be lifted by a URL); a URL narrows.
// MCPGEN_DYNAMIC_TOOLSETS=1 lets a stdio connection grow its list (see enable-toolset.ts).
// The hooks module's extra tools are chosen by the same rules (see SelectableTool): a filter
// names them by their toolsets or by name, read-only keeps them when they say readOnlyHint,
// and their scopes apply as a generated tool's.

import type { Tool } from '@modelcontextprotocol/server';
import { CALL_TOOL, describeToolsTool, Discovery } from './discovery.js';
import { ToolsetGrowth } from './enable-toolset.js';
import { scopeChallenge, ToolScopes, type ScopeChallenge, type SelectableTool } from '../inbound/scopes.js';
import { nonEmpty } from '../env.js';
import type { SearchIndexData } from './search.js';
import type { ToolDef } from '../types.js';

/** data/toolsets.json, as the compiler writes it (src/plan/discovery.ts). */
export interface ToolsetsDef {
  /** Discovery mode unless MCPGEN_DISCOVERY or ?discovery= says otherwise, and the tools it keeps listed. */
  readonly discovery: { readonly enabled: boolean; readonly pinned: readonly string[] };
  /** Toolset (tag slug) → tool names. */
  readonly toolsets: { readonly [toolset: string]: readonly string[] };
}

export interface ToolFilter {
  readonly toolsets?: readonly string[];
  readonly tools?: readonly string[];
  readonly readOnly: boolean;
  readonly discovery?: boolean;
}

/** What one connection sees. */
export interface ToolView {
  /** Tools it may list, search and call; undefined: all of them. */
  readonly allowed: ReadonlySet<string> | undefined;
  readonly discovery: boolean;
  /** A stable key, for caching what a view lists. */
  readonly key: string;
}

/** A filter naming what does not exist; the message says what was meant. */
export class ToolFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolFilterError';
    // A start-up error about a setting, not a bug: the message alone says it all.
    this.stack = `${this.name}: ${message}`;
  }
}

/** Views chosen by URLs, kept per distinct query string (bounded: URLs come from clients). */
const MAX_CACHED_VIEWS = 64;

/**
 * The views of one server: the environment's (stdio, and HTTP without query) and those URLs
 * ask for, each with its tools/list pages, built once per distinct view.
 */
export class ToolViews {
  readonly discovery: Discovery;
  readonly scopes: ToolScopes;
  /** MCPGEN_DYNAMIC_TOOLSETS: a connection (stdio) may grow its list with enable_toolset. */
  readonly dynamic: boolean;
  /** Whether the config's descriptionBudget shortened a description: describe_tools is then listed outside discovery mode too. */
  readonly shortened: boolean;
  private readonly toolsets: ToolsetsDef;
  private readonly envFilter: ToolFilter;
  private readonly base: ToolView;
  private readonly byName: ReadonlyMap<string, ToolDef>;
  /** Generated tools and the hooks module's extra tools: what filters and scopes choose from. */
  private readonly selectable: readonly SelectableTool[];
  private readonly selectableByName: ReadonlyMap<string, SelectableTool>;
  /** The toolsets with the extra tools that declare theirs. */
  private readonly selectableToolsets: ToolsetsDef;
  /** Extra tools that declare no toolset: listed with the pinned tools when a connection grows its list. */
  private readonly undeclared: readonly string[];
  private readonly byQuery = new Map<string, ToolView>();
  private readonly listings = new Map<string, Tool[][]>();

  constructor(
    apiName: string,
    private readonly tools: readonly ToolDef[],
    surface: { readonly toolsets?: ToolsetsDef; readonly searchIndex?: () => SearchIndexData },
    env: Record<string, string | undefined>,
    private readonly paginate: (tools: readonly ToolDef[]) => Tool[][],
    private readonly listedTool: (tool: ToolDef) => Tool,
    extras: readonly SelectableTool[] = [],
  ) {
    this.toolsets = surface.toolsets ?? { discovery: { enabled: false, pinned: [] }, toolsets: {} };
    this.selectable = [...tools, ...extras];
    this.selectableByName = new Map(this.selectable.map((tool) => [tool.name, tool] as const));
    this.selectableToolsets = withExtraToolsets(this.toolsets, extras);
    this.undeclared = extras.filter((tool) => !tool.toolsets?.length).map((tool) => tool.name);
    this.envFilter = filterFromEnv(env);
    this.dynamic = flag('MCPGEN_DYNAMIC_TOOLSETS', env['MCPGEN_DYNAMIC_TOOLSETS']) ?? false;
    this.base = resolveView(this.selectable, this.selectableToolsets, this.envFilter);
    if (this.dynamic && this.base.discovery) {
      process.stderr.write(`${apiName}: MCPGEN_DYNAMIC_TOOLSETS=1 has no effect in discovery mode (search_tools reaches every tool); set MCPGEN_DISCOVERY=off to grow the list with enable_toolset\n`);
    }
    this.scopes = new ToolScopes(this.selectable);
    this.byName = new Map(tools.map((tool) => [tool.name, tool] as const));
    this.shortened = tools.some((tool) => tool.listedDescription !== undefined);
    this.discovery = new Discovery(apiName, this.byName, this.toolsets, surface.searchIndex ?? (() => ({ version: 1, names: [], postings: {} })));
  }

  /**
   * The view of a request: its URL's filters within the environment's, or the environment's,
   * less the tools the caller's token lacks scopes for (`granted`: the token's scopes, or
   * undefined without inbound auth).
   */
  viewFor(request: Request | undefined, granted?: readonly string[]): ToolView {
    const search = request === undefined ? '' : new URL(request.url).search;
    const scopeKey = this.scopes.key(granted);
    if (search === '' && scopeKey === '') return this.base;
    const cacheKey = `${scopeKey}${search}`;
    let view = this.byQuery.get(cacheKey);
    if (view === undefined) {
      const filter = filterFromQuery(new URLSearchParams(search));
      view = hasFilter(filter) ? resolveView(this.selectable, this.selectableToolsets, this.envFilter, filter) : this.base;
      if (scopeKey !== '') view = withoutTools(this.selectable, view, this.scopes.denied(granted ?? []));
      remember(this.byQuery, cacheKey, view);
    }
    return view;
  }

  /**
   * The refusal of a tools/call (direct, or through call_tool in discovery mode) whose tool
   * the token lacks scopes for; undefined when the call may go ahead or names no such tool.
   */
  challenge(request: Request | undefined, params: unknown, granted: readonly string[] | undefined): ScopeChallenge | undefined {
    if (granted === undefined || this.scopes.all.length === 0) return undefined;
    const { name, arguments: args } = (params ?? {}) as { name?: unknown; arguments?: { name?: unknown } };
    const inner = name === CALL_TOOL && this.viewFor(request).discovery ? args?.name : name;
    const tool = typeof inner === 'string' ? this.selectableByName.get(inner) : undefined;
    if (tool === undefined) return undefined;
    const missing = this.scopes.missing(tool, granted);
    return missing.length === 0 ? undefined : scopeChallenge(tool, missing);
  }

  /** Why a URL's filters cannot be served (an unknown name, a bad flag), or undefined. */
  rejectQuery(query: URLSearchParams): string | undefined {
    try {
      const filter = filterFromQuery(query);
      if (hasFilter(filter)) resolveView(this.selectable, this.selectableToolsets, this.envFilter, filter);
      return undefined;
    } catch (error) {
      if (error instanceof ToolFilterError) return error.message;
      throw error;
    }
  }

  /**
   * The growing tool list of one connection (stdio: one Server per connection), or undefined
   * when MCPGEN_DYNAMIC_TOOLSETS is off or the connection is in discovery mode (search_tools
   * already reaches every tool). It starts with MCPGEN_TOOLSETS and MCPGEN_TOOLS when they
   * are set, else with the pinned tools alone.
   */
  growth(): ToolsetGrowth | undefined {
    if (!this.dynamic || this.base.discovery) return undefined;
    const named = this.envFilter.toolsets !== undefined || this.envFilter.tools !== undefined;
    const pinned = [...this.toolsets.discovery.pinned, ...this.undeclared];
    const start = named ? this.base : resolveView(this.selectable, this.selectableToolsets, { tools: pinned, readOnly: this.envFilter.readOnly });
    return new ToolsetGrowth(this, this.selectableToolsets, start);
  }

  /**
   * `view` with the tools of `toolset` added, within the environment's bounds (MCPGEN_READ_ONLY).
   * Throws ToolFilterError for an unknown toolset.
   */
  withToolset(view: ToolView, toolset: string): ToolView {
    const added = resolveView(this.selectable, this.selectableToolsets, { toolsets: [toolset], readOnly: this.envFilter.readOnly }).allowed ?? new Set<string>();
    return viewOf(new Set([...(view.allowed ?? []), ...added]), view.discovery);
  }

  /** Whether the environment lets a connection offer this tool at all (MCPGEN_READ_ONLY). */
  withinBounds(name: string): boolean {
    return !this.envFilter.readOnly || this.selectableByName.get(name)?.annotations?.readOnlyHint === true;
  }

  /** The tools/list pages of a view. */
  listing(view: ToolView): Tool[][] {
    let pages = this.listings.get(view.key);
    if (pages === undefined) {
      pages = view.discovery ? [this.discovery.listed(view, this.listedTool)] : this.paginate(this.tools.filter((t) => view.allowed === undefined || view.allowed.has(t.name)));
      if (!view.discovery && this.shortened) pages[0] = [describeToolsTool(), ...pages[0]!];
      remember(this.listings, view.key, pages);
    }
    return pages;
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_CACHED_VIEWS) map.delete(map.keys().next().value!);
  map.set(key, value);
}

export function filterFromEnv(env: Record<string, string | undefined>): ToolFilter {
  return {
    ...optionalList('toolsets', env['MCPGEN_TOOLSETS']),
    ...optionalList('tools', env['MCPGEN_TOOLS']),
    readOnly: flag('MCPGEN_READ_ONLY', env['MCPGEN_READ_ONLY']) ?? false,
    ...optionalDiscovery('MCPGEN_DISCOVERY', env['MCPGEN_DISCOVERY']),
  };
}

/** The query parameters of an HTTP request to /mcp; an empty filter when it has none. */
export function filterFromQuery(query: URLSearchParams): ToolFilter {
  return {
    ...optionalList('toolsets', query.get('toolsets') ?? undefined),
    ...optionalList('tools', query.get('tools') ?? undefined),
    readOnly: flag('readonly', query.get('readonly') ?? undefined) ?? false,
    ...optionalDiscovery('discovery', query.get('discovery') ?? undefined),
  };
}

/** The toolsets with each extra tool added to those it declares (a new toolset when no generated tool has it). */
function withExtraToolsets(def: ToolsetsDef, extras: readonly SelectableTool[]): ToolsetsDef {
  if (!extras.some((tool) => tool.toolsets?.length)) return def;
  const toolsets: Record<string, string[]> = Object.fromEntries(Object.entries(def.toolsets).map(([name, members]) => [name, [...members]]));
  for (const tool of extras) for (const toolset of tool.toolsets ?? []) (Object.hasOwn(toolsets, toolset) ? toolsets[toolset]! : (toolsets[toolset] = [])).push(tool.name);
  return { ...def, toolsets };
}

/** `view` without the tools named in `denied`. */
function withoutTools(tools: readonly SelectableTool[], view: ToolView, denied: ReadonlySet<string>): ToolView {
  const allowed = new Set((view.allowed === undefined ? tools.map((t) => t.name) : [...view.allowed]).filter((name) => !denied.has(name)));
  return viewOf(allowed, view.discovery);
}

export function hasFilter(filter: ToolFilter): boolean {
  return filter.toolsets !== undefined || filter.tools !== undefined || filter.readOnly || filter.discovery !== undefined;
}

/**
 * The view of `outer` (from the environment) narrowed by `inner` (from a URL). Throws
 * ToolFilterError for an unknown toolset or tool name.
 */
export function resolveView(tools: readonly SelectableTool[], def: ToolsetsDef, outer: ToolFilter, inner?: ToolFilter): ToolView {
  const byName = new Map(tools.map((tool) => [tool.name, tool] as const));
  const select = (filter: ToolFilter): Set<string> | undefined => {
    if (filter.toolsets === undefined && filter.tools === undefined && !filter.readOnly) return undefined;
    let chosen: Set<string>;
    if (filter.toolsets === undefined && filter.tools === undefined) chosen = new Set(byName.keys());
    else {
      chosen = new Set();
      for (const toolset of filter.toolsets ?? []) {
        const members = def.toolsets[toolset];
        if (members === undefined) throw new ToolFilterError(unknown('toolset', toolset, Object.keys(def.toolsets)));
        for (const name of members) chosen.add(name);
      }
      for (const name of filter.tools ?? []) {
        if (!byName.has(name)) throw new ToolFilterError(unknown('tool', name, [...byName.keys()]));
        chosen.add(name);
      }
    }
    if (filter.readOnly) for (const name of chosen) if (byName.get(name)?.annotations?.readOnlyHint !== true) chosen.delete(name);
    return chosen;
  };
  const outerSet = select(outer);
  const innerSet = inner === undefined ? undefined : select(inner);
  const allowed = outerSet === undefined ? innerSet : innerSet === undefined ? outerSet : new Set([...innerSet].filter((n) => outerSet.has(n)));
  return viewOf(allowed, inner?.discovery ?? outer.discovery ?? def.discovery.enabled);
}

function viewOf(allowed: ReadonlySet<string> | undefined, discovery: boolean): ToolView {
  const key = `${discovery ? 'd' : 'l'}:${allowed === undefined ? '*' : [...allowed].sort().join(',')}`;
  return { allowed, discovery, key };
}

/**
 * "name (count), …" of the toolsets with at least one counted tool, largest first; an API
 * with more than `max` (Graph: 400) names its largest and says how many more there are.
 */
export function toolsetMap(def: ToolsetsDef, counted: (name: string) => boolean, max: number): string {
  const counts = Object.entries(def.toolsets)
    .map(([toolset, names]) => [toolset, names.filter(counted).length] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = counts.slice(0, max).map(([toolset, count]) => `${toolset} (${count})`);
  const more = counts.length > max ? `, and ${counts.length - max} smaller ones` : '';
  return `${shown.join(', ')}${more}`;
}

function unknown(kind: 'toolset' | 'tool', name: string, known: readonly string[]): string {
  const near = closest(name, known);
  const hint = near === undefined ? '' : ` Did you mean "${near}"?`;
  const list = kind === 'toolset' ? ` Toolsets: ${known.join(', ')}.` : '';
  return `Unknown ${kind} "${name}".${hint}${list}`;
}

/** The known name nearest to `name` by edit distance, when it is near enough to be a typo. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase(), bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance, giving up (returning `cap`) once it cannot be below `cap`. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= cap) return cap;
    previous = current;
  }
  return previous[b.length]!;
}

function optionalList<K extends 'toolsets' | 'tools'>(key: K, raw: string | undefined): { [P in K]?: string[] } {
  const text = nonEmpty(raw);
  if (text === undefined) return {};
  return { [key]: text.split(',').map((item) => item.trim()).filter((item) => item !== '') } as { [P in K]?: string[] };
}

function flag(name: string, raw: string | undefined): boolean | undefined {
  const text = nonEmpty(raw)?.toLowerCase();
  if (text === undefined) return undefined;
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  throw new ToolFilterError(`${name} must be on or off (1 or 0, true or false), got "${raw ?? ''}".`);
}

function optionalDiscovery(name: string, raw: string | undefined): { discovery?: boolean } {
  const value = flag(name, raw);
  return value === undefined ? {} : { discovery: value };
}
