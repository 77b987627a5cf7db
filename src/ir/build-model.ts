import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { pointerOf } from '../diagnostics/diagnostic.js';
import type { LoadedSpec } from '../load/load-spec.js';
import { deref, optionalString, type IrContext } from './context.js';
import { buildOperation, HTTP_METHODS } from './operation.js';
import { buildSecuritySchemes, readSecurity } from './security.js';
import { buildServers } from './server.js';
import type { ApiModel, OperationNode } from './types.js';

/** Builds the IR of a loaded document. Pure: reports problems as diagnostics. */
export function buildApiModel(spec: Omit<LoadedSpec, 'files'>): { model: ApiModel; diagnostics: Diagnostic[] } {
  const document = spec.document as Record<string, unknown>;
  const ctx: IrContext = { document, file: spec.file, diagnostics: [] };
  const info = (document.info ?? {}) as Record<string, unknown>;
  const rootSecurity = readSecurity(document.security) ?? [];
  const operations: OperationNode[] = [];
  const paths = (document.paths ?? {}) as Record<string, unknown>;
  for (const path of Object.keys(paths)) {
    const found = deref(ctx, paths[path], pointerOf('paths', path));
    if (!found) continue;
    // A fragment never reaches a server; some specs use one to tell apart operations
    // that share a path. The request goes to the path without it.
    const hash = path.indexOf('#');
    const requestPath = hash === -1 ? path : path.slice(0, hash) || '/';
    if (hash !== -1) {
      ctx.diagnostics.push({
        code: 'MCPGEN_PATH_FRAGMENT',
        severity: 'warning',
        file: spec.file,
        pointer: pointerOf('paths', path),
        message: `Path "${path}" contains a fragment, which HTTP never sends; requests go to "${requestPath}", where the server cannot tell the operations apart by path.`,
        help: 'This is a defect in the spec: distinguish the operations by path, or by a header parameter.',
      });
    }
    for (const method of HTTP_METHODS) {
      const op = buildOperation(ctx, path, method, found.value, rootSecurity);
      if (op) operations.push(hash === -1 ? op : { ...op, path: requestPath, specPath: path });
    }
  }
  if (document.webhooks && typeof document.webhooks === 'object' && Object.keys(document.webhooks).length) {
    ctx.diagnostics.push({
      code: 'MCPGEN_WEBHOOKS_IGNORED',
      severity: 'info',
      file: spec.file,
      pointer: '#/webhooks',
      message: `The spec declares ${Object.keys(document.webhooks).length} webhook(s); webhooks are requests the API sends, so they become no tools.`,
    });
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
