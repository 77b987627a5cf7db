// MCP resources and resource templates backed by GET operations. Listing a
// template's items and completing its variables call the collection operation the
// config named; everything derivable from the tables is built once per process.
// With inbound auth on, a resource follows the scopes of its operation (see scopes.ts):
// `granted` is the caller's token's scopes, undefined when there is no caller to tell apart.

import {
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  UriTemplate,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplateType,
} from '@modelcontextprotocol/server';
import { operationName, sendOperation, type CallOptions } from './call.js';
import { applyAfterRead } from '../hooks.js';
import { dataRecord, ownValue } from '../own.js';
import { missingScopes, resourceScopeChallenge, type ScopeChallenge } from '../inbound/scopes.js';
import { cutOversizedJson, decode, isJson, isTextual, mediaType, readBounded, readCeiling, statusLine, truncationMarker } from '../upstream/response.js';
import type { ApiDef, OperationDef, ResourceDef, ResourceTemplateDef } from '../types.js';

export type ResourceCallOptions = Omit<CallOptions, 'signal'>;

/**
 * An unknown resource. 2025-11-25 recommended -32002, 2026-07-28 standardised -32602
 * (SEP-2164); the SDK sends -32602 to clients of both eras (it rewrites -32002), and
 * clients of both eras are told to accept it.
 */
function resourceNotFound(uri: string): ProtocolError {
  return new ResourceNotFoundError(uri);
}

/** How many listed items resources/list and completion return at most per template. */
const MAX_LISTED = 100;

/** URI template variables arrive percent-encoded (RFC 6570); the operation wants the value. */
function decodeVariable(value: string | string[] | undefined): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function describe(def: ResourceDef | ResourceTemplateDef): { title?: string; description?: string } {
  return { ...(def.title === undefined ? {} : { title: def.title }), ...(def.description === undefined ? {} : { description: def.description }) };
}

/** What reading a URI calls, found before anything is sent. */
interface ReadTarget {
  readonly def: ResourceDef | ResourceTemplateDef;
  readonly operation: OperationDef;
  readonly args: Record<string, unknown>;
  readonly mimeType: string;
}

/** Whether a caller holding `granted` may see and read `def` (always, without inbound auth). */
function permitted(def: { readonly scopes?: readonly string[] }, granted: readonly string[] | undefined): boolean {
  return missingScopes(def.scopes, granted).length === 0;
}

interface CompiledTemplate {
  readonly def: ResourceTemplateDef;
  /** Matches and expands with positional variable names (see positionalTemplate). */
  readonly template: UriTemplate;
}

/**
 * The SDK's UriTemplate.match collects variables with `result[name] = value`, which loses a
 * variable named `__proto__` (and `constructor` reads as a function when absent). Variable
 * names are data: the matcher works with `v0`, `v1`, … in the declared order instead.
 */
function positionalTemplate(def: ResourceTemplateDef): UriTemplate {
  const index = new Map(def.variables.map((variable, i) => [variable.name, i] as const));
  // One pass: a variable literally named `v0` must not be renamed twice.
  const positional = def.uriTemplate.replace(/\{([^}]*)\}/g, (whole, name: string) => {
    const i = index.get(name);
    return i === undefined ? whole : `{${positionalName(i)}}`;
  });
  return new UriTemplate(positional);
}

function positionalName(index: number): string {
  return `v${index}`;
}

export class ResourceTable {
  private readonly byUri: ReadonlyMap<string, ResourceDef>;
  private readonly resourceDefs: readonly ResourceDef[];
  private readonly templates: readonly CompiledTemplate[];
  private readonly listedTemplates: readonly ResourceTemplateType[];
  private readonly staticResources: readonly Resource[];
  /** Every scope some resource or listed collection requires, sorted. */
  readonly scopes: readonly string[];

  constructor(
    private readonly api: ApiDef,
    resources: readonly ResourceDef[],
    templates: readonly ResourceTemplateDef[],
    private readonly options: ResourceCallOptions,
  ) {
    this.byUri = new Map(resources.map((r) => [r.uri, r]));
    this.resourceDefs = resources;
    this.templates = templates.map((def) => ({ def, template: positionalTemplate(def) }));
    this.staticResources = resources.map((r) => ({ uri: r.uri, name: r.name, mimeType: r.mimeType, ...describe(r) }));
    this.listedTemplates = templates.map((t) => ({ uriTemplate: t.uriTemplate, name: t.name, mimeType: t.mimeType, ...describe(t) }));
    const required = [...resources, ...templates, ...templates.flatMap((t) => (t.list ? [t.list] : []))].flatMap((def) => def.scopes ?? []);
    this.scopes = [...new Set(required)].sort();
  }

  /** The templates a caller may see. */
  templatesFor(granted: readonly string[] | undefined): ResourceTemplateType[] {
    return this.listedTemplates.filter((_, i) => permitted(this.templates[i]!.def, granted));
  }

  /**
   * The refusal of a read whose resource the caller's token lacks scopes for; undefined when
   * the read may go ahead or the URI names no resource (answered as not found).
   */
  challenge(uri: string, granted: readonly string[] | undefined): ScopeChallenge | undefined {
    const target = this.target(uri);
    if (target === undefined) return undefined;
    const missing = missingScopes(target.def.scopes, granted);
    return missing.length === 0 ? undefined : resourceScopeChallenge(target.def.name, target.def.scopes ?? missing, missing);
  }

  get empty(): boolean {
    return this.byUri.size === 0 && this.templates.length === 0;
  }

  /** Fixed resources, then the items of every listed template (a failing collection is skipped). */
  async list(signal: AbortSignal, granted: readonly string[] | undefined): Promise<Resource[]> {
    const listed: Resource[] = this.staticResources.filter((_, i) => permitted(this.resourceDefs[i]!, granted));
    for (const { def, template } of this.templates) {
      if (!def.list || !permitted(def, granted) || !permitted(def.list, granted)) continue;
      const items = await this.collection(def, signal).catch(() => []);
      for (const item of items.slice(0, MAX_LISTED)) {
        const id = ownValue(item, def.list.id);
        if (typeof id !== 'string' && typeof id !== 'number') continue;
        const name = ownValue(item, def.list.name);
        listed.push({ uri: template.expand({ [positionalName(0)]: String(id) }), name: typeof name === 'string' ? name : String(id), mimeType: def.mimeType });
      }
    }
    return listed;
  }

  /** Reads `uri`; a caller without the resource's scopes is refused before anything is sent. */
  async read(uri: string, signal: AbortSignal, granted: readonly string[] | undefined): Promise<ReadResourceResult> {
    const target = this.target(uri);
    if (target === undefined) throw resourceNotFound(uri);
    const refusal = this.challenge(uri, granted);
    // Over HTTP the transport answers 403 first (see http.ts); this covers what it does not see (prompts/get).
    if (refusal !== undefined) throw new ProtocolError(ProtocolErrorCode.InvalidParams, refusal.message);
    const { result, status } = await this.fetch(uri, target.operation, target.args, target.mimeType, signal);
    // The hooks module's afterResponse sees reads as it sees tool calls of the same operation.
    return applyAfterRead(this.options.hooks, { uri, operation: operationName(target.operation), arguments: target.args, status, result });
  }

  /** The resource a URI names and the request reading it makes, or undefined. */
  private target(uri: string): ReadTarget | undefined {
    const fixed = this.byUri.get(uri);
    if (fixed) return { def: fixed, operation: fixed.operation, args: {}, mimeType: fixed.mimeType };
    for (const { def, template } of this.templates) {
      const match = template.match(uri);
      if (!match) continue;
      const args = dataRecord();
      for (const [i, variable] of def.variables.entries()) {
        const value = decodeVariable(ownValue(match, positionalName(i)) as string | string[] | undefined);
        if (value === undefined) return undefined;
        args[variable.arg] = value;
      }
      return { def, operation: def.operation, args, mimeType: def.mimeType };
    }
    return undefined;
  }

  /** Values for a template variable: its enum, else ids from the template's collection. */
  async complete(uriTemplate: string, variable: string, prefix: string, signal: AbortSignal, granted: readonly string[] | undefined): Promise<string[]> {
    const compiled = this.templates.find((t) => t.def.uriTemplate === uriTemplate);
    if (!compiled || !permitted(compiled.def, granted)) return [];
    const def = compiled.def;
    const declared = def.variables.find((v) => v.name === variable);
    if (!declared) return [];
    let values: string[] = declared.enum ? [...declared.enum] : [];
    if (!values.length && def.list && def.variables.length === 1 && permitted(def.list, granted)) {
      const items = await this.collection(def, signal).catch(() => []);
      values = items.map((item) => ownValue(item, def.list!.id)).filter((v) => typeof v === 'string' || typeof v === 'number').map(String);
    }
    return values.filter((v) => v.startsWith(prefix)).slice(0, MAX_LISTED);
  }

  private async collection(def: ResourceTemplateDef, signal: AbortSignal): Promise<Record<string, unknown>[]> {
    const list = def.list!;
    const sent = await sendOperation(this.api, list.operation, {}, { ...this.options, signal });
    if (!sent.ok) return [];
    if (!sent.response.ok) {
      sent.finish();
      return [];
    }
    const { bytes, truncated } = await readBounded(sent.response, this.options.maxBytes * 10).finally(sent.finish);
    if (truncated) return [];
    const body: unknown = JSON.parse(decode(bytes, mediaType(sent.response.headers.get('content-type')).charset));
    const items = list.items === undefined ? body : typeof body === 'object' && body !== null ? ownValue(body, list.items) : undefined;
    return Array.isArray(items) ? items.filter((i): i is Record<string, unknown> => i !== null && typeof i === 'object') : [];
  }

  private async fetch(uri: string, operation: OperationDef, args: Record<string, unknown>, declaredType: string, signal: AbortSignal): Promise<{ result: ReadResourceResult; status: number }> {
    const sent = await sendOperation(this.api, operation, args, { ...this.options, signal });
    // A variable that cannot form a request (e.g. a dot segment) names no resource.
    if (!sent.ok && sent.reason === 'arguments') throw resourceNotFound(uri);
    if (!sent.ok) throw new ProtocolError(ProtocolErrorCode.InternalError, sent.message);
    const res = sent.response;
    if (res.status === 404 || res.status === 410) {
      sent.finish();
      throw resourceNotFound(uri);
    }
    const type = mediaType(res.headers.get('content-type'));
    const json = isJson(type) || (type.essence === '' && declaredType === 'application/json');
    // JSON is read further than the limit, as for tools, so it can be cut at whole items.
    const { bytes, truncated } = await readBounded(res, res.ok && json ? readCeiling(this.options) : this.options.maxBytes).finally(sent.finish);
    if (!res.ok) {
      const excerpt = decode(bytes, type.charset).slice(0, 2_000);
      throw new ProtocolError(ProtocolErrorCode.InternalError, `${statusLine(res)} from ${sent.label}: ${excerpt}`);
    }
    const mimeType = type.essence || declaredType;
    const done = (result: ReadResourceResult) => ({ result, status: res.status });
    if (json) {
      const body = decode(bytes, type.charset);
      if (!truncated && bytes.byteLength <= this.options.maxBytes) return done({ contents: [{ uri, mimeType: 'application/json', text: body }] });
      // A large success stays a success: the JSON cut at whole items, then a note saying
      // how much was kept and how to get the rest (truncate.ts, as for tools).
      let parsed: unknown;
      try {
        parsed = truncated ? undefined : JSON.parse(body);
      } catch {
        parsed = undefined;
      }
      const cut = cutOversizedJson(operation, body, parsed, truncated, undefined, this.options);
      return done({ contents: [{ uri, mimeType: cut.json ? 'application/json' : 'text/plain', text: cut.text }, { uri, mimeType: 'text/plain', text: cut.note }] });
    }
    if (isTextual(type)) {
      const text = decode(bytes, type.charset);
      return done({ contents: [{ uri, mimeType, text: truncated ? text + truncationMarker(this.options.maxBytes) : text }] });
    }
    // A cut image or file is not a smaller image or file.
    if (truncated) throw new ProtocolError(ProtocolErrorCode.InternalError, `The resource is larger than ${this.options.maxBytes} bytes (MCPGEN_MAX_RESPONSE_BYTES).`);
    return done({ contents: [{ uri, mimeType, blob: Buffer.from(bytes).toString('base64') }] });
  }
}
