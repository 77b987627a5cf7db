// Per-caller permissions. With inbound auth on, a tool that declares scopes (config "scopes")
// is shown to and callable by a token only when the token carries all of them; a resource or
// resource template of a scoped operation is listed and readable on the same terms. Without a
// token (stdio, HTTP without MCP_AUTH_ISSUER) there is no caller to tell apart: every tool
// is served, and the operator's gateway or MCPGEN_TOOLS decide.

/**
 * What tool filters and scopes choose from: a generated tool (ToolDef), or an extra tool of
 * the hooks module, which may declare its toolsets and scopes.
 */
export interface SelectableTool {
  readonly name: string;
  readonly annotations?: { readonly readOnlyHint?: boolean };
  readonly scopes?: readonly string[];
  /** Toolsets an extra tool joins (generated tools are placed by data/toolsets.json). */
  readonly toolsets?: readonly string[];
}

export class ToolScopes {
  /** Every scope some tool requires, sorted: advertised in the RFC 9728 metadata. */
  readonly all: readonly string[];
  private readonly scoped: readonly SelectableTool[];

  constructor(tools: readonly SelectableTool[]) {
    this.scoped = tools.filter((tool) => tool.scopes !== undefined && tool.scopes.length > 0);
    this.all = [...new Set(this.scoped.flatMap((tool) => tool.scopes ?? []))].sort();
  }

  /** The scopes of `tool` that `granted` lacks; empty when the caller may use it (or there is no caller). */
  missing(tool: SelectableTool, granted: readonly string[] | undefined): string[] {
    return missingScopes(tool.scopes, granted);
  }

  /**
   * What distinguishes one caller's view from another's: the scopes it holds among those
   * tools require, or '' when it is denied nothing (the same view as no auth at all). Every
   * scope in `all` is some tool's, so a caller is denied nothing exactly when it holds them all.
   */
  key(granted: readonly string[] | undefined): string {
    if (granted === undefined) return '';
    const held = new Set(granted);
    const relevant = this.all.filter((scope) => held.has(scope));
    return relevant.length === this.all.length ? '' : `scopes:${relevant.join(' ')}`;
  }

  /** Names of the tools a caller holding `granted` may not see or call. */
  denied(granted: readonly string[]): Set<string> {
    return new Set(this.scoped.filter((tool) => this.missing(tool, granted).length > 0).map((tool) => tool.name));
  }
}

/** The scopes of `required` that `granted` lacks; empty when nothing is required or there is no caller (no inbound auth). */
export function missingScopes(required: readonly string[] | undefined, granted: readonly string[] | undefined): string[] {
  if (granted === undefined || required === undefined) return [];
  const held = new Set(granted);
  return required.filter((scope) => !held.has(scope));
}

/** The `insufficient_scope` refusal of a call, as RFC 6750 section 3.1 phrases it. */
export interface ScopeChallenge {
  /** The scopes the call needs (sent in the WWW-Authenticate `scope` parameter). */
  readonly scopes: readonly string[];
  readonly message: string;
}

export function scopeChallenge(tool: SelectableTool, missing: readonly string[]): ScopeChallenge {
  return refusal(`Tool ${tool.name}`, tool.scopes ?? missing, missing);
}

/** The refusal of a resources/read whose resource needs `required`, of which the token lacks `missing`. */
export function resourceScopeChallenge(uri: string, required: readonly string[], missing: readonly string[]): ScopeChallenge {
  return refusal(`Resource ${uri}`, required, missing);
}

function refusal(subject: string, required: readonly string[], missing: readonly string[]): ScopeChallenge {
  const needs = missing.length === 1 ? `the scope ${missing[0]}` : `the scopes ${missing.join(' ')}`;
  return { scopes: required, message: `${subject} needs ${needs}, which this access token does not carry` };
}
