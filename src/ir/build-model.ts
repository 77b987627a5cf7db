import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { pointerOf } from '../diagnostics/diagnostic.js';
import type { LoadedSpec } from '../load/load-spec.js';
import { deref, optionalString, type IrContext } from './context.js';
import { buildOperation, HTTP_METHODS } from './operation.js';
import { buildSecuritySchemes, readSecurity } from './security.js';
import type { ApiModel, OperationNode, ServerNode } from './types.js';

// https://spec.openapis.org/oas/v3.1.0#server-object
function buildServers(list: unknown, pointer: string): ServerNode[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((server, index) => {
    if (!server || typeof server.url !== 'string') return [];
    const variables = (server.variables ?? {}) as Record<string, { default?: unknown }>;
    const url = server.url.replace(/\{([^}]+)\}/g, (whole: string, name: string) => {
      const fallback = variables[name]?.default;
      return fallback === undefined ? whole : String(fallback);
    });
    return [{ kind: 'server' as const, pointer: `${pointer}/${index}`, url }];
  });
}

/** Builds the IR of a loaded document. Pure: reports problems as diagnostics. */
export function buildApiModel(spec: LoadedSpec): { model: ApiModel; diagnostics: Diagnostic[] } {
  const document = spec.document as Record<string, unknown>;
  const ctx: IrContext = { document, file: spec.file, diagnostics: [] };
  const info = (document.info ?? {}) as Record<string, unknown>;
  const rootSecurity = readSecurity(document.security) ?? [];
  const operations: OperationNode[] = [];
  const paths = (document.paths ?? {}) as Record<string, unknown>;
  for (const path of Object.keys(paths)) {
    const found = deref(ctx, paths[path], pointerOf('paths', path));
    if (!found) continue;
    for (const method of HTTP_METHODS) {
      const op = buildOperation(ctx, path, method, found.value, rootSecurity);
      if (op) operations.push(op);
    }
  }
  const model: ApiModel = {
    kind: 'api',
    file: spec.file,
    openapiVersion: spec.version,
    title: typeof info.title === 'string' ? info.title : 'API',
    version: typeof info.version === 'string' ? info.version : '0.0.0',
    description: optionalString(info.description),
    servers: buildServers(document.servers, '#/servers'),
    operations,
    securitySchemes: buildSecuritySchemes(ctx),
    document,
  };
  return { model, diagnostics: ctx.diagnostics };
}
