/**
 * What a regeneration changes in a server's MCP surface, as its callers see it: tools
 * added, removed or renamed, and input changes that break a call that worked before.
 * Compared on the tool tables (data/tools/*.json) before and after; pure.
 */

/** The parts of a listed tool the comparison reads. */
export interface SurfaceTool {
  readonly name: string;
  readonly inputSchema: { readonly properties?: Record<string, unknown>; readonly required?: readonly string[] };
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

function operationKey(tool: SurfaceTool): string | undefined {
  const op = tool._meta?.['mcpgen/operation'];
  return op?.method && op.path ? `${op.method.toUpperCase()} ${op.path}` : undefined;
}

function schemaOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

const typeText = (type: unknown): string => (Array.isArray(type) ? type.join(' | ') : String(type));

/** Input changes of one tool that can make a formerly valid call fail. */
function breakingInputChanges(before: SurfaceTool, after: SurfaceTool): string[] {
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
    if (was['type'] !== undefined && now['type'] !== undefined && JSON.stringify(was['type']) !== JSON.stringify(now['type'])) {
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

export function diffSurface(before: readonly SurfaceTool[], after: readonly SurfaceTool[]): SurfaceChange[] {
  const oldByName = new Map(before.map((t) => [t.name, t]));
  const newByName = new Map(after.map((t) => [t.name, t]));
  const changes: SurfaceChange[] = [];
  const removed = before.filter((t) => !newByName.has(t.name));
  const added = after.filter((t) => !oldByName.has(t.name));
  // A tool that left under one name and came back under another for the same operation was renamed.
  const addedByOperation = new Map<string, SurfaceTool>();
  for (const tool of added) {
    const key = operationKey(tool);
    if (key !== undefined && !addedByOperation.has(key)) addedByOperation.set(key, tool);
  }
  const renamedTo = new Set<string>();
  for (const tool of removed) {
    const key = operationKey(tool);
    const successor = key === undefined ? undefined : addedByOperation.get(key);
    if (successor && !renamedTo.has(successor.name)) {
      renamedTo.add(successor.name);
      changes.push({ kind: 'renamed', tool: tool.name, detail: successor.name, breaks: true });
      for (const detail of breakingInputChanges(tool, successor)) changes.push({ kind: 'breaking', tool: successor.name, detail, breaks: true });
    } else {
      changes.push({ kind: 'removed', tool: tool.name, breaks: true });
    }
  }
  for (const tool of added) if (!renamedTo.has(tool.name)) changes.push({ kind: 'added', tool: tool.name, breaks: false });
  for (const tool of after) {
    const old = oldByName.get(tool.name);
    if (old) for (const detail of breakingInputChanges(old, tool)) changes.push({ kind: 'breaking', tool: tool.name, detail, breaks: true });
  }
  return changes.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.tool < b.tool ? -1 : a.tool > b.tool ? 1 : 0));
}
