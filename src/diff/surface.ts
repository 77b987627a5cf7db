/**
 * What changes in a server's tools, as its callers see them: tools added, removed or
 * renamed, and input changes that break a call that worked before. `generate` and `check`
 * compare the tool tables (data/tools/*.json) on disk with a fresh generation; `mcpgen diff`
 * compares the plans of two spec versions (src/diff/changelog.ts). Pure.
 */

/** The parts of a listed tool the comparison reads. */
export interface SurfaceTool {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema: { readonly properties?: Record<string, unknown>; readonly required?: readonly string[] };
  readonly outputSchema?: unknown;
  readonly annotations?: unknown;
  readonly _meta?: { readonly 'mcpgen/operation'?: { readonly method?: string; readonly path?: string } };
}

export type SurfaceChangeKind = 'added' | 'removed' | 'renamed' | 'breaking';

export interface SurfaceChange {
  readonly kind: SurfaceChangeKind;
  readonly tool: string;
  /** renamed: the new name; breaking: what changed. */
  readonly detail?: string;
  /** True when a call that worked before can fail now. */
  readonly breaks: boolean;
}

const KIND_ORDER: Record<SurfaceChangeKind, number> = { removed: 0, renamed: 1, breaking: 2, added: 3 };

export function operationKey(tool: SurfaceTool): string | undefined {
  const op = tool._meta?.['mcpgen/operation'];
  return op?.method && op.path ? `${op.method.toUpperCase()} ${op.path}` : undefined;
}

export function schemaOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export const typeText = (type: unknown): string => (Array.isArray(type) ? type.join(' | ') : String(type));

function typeList(type: unknown): string[] {
  return (Array.isArray(type) ? type : [type]).map(String);
}

/** True when every value of type `was` is a value of type `now` (integer is a number). */
export function typeWidened(was: unknown, now: unknown): boolean {
  const accepted = new Set(typeList(now));
  return typeList(was).every((t) => accepted.has(t) || (t === 'integer' && accepted.has('number')));
}

/** Input changes of one tool that can make a formerly valid call fail. */
export function breakingInputChanges(before: SurfaceTool, after: SurfaceTool): string[] {
  const out: string[] = [];
  const oldProps = before.inputSchema.properties ?? {};
  const newProps = after.inputSchema.properties ?? {};
  const oldRequired = new Set(before.inputSchema.required ?? []);
  for (const name of Object.keys(oldProps).sort()) {
    if (!Object.hasOwn(newProps, name)) out.push(`argument "${name}" was removed`);
  }
  for (const name of [...(after.inputSchema.required ?? [])].sort()) {
    if (oldRequired.has(name)) continue;
    out.push(Object.hasOwn(oldProps, name) ? `argument "${name}" is now required` : `new required argument "${name}"`);
  }
  for (const name of Object.keys(newProps).sort()) {
    if (!Object.hasOwn(oldProps, name)) continue;
    const was = schemaOf(oldProps[name]);
    const now = schemaOf(newProps[name]);
    if (was['type'] !== undefined && now['type'] !== undefined && !typeWidened(was['type'], now['type'])) {
      out.push(`argument "${name}" changed type from ${typeText(was['type'])} to ${typeText(now['type'])}`);
    }
    if (Array.isArray(was['enum']) && Array.isArray(now['enum'])) {
      const allowed = new Set(now['enum'].map((v) => JSON.stringify(v)));
      const dropped = was['enum'].filter((v) => !allowed.has(JSON.stringify(v)));
      if (dropped.length) out.push(`argument "${name}" no longer accepts ${dropped.map((v) => JSON.stringify(v)).join(', ')}`);
    }
  }
  return out;
}

/** Old and new tools matched by name, or by operation when the name changed. */
export interface ToolMatch {
  /** Same tool before and after: same name, or renamed (`before.name !== after.name`). */
  readonly pairs: readonly (readonly [before: SurfaceTool, after: SurfaceTool])[];
  readonly removed: readonly SurfaceTool[];
  readonly added: readonly SurfaceTool[];
}

export function matchTools(before: readonly SurfaceTool[], after: readonly SurfaceTool[]): ToolMatch {
  const oldByName = new Map(before.map((t) => [t.name, t]));
  const newByName = new Map(after.map((t) => [t.name, t]));
  const gone = before.filter((t) => !newByName.has(t.name));
  const fresh = after.filter((t) => !oldByName.has(t.name));
  // A tool that left under one name and came back under another for the same operation was renamed.
  const freshByOperation = new Map<string, SurfaceTool>();
  for (const tool of fresh) {
    const key = operationKey(tool);
    if (key !== undefined && !freshByOperation.has(key)) freshByOperation.set(key, tool);
  }
  const pairs: (readonly [SurfaceTool, SurfaceTool])[] = [];
  const removed: SurfaceTool[] = [];
  const renamedTo = new Set<string>();
  for (const tool of gone) {
    const key = operationKey(tool);
    const successor = key === undefined ? undefined : freshByOperation.get(key);
    if (successor && !renamedTo.has(successor.name)) {
      renamedTo.add(successor.name);
      pairs.push([tool, successor]);
    } else {
      removed.push(tool);
    }
  }
  for (const tool of after) {
    const old = oldByName.get(tool.name);
    if (old) pairs.push([old, tool]);
  }
  return { pairs, removed, added: fresh.filter((t) => !renamedTo.has(t.name)) };
}

export function diffSurface(before: readonly SurfaceTool[], after: readonly SurfaceTool[]): SurfaceChange[] {
  const { pairs, removed, added } = matchTools(before, after);
  const changes: SurfaceChange[] = removed.map((tool) => ({ kind: 'removed', tool: tool.name, breaks: true }));
  for (const [old, tool] of pairs) {
    if (old.name !== tool.name) changes.push({ kind: 'renamed', tool: old.name, detail: tool.name, breaks: true });
    for (const detail of breakingInputChanges(old, tool)) changes.push({ kind: 'breaking', tool: tool.name, detail, breaks: true });
  }
  for (const tool of added) changes.push({ kind: 'added', tool: tool.name, breaks: false });
  return changes.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.tool < b.tool ? -1 : a.tool > b.tool ? 1 : 0));
}
