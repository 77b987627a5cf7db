// https://spec.openapis.org/oas/v3.1.0#operation-object
import { pointerOf } from '../diagnostics/diagnostic.js';
import { deref, optionalString, type IrContext } from './context.js';
import { mergeParameters } from './parameter.js';
import { readSecurity } from './security.js';
import { buildServers } from './server.js';
import type { HttpMethod, MediaNode, OperationNode, RequestBodyNode, ResponseNode, SchemaObject, SecurityRequirement } from './types.js';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function buildContents(content: unknown, pointer: string): MediaNode[] {
  if (!content || typeof content !== 'object') return [];
  return Object.entries(content as Record<string, { schema?: SchemaObject; encoding?: Record<string, unknown> } | null>).map(([mediaType, media]) => ({
    kind: 'media',
    pointer: `${pointer}/content/${mediaType.replace(/~/g, '~0').replace(/\//g, '~1')}`,
    mediaType,
    schema: media?.schema,
    ...(media?.encoding && typeof media.encoding === 'object' ? { encoding: media.encoding } : {}),
  }));
}

function buildRequestBody(ctx: IrContext, raw: unknown, pointer: string): RequestBodyNode | undefined {
  if (raw === undefined) return undefined;
  const found = deref(ctx, raw, pointer);
  if (!found) return undefined;
  return {
    kind: 'requestBody',
    pointer: found.pointer,
    required: found.value.required === true,
    description: optionalString(found.value.description),
    contents: buildContents(found.value.content, found.pointer),
  };
}

function buildResponses(ctx: IrContext, raw: unknown, pointer: string): ResponseNode[] {
  if (!raw || typeof raw !== 'object') return [];
  const nodes: ResponseNode[] = [];
  for (const [status, value] of Object.entries(raw as Record<string, unknown>)) {
    const found = deref(ctx, value, `${pointer}/${status}`);
    if (!found) continue;
    nodes.push({ kind: 'response', pointer: found.pointer, status, description: optionalString(found.value.description), contents: buildContents(found.value.content, found.pointer) });
  }
  return nodes;
}

export function buildOperation(
  ctx: IrContext,
  path: string,
  method: (typeof HTTP_METHODS)[number],
  pathItem: Record<string, unknown>,
  rootSecurity: readonly SecurityRequirement[],
): OperationNode | undefined {
  const pathPointer = pointerOf('paths', path);
  const pointer = `${pathPointer}/${method}`;
  const op = pathItem[method] as Record<string, unknown> | undefined;
  if (!op || typeof op !== 'object') return undefined;
  return {
    kind: 'operation',
    pointer,
    method: method.toUpperCase() as HttpMethod,
    path,
    operationId: optionalString(op.operationId),
    summary: optionalString(op.summary),
    description: optionalString(op.description),
    tags: Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === 'string') : [],
    deprecated: op.deprecated === true,
    parameters: mergeParameters(ctx, pathItem, op, pathPointer, pointer),
    requestBody: buildRequestBody(ctx, op.requestBody, `${pointer}/requestBody`),
    responses: buildResponses(ctx, op.responses, `${pointer}/responses`),
    security: readSecurity(op.security) ?? rootSecurity,
    servers: Array.isArray(op.servers) && op.servers.length ? buildServers(op.servers, `${pointer}/servers`) : buildServers(pathItem.servers, `${pathPointer}/servers`),
    ...(op['x-idempotent'] === true ? { idempotent: true as const } : {}),
  };
}
