// MCP resources and resource templates backed by GET operations. Listing a
// template's items and completing its variables call the collection operation the
// config named; everything derivable from the tables is built once per process.

import {
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  UriTemplate,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplateType,
} from '@modelcontextprotocol/server';
import { sendOperation, type CallOptions } from './call.js';
import { decode, isJson, isTextual, mediaType, readBounded, statusLine } from './response.js';
import type { ApiDef, OperationDef, ResourceDef, ResourceTemplateDef } from './types.js';

export type ResourceCallOptions = Omit<CallOptions, 'signal'>;

/** The protocol era of the client, which decides the resource-not-found error code. */
export type Era = 'legacy' | 'modern';

/**
 * 2025-11-25 recommends -32002 for an unknown resource; 2026-07-28 standardised
 * -32602 (SEP-2164), which the SDK's ResourceNotFoundError carries.
 */
export function resourceNotFound(uri: string, era: Era): ProtocolError {
  if (era === 'modern') return new ResourceNotFoundError(uri);
  return new ProtocolError(-32002 as ProtocolErrorCode, `Resource not found: ${uri}`, { uri });
}

/** How many listed items resources/list and completion return at most per template. */
const MAX_LISTED = 100;

function describe(def: ResourceDef | ResourceTemplateDef): { title?: string; description?: string } {
  return { ...(def.title === undefined ? {} : { title: def.title }), ...(def.description === undefined ? {} : { description: def.description }) };
}

interface CompiledTemplate {
  readonly def: ResourceTemplateDef;
  readonly template: UriTemplate;
}

export class ResourceTable {
  private readonly byUri: ReadonlyMap<string, ResourceDef>;
  private readonly templates: readonly CompiledTemplate[];
  readonly listedTemplates: readonly ResourceTemplateType[];
  private readonly staticResources: readonly Resource[];

  constructor(
    private readonly api: ApiDef,
    resources: readonly ResourceDef[],
    templates: readonly ResourceTemplateDef[],
    private readonly options: ResourceCallOptions,
  ) {
    this.byUri = new Map(resources.map((r) => [r.uri, r]));
    this.templates = templates.map((def) => ({ def, template: new UriTemplate(def.uriTemplate) }));
    this.staticResources = resources.map((r) => ({ uri: r.uri, name: r.name, mimeType: r.mimeType, ...describe(r) }));
    this.listedTemplates = templates.map((t) => ({ uriTemplate: t.uriTemplate, name: t.name, mimeType: t.mimeType, ...describe(t) }));
  }

  get empty(): boolean {
    return this.byUri.size === 0 && this.templates.length === 0;
  }

  /** Fixed resources, then the items of every listed template (a failing collection is skipped). */
  async list(signal: AbortSignal): Promise<Resource[]> {
    const listed: Resource[] = [...this.staticResources];
    for (const { def, template } of this.templates) {
      if (!def.list) continue;
      const items = await this.collection(def, signal).catch(() => []);
      for (const item of items.slice(0, MAX_LISTED)) {
        const id = item[def.list.id];
        if (typeof id !== 'string' && typeof id !== 'number') continue;
        const variable = def.variables[0]!.name;
        const name = item[def.list.name];
        listed.push({ uri: template.expand({ [variable]: String(id) }), name: typeof name === 'string' ? name : String(id), mimeType: def.mimeType });
      }
    }
    return listed;
  }

  async read(uri: string, signal: AbortSignal, era: Era = 'modern'): Promise<ReadResourceResult> {
    const fixed = this.byUri.get(uri);
    if (fixed) return this.fetch(uri, fixed.operation, {}, fixed.mimeType, signal, era);
    for (const { def, template } of this.templates) {
      const match = template.match(uri);
      if (!match) continue;
      const args: Record<string, unknown> = {};
      for (const variable of def.variables) {
        const value = match[variable.name];
        if (typeof value !== 'string' || value === '') throw resourceNotFound(uri, era);
        args[variable.arg] = value;
      }
      return this.fetch(uri, def.operation, args, def.mimeType, signal, era);
    }
    throw resourceNotFound(uri, era);
  }

  /** Values for a template variable: its enum, else ids from the template's collection. */
  async complete(uriTemplate: string, variable: string, prefix: string, signal: AbortSignal): Promise<string[]> {
    const compiled = this.templates.find((t) => t.def.uriTemplate === uriTemplate);
    if (!compiled) return [];
    const def = compiled.def;
    const declared = def.variables.find((v) => v.name === variable);
    if (!declared) return [];
    let values: string[] = declared.enum ? [...declared.enum] : [];
    if (!values.length && def.list && def.variables.length === 1) {
      const items = await this.collection(def, signal).catch(() => []);
      values = items.map((item) => item[def.list!.id]).filter((v) => typeof v === 'string' || typeof v === 'number').map(String);
    }
    return values.filter((v) => v.startsWith(prefix)).slice(0, MAX_LISTED);
  }

  private async collection(def: ResourceTemplateDef, signal: AbortSignal): Promise<Record<string, unknown>[]> {
    const list = def.list!;
    const sent = await sendOperation(this.api, list.operation, {}, { ...this.options, signal });
    if (!sent.ok || !sent.response.ok) return [];
    const { bytes, truncated } = await readBounded(sent.response, this.options.maxBytes * 10);
    if (truncated) return [];
    const body: unknown = JSON.parse(decode(bytes, mediaType(sent.response.headers.get('content-type')).charset));
    const items = list.items === undefined ? body : (body as Record<string, unknown> | null)?.[list.items];
    return Array.isArray(items) ? items.filter((i): i is Record<string, unknown> => i !== null && typeof i === 'object') : [];
  }

  private async fetch(uri: string, operation: OperationDef, args: Record<string, unknown>, declaredType: string, signal: AbortSignal, era: Era): Promise<ReadResourceResult> {
    const sent = await sendOperation(this.api, operation, args, { ...this.options, signal });
    if (!sent.ok) throw new ProtocolError(ProtocolErrorCode.InternalError, sent.message);
    const res = sent.response;
    if (res.status === 404 || res.status === 410) throw resourceNotFound(uri, era);
    const { bytes, truncated } = await readBounded(res, this.options.maxBytes);
    const type = mediaType(res.headers.get('content-type'));
    if (!res.ok) {
      const excerpt = decode(bytes, type.charset).slice(0, 2_000);
      throw new ProtocolError(ProtocolErrorCode.InternalError, `${statusLine(res)} from ${sent.label}: ${excerpt}`);
    }
    if (truncated) throw new ProtocolError(ProtocolErrorCode.InternalError, `The resource is larger than ${this.options.maxBytes} bytes (MCPGEN_MAX_RESPONSE_BYTES).`);
    const mimeType = type.essence || declaredType;
    if (isJson(type) || isTextual(type) || (type.essence === '' && declaredType === 'application/json')) {
      return { contents: [{ uri, mimeType: isJson(type) ? 'application/json' : mimeType, text: decode(bytes, type.charset) }] };
    }
    return { contents: [{ uri, mimeType, blob: Buffer.from(bytes).toString('base64') }] };
  }
}
