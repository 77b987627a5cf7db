/**
 * The MCP-surface changelog between two versions of a server (`mcpgen diff`): tools,
 * resources, resource templates and prompts, each change with the semver level it calls
 * for in the generated package. Pure: it compares two surfaces built from plans.
 *
 * Levels: major when a caller that worked before can fail or lose data it read (a tool,
 * resource or prompt removed or renamed, an input narrowed, an output field removed or
 * retyped); minor when something new can be used (an addition, a new optional argument, a
 * new output field); patch for the rest (descriptions, titles, annotations, messages).
 */
import type { PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ServerPlan } from '../plan/types.js';
import { outputFieldChanges } from './output-fields.js';
import { breakingInputChanges, matchTools, schemaOf, typeText, typeWidened, type SurfaceTool } from './surface.js';

export type ChangeLevel = 'major' | 'minor' | 'patch';
export type SurfaceArea = 'tool' | 'resource' | 'resource template' | 'prompt';
export type ChangeKind = 'added' | 'removed' | 'renamed' | 'input' | 'output' | 'changed';

export interface ChangelogEntry {
  readonly area: SurfaceArea;
  readonly kind: ChangeKind;
  /** The name before the change (the tool name; a resource's URI; a template's URI template). */
  readonly name: string;
  /** renamed: the new name; otherwise what changed, in words. */
  readonly detail?: string;
  readonly level: ChangeLevel;
}

export interface SurfaceChangelog {
  /** The semver bump the generated package needs: the highest level of any entry. */
  readonly bump: ChangeLevel | 'none';
  readonly counts: Readonly<Record<ChangeLevel, number>>;
  readonly entries: readonly ChangelogEntry[];
}

/** What a server offers its callers, as the changelog compares it. */
export interface McpSurface {
  readonly tools: readonly SurfaceTool[];
  readonly resources: readonly ResourceDefinition[];
  readonly resourceTemplates: readonly ResourceTemplateDefinition[];
  readonly prompts: readonly PromptDefinition[];
}

export function surfaceOfPlan(plan: ServerPlan): McpSurface {
  return { tools: plan.tools.map((t) => t.definition), resources: plan.resources, resourceTemplates: plan.resourceTemplates, prompts: plan.prompts };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Optional arguments added and argument types widened: calls that failed before can work now. */
function inputAdditions(before: SurfaceTool, after: SurfaceTool): string[] {
  const oldProps = before.inputSchema.properties ?? {};
  const newProps = after.inputSchema.properties ?? {};
  const required = new Set(after.inputSchema.required ?? []);
  const out: string[] = [];
  for (const name of Object.keys(newProps).sort()) {
    if (!Object.hasOwn(oldProps, name)) {
      if (!required.has(name)) out.push(`new optional argument "${name}"`);
      continue;
    }
    const was = schemaOf(oldProps[name]);
    const now = schemaOf(newProps[name]);
    if (was['type'] !== undefined && now['type'] !== undefined && !same(was['type'], now['type']) && typeWidened(was['type'], now['type'])) {
      out.push(`argument "${name}" now accepts ${typeText(now['type'])} (was ${typeText(was['type'])})`);
    }
    if (Array.isArray(was['enum']) && Array.isArray(now['enum'])) {
      const known = new Set(was['enum'].map((v) => JSON.stringify(v)));
      const added = now['enum'].filter((v) => !known.has(JSON.stringify(v)));
      if (added.length) out.push(`argument "${name}" also accepts ${added.map((v) => JSON.stringify(v)).join(', ')}`);
    }
  }
  return out;
}

/** Changes to what a tool says about itself: nothing a call depends on. */
function presentationChanges(before: SurfaceTool, after: SurfaceTool): string[] {
  const out: string[] = [];
  if (before.title !== after.title) out.push('title changed');
  if (before.description !== after.description) out.push('description changed');
  if (!same(before.annotations, after.annotations)) out.push('annotations changed');
  return out;
}

function toolEntries(before: readonly SurfaceTool[], after: readonly SurfaceTool[]): ChangelogEntry[] {
  const { pairs, removed, added } = matchTools(before, after);
  const entries: ChangelogEntry[] = removed.map((t) => ({ area: 'tool', kind: 'removed', name: t.name, level: 'major' }));
  for (const [old, tool] of pairs) {
    const entry = (kind: ChangeKind, level: ChangeLevel) => (detail: string): ChangelogEntry => ({ area: 'tool', kind, name: tool.name, detail, level });
    if (old.name !== tool.name) entries.push({ area: 'tool', kind: 'renamed', name: old.name, detail: tool.name, level: 'major' });
    entries.push(...breakingInputChanges(old, tool).map(entry('input', 'major')));
    entries.push(...inputAdditions(old, tool).map(entry('input', 'minor')));
    for (const change of outputFieldChanges(old.outputSchema, tool.outputSchema)) entries.push(entry('output', change.breaks ? 'major' : 'minor')(change.detail));
    entries.push(...presentationChanges(old, tool).map(entry('changed', 'patch')));
  }
  entries.push(...added.map((t): ChangelogEntry => ({ area: 'tool', kind: 'added', name: t.name, level: 'minor' })));
  return entries;
}

interface Addressed {
  readonly key: string;
  readonly operation: { readonly method: string; readonly path: string };
  readonly value: Readonly<Record<string, unknown>>;
}

/** Resources and templates: by URI, or by operation when the URI changed. */
function addressedEntries(area: 'resource' | 'resource template', before: readonly Addressed[], after: readonly Addressed[]): ChangelogEntry[] {
  const oldKeys = new Set(before.map((a) => a.key));
  const op = (a: Addressed) => `${a.operation.method} ${a.operation.path}`;
  const fresh = after.filter((a) => !oldKeys.has(a.key));
  const entries: ChangelogEntry[] = [];
  const renamedTo = new Set<string>();
  for (const old of before) {
    const now = after.find((a) => a.key === old.key);
    if (now) {
      const fields = [...new Set([...Object.keys(old.value), ...Object.keys(now.value)])].filter((k) => !same(old.value[k], now.value[k])).sort();
      if (fields.length) entries.push({ area, kind: 'changed', name: old.key, detail: `${fields.join(', ')} changed`, level: 'patch' });
      continue;
    }
    const successor = fresh.find((a) => op(a) === op(old) && !renamedTo.has(a.key));
    if (successor) {
      renamedTo.add(successor.key);
      entries.push({ area, kind: 'renamed', name: old.key, detail: successor.key, level: 'major' });
    } else entries.push({ area, kind: 'removed', name: old.key, level: 'major' });
  }
  for (const a of fresh) if (!renamedTo.has(a.key)) entries.push({ area, kind: 'added', name: a.key, level: 'minor' });
  return entries;
}

function promptEntries(before: readonly PromptDefinition[], after: readonly PromptDefinition[]): ChangelogEntry[] {
  const entries: ChangelogEntry[] = [];
  const newByName = new Map(after.map((p) => [p.name, p]));
  const oldNames = new Set(before.map((p) => p.name));
  for (const old of before) {
    const now = newByName.get(old.name);
    if (!now) {
      entries.push({ area: 'prompt', kind: 'removed', name: old.name, level: 'major' });
      continue;
    }
    const entry = (level: ChangeLevel) => (detail: string): ChangelogEntry => ({ area: 'prompt', kind: level === 'patch' ? 'changed' : 'input', name: old.name, detail, level });
    // A prompt's arguments are an input object like a tool's: compare them the same way.
    const asTool = (p: PromptDefinition): SurfaceTool => ({
      name: p.name,
      title: p.title,
      description: p.description,
      inputSchema: { properties: Object.fromEntries(p.arguments.map((a) => [a.name, { type: 'string', ...(a.enum ? { enum: a.enum } : {}) }])), required: p.arguments.filter((a) => a.required).map((a) => a.name) },
    });
    entries.push(...breakingInputChanges(asTool(old), asTool(now)).map(entry('major')));
    entries.push(...inputAdditions(asTool(old), asTool(now)).map(entry('minor')));
    entries.push(...presentationChanges(asTool(old), asTool(now)).map(entry('patch')));
    if (!same(old.messages, now.messages)) entries.push(entry('patch')('messages changed'));
  }
  for (const p of after) if (!oldNames.has(p.name)) entries.push({ area: 'prompt', kind: 'added', name: p.name, level: 'minor' });
  return entries;
}

const LEVEL_ORDER: Record<ChangeLevel, number> = { major: 0, minor: 1, patch: 2 };
const AREA_ORDER: Record<SurfaceArea, number> = { tool: 0, resource: 1, 'resource template': 2, prompt: 3 };

export function diffMcpSurface(before: McpSurface, after: McpSurface): SurfaceChangelog {
  const resource = (r: ResourceDefinition): Addressed => ({ key: r.uri, operation: r.operation, value: { ...r } });
  const template = (r: ResourceTemplateDefinition): Addressed => ({ key: r.uriTemplate, operation: r.operation, value: { ...r } });
  const entries = [
    ...toolEntries(before.tools, after.tools),
    ...addressedEntries('resource', before.resources.map(resource), after.resources.map(resource)),
    ...addressedEntries('resource template', before.resourceTemplates.map(template), after.resourceTemplates.map(template)),
    ...promptEntries(before.prompts, after.prompts),
  ].sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || AREA_ORDER[a.area] - AREA_ORDER[b.area] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const counts = { major: 0, minor: 0, patch: 0 };
  for (const e of entries) counts[e.level]++;
  const bump = counts.major ? 'major' : counts.minor ? 'minor' : counts.patch ? 'patch' : 'none';
  return { bump, counts, entries };
}
