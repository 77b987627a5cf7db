// https://spec.openapis.org/oas/v3.1.0#parameter-object
import { pointerOf } from '../diagnostics/diagnostic.js';
import { deref, optionalString, type IrContext } from './context.js';
import type { ParameterNode, SchemaObject } from './types.js';

const LOCATIONS = new Set(['path', 'query', 'header', 'cookie']);
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);
const STYLES = new Set(['simple', 'label', 'matrix', 'form', 'spaceDelimited', 'pipeDelimited', 'deepObject']);

/** Default style per location, per the spec's style values table. */
function defaultStyle(location: ParameterNode['in']): ParameterNode['style'] {
  return location === 'query' || location === 'cookie' ? 'form' : 'simple';
}

export function buildParameter(ctx: IrContext, raw: unknown, pointer: string): ParameterNode | undefined {
  const found = deref(ctx, raw, pointer);
  if (!found) return undefined;
  const p = found.value;
  const location = p.in;
  if (typeof p.name !== 'string' || typeof location !== 'string' || !LOCATIONS.has(location)) return undefined;
  const where = location as ParameterNode['in'];
  // Spec: header parameters named Accept, Content-Type or Authorization SHALL be ignored
  // (the media types and security schemes decide those headers).
  if (where === 'header' && IGNORED_HEADERS.has(p.name.toLowerCase())) {
    ctx.diagnostics.push({
      code: 'MCPGEN_PARAMETER_IGNORED',
      severity: 'warning',
      file: ctx.file,
      pointer: found.pointer,
      message: `Header parameter "${p.name}" is ignored: the OpenAPI spec says ${p.name} comes from the media types or security schemes, never from a parameter.`,
      help: 'A defect in the spec; remove the parameter (a mock that enforces it will reject requests without a body).',
    });
    return undefined;
  }
  const style = typeof p.style === 'string' && STYLES.has(p.style) ? (p.style as ParameterNode['style']) : defaultStyle(where);
  // explode defaults to true only for form (spec: "When style is form, the default value is true").
  const explode = typeof p.explode === 'boolean' ? p.explode : style === 'form';
  let schema = p.schema as SchemaObject | undefined;
  let contentMediaType: string | undefined;
  if (!schema && p.content && typeof p.content === 'object') {
    const [mediaType, media] = Object.entries(p.content as Record<string, { schema?: SchemaObject }>)[0] ?? [];
    contentMediaType = mediaType;
    schema = media?.schema;
  }
  return {
    kind: 'parameter',
    pointer: found.pointer,
    name: p.name,
    in: where,
    // Path parameters are always required (spec: "this property MUST be true").
    required: where === 'path' ? true : p.required === true,
    description: optionalString(p.description),
    deprecated: p.deprecated === true,
    style,
    explode,
    allowReserved: p.allowReserved === true,
    schema,
    contentMediaType,
  };
}

/** Path-level parameters overridden by operation-level ones with the same name and location. */
export function mergeParameters(ctx: IrContext, pathItem: Record<string, unknown>, operation: Record<string, unknown>, pathPointer: string, opPointer: string): ParameterNode[] {
  const merged = new Map<string, ParameterNode>();
  const collect = (list: unknown, base: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, index) => {
      const node = buildParameter(ctx, raw, `${base}/parameters/${index}`);
      if (node) merged.set(`${node.in}:${node.name}`, node);
    });
  };
  collect(pathItem.parameters, pathPointer);
  collect(operation.parameters, opPointer);
  return [...merged.values()];
}

export { pointerOf };
