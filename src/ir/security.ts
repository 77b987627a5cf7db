// https://spec.openapis.org/oas/v3.1.0#security-scheme-object
import { pointerOf } from '../diagnostics/diagnostic.js';
import { deref, optionalString, type IrContext } from './context.js';
import type { ClientCredentialsFlowNode, SecurityRequirement, SecuritySchemeNode } from './types.js';

export function buildSecuritySchemes(ctx: IrContext): SecuritySchemeNode[] {
  const components = ctx.document.components as Record<string, unknown> | undefined;
  const schemes = (components?.securitySchemes ?? {}) as Record<string, unknown>;
  const nodes: SecuritySchemeNode[] = [];
  for (const name of Object.keys(schemes).sort()) {
    const found = deref(ctx, schemes[name], pointerOf('components', 'securitySchemes', name));
    if (!found) continue;
    const s = found.value;
    const location = s.in === 'header' || s.in === 'query' || s.in === 'cookie' ? s.in : undefined;
    nodes.push({
      kind: 'securityScheme',
      pointer: found.pointer,
      name,
      type: String(s.type),
      in: location,
      parameterName: typeof s.name === 'string' ? s.name : undefined,
      scheme: typeof s.scheme === 'string' ? s.scheme.toLowerCase() : undefined,
      description: optionalString(s.description),
      ...(s.type === 'oauth2' ? clientCredentialsOf(s.flows) : {}),
    });
  }
  return nodes;
}

export function readSecurity(value: unknown): SecurityRequirement[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((r): r is SecurityRequirement => r !== null && typeof r === 'object');
}

/** The `clientCredentials` flow of an oauth2 scheme's `flows`, when it names a token URL. */
function clientCredentialsOf(flows: unknown): { clientCredentials?: ClientCredentialsFlowNode } {
  const flow = flows !== null && typeof flows === 'object' ? (flows as Record<string, unknown>).clientCredentials : undefined;
  if (flow === null || typeof flow !== 'object') return {};
  const { tokenUrl, scopes } = flow as Record<string, unknown>;
  if (typeof tokenUrl !== 'string' || tokenUrl.trim() === '') return {};
  const declared = scopes !== null && typeof scopes === 'object' ? Object.keys(scopes).sort() : [];
  return { clientCredentials: { tokenUrl: tokenUrl.trim(), scopes: declared } };
}
