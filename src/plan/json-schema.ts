// Converts OpenAPI Schema Objects (3.0 and 3.1) into the portable JSON Schema
// subset MCP clients accept: object roots with `properties`, `items` on every
// array, no `$schema`, no `$ref` (inlined), cycles cut, constraints kept.
// https://spec.openapis.org/oas/v3.1.0#schema-object
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { isRef, resolveLocalRef } from '../ir/refs.js';
import type { SchemaObject } from '../ir/types.js';

export type JsonSchema = Record<string, unknown>;
export type Direction = 'input' | 'output';

/** Keywords copied as they are (their values are not schemas). */
const PLAIN_KEYWORDS = [
  'title', 'description', 'type', 'enum', 'const', 'format', 'default', 'examples', 'deprecated',
  'multipleOf', 'maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems',
  'maxProperties', 'minProperties', 'required', 'contentMediaType', 'contentEncoding',
] as const;

/** Keywords whose value is one schema. */
const SCHEMA_KEYWORDS = ['items', 'not', 'contains', 'propertyNames'] as const;
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;

/** Nesting beyond this depth is replaced by an unconstrained schema. */
export const MAX_SCHEMA_DEPTH = 16;

export interface SchemaConverterOptions {
  readonly document: unknown;
  readonly file: string;
  readonly openapiVersion: '3.0' | '3.1';
  readonly diagnostics: Diagnostic[];
}

interface Walk {
  readonly direction: Direction;
  readonly refStack: readonly string[];
  readonly depth: number;
  /** Pointer of the schema in the spec, for diagnostics. */
  readonly pointer: string;
}

interface Converted {
  readonly schema: JsonSchema;
  /** True when the result depends on the walk (a cycle or depth cut), so it cannot be memoized. */
  readonly cut: boolean;
}

/**
 * One converter per document: memoizes converted `$ref` targets per direction,
 * so large specs that reuse components convert each once.
 */
export class SchemaConverter {
  private readonly memo = new Map<string, JsonSchema>();
  private readonly reportedCycles = new Set<string>();

  constructor(private readonly options: SchemaConverterOptions) {}

  convert(schema: SchemaObject | undefined, direction: Direction, pointer: string): JsonSchema {
    if (schema === undefined) return {};
    return this.walk(schema, { direction, refStack: [], depth: 0, pointer }).schema;
  }

  private walk(schema: unknown, at: Walk): Converted {
    if (schema === true || schema === undefined || schema === null) return { schema: {}, cut: false };
    if (schema === false) return { schema: { not: {} }, cut: false };
    if (typeof schema !== 'object' || Array.isArray(schema)) return { schema: {}, cut: false };
    if (isRef(schema)) return this.walkRef(schema, at);
    if (at.depth > MAX_SCHEMA_DEPTH) {
      return { schema: { description: 'Nested too deeply to describe; any value is accepted.' }, cut: true };
    }
    return this.walkObject(schema as Record<string, unknown>, at);
  }

  private walkRef(schema: { $ref: string }, at: Walk): Converted {
    const ref = schema.$ref;
    if (at.refStack.includes(ref)) {
      if (!this.reportedCycles.has(ref)) {
        this.reportedCycles.add(ref);
        this.options.diagnostics.push({
          code: 'MCPGEN_SCHEMA_RECURSIVE',
          severity: 'info',
          file: this.options.file,
          pointer: ref,
          message: `Schema ${ref} refers to itself; the input schema accepts any value at the recursion.`,
        });
      }
      const name = ref.split('/').pop() ?? ref;
      return { schema: { description: `Recursive ${name} (same shape as its parent).` }, cut: true };
    }
    const key = `${at.direction}:${ref}`;
    const memoized = this.memo.get(key);
    if (memoized) return { schema: memoized, cut: false };
    const target = resolveLocalRef(this.options.document, ref);
    if (target === undefined) {
      this.options.diagnostics.push({
        code: 'MCPGEN_REF_NOT_FOUND',
        severity: 'error',
        file: this.options.file,
        pointer: `${at.pointer}/$ref`,
        message: `$ref "${ref}" points at nothing.`,
        help: 'Fix the reference or add the missing component.',
      });
      return { schema: {}, cut: true };
    }
    const converted = this.walk(target, { ...at, refStack: [...at.refStack, ref], pointer: ref });
    // 3.1 allows siblings next to $ref (e.g. a description); they refine the target.
    const siblings = Object.keys(schema).filter((k) => k !== '$ref');
    let result = converted.schema;
    if (siblings.length) {
      const rest = this.walkObject(Object.fromEntries(siblings.map((k) => [k, (schema as Record<string, unknown>)[k]])), at);
      result = { ...result, ...rest.schema };
      return { schema: result, cut: converted.cut || rest.cut };
    }
    if (!converted.cut) this.memo.set(key, result);
    return { schema: result, cut: converted.cut };
  }

  private walkObject(source: Record<string, unknown>, at: Walk): Converted {
    const out: JsonSchema = {};
    let cut = false;
    const child = (value: unknown, suffix: string): JsonSchema => {
      const converted = this.walk(value, { ...at, depth: at.depth + 1, pointer: `${at.pointer}/${suffix}` });
      cut ||= converted.cut;
      return converted.schema;
    };
    for (const keyword of PLAIN_KEYWORDS) {
      if (source[keyword] !== undefined) out[keyword] = source[keyword];
    }
    if (source.example !== undefined && out.examples === undefined) out.examples = [source.example];
    if (!Array.isArray(out.examples)) delete out.examples;
    this.normalizeNumericBounds(source, out);
    for (const keyword of SCHEMA_KEYWORDS) {
      if (source[keyword] !== undefined) out[keyword] = child(source[keyword], keyword);
    }
    for (const keyword of SCHEMA_LIST_KEYWORDS) {
      const list = source[keyword];
      if (Array.isArray(list)) out[keyword] = list.map((item, i) => child(item, `${keyword}/${i}`));
    }
    if (source.properties && typeof source.properties === 'object') {
      const properties: Record<string, JsonSchema> = {};
      const dropped: string[] = [];
      for (const [name, value] of Object.entries(source.properties as Record<string, unknown>)) {
        if (this.hiddenIn(value, at.direction)) {
          dropped.push(name);
          continue;
        }
        properties[name] = child(value, `properties/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      }
      out.properties = properties;
      if (Array.isArray(out.required)) {
        const required = (out.required as unknown[]).filter((r) => typeof r === 'string' && !dropped.includes(r));
        if (required.length) out.required = required;
        else delete out.required;
      }
    }
    const additional = source.additionalProperties;
    if (typeof additional === 'boolean') out.additionalProperties = additional;
    else if (additional && typeof additional === 'object') out.additionalProperties = child(additional, 'additionalProperties');
    if (source.nullable === true) this.addNull(out);
    const types = Array.isArray(out.type) ? out.type : [out.type];
    if (types.includes('array') && out.items === undefined && out.prefixItems === undefined) out.items = {};
    if (source.readOnly === true) out.readOnly = true;
    if (source.writeOnly === true) out.writeOnly = true;
    return { schema: out, cut };
  }

  /** 3.0 writes exclusive bounds as booleans beside minimum/maximum; 2020-12 as numbers. */
  private normalizeNumericBounds(source: Record<string, unknown>, out: JsonSchema): void {
    for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
      if (typeof source[exclusive] !== 'boolean') continue;
      delete out[exclusive];
      if (source[exclusive] === true && typeof source[bound] === 'number') {
        out[exclusive] = source[bound];
        delete out[bound];
      }
    }
  }

  private addNull(out: JsonSchema): void {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.type) && !out.type.includes('null')) out.type = [...out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }

  /** readOnly properties are not sent by clients; writeOnly ones are not returned. */
  private hiddenIn(value: unknown, direction: Direction): boolean {
    let target = value;
    for (let hops = 0; isRef(target) && hops < 8; hops++) target = resolveLocalRef(this.options.document, target.$ref);
    if (!target || typeof target !== 'object') return false;
    const flags = target as { readOnly?: unknown; writeOnly?: unknown };
    return direction === 'input' ? flags.readOnly === true : flags.writeOnly === true;
  }
}

/** Keywords that reject values; dropped from output schemas so an API's real answers always validate. */
const RESTRICTING_KEYWORDS = [
  'required', 'enum', 'const', 'format', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties',
  'not', 'oneOf', 'allOf', 'anyOf', 'default', 'examples', 'readOnly', 'writeOnly', 'contentMediaType', 'contentEncoding', 'prefixItems',
];

/** How many levels of an output schema are published; deeper levels accept anything. */
export const OUTPUT_SCHEMA_DEPTH = 3;

/**
 * An output schema that documents shape without rejecting what an upstream really
 * sends: no required lists, no closed objects, every type widened with null.
 * A client validates structuredContent against it, and APIs drift from their specs.
 */
export function relaxForOutput(schema: JsonSchema, depth = 0): JsonSchema {
  const out: JsonSchema = {};
  if (typeof schema.description === 'string') out.description = schema.description;
  if (typeof schema.title === 'string') out.title = schema.title;
  if (depth >= OUTPUT_SCHEMA_DEPTH) return out;
  const type = schema.type;
  if (type !== undefined) {
    const types = Array.isArray(type) ? [...type] : [type];
    if (types.includes('integer') && !types.includes('number')) types.push('number');
    if (!types.includes('null')) types.push('null');
    out.type = types;
  }
  const properties = collectProperties(schema);
  if (properties) {
    if (out.type === undefined) out.type = ['object', 'null'];
    out.properties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, relaxForOutput(v, depth + 1)]));
  }
  if (schema.items && typeof schema.items === 'object') out.items = relaxForOutput(schema.items as JsonSchema, depth + 1);
  for (const keyword of RESTRICTING_KEYWORDS) delete out[keyword];
  return out;
}

/** Properties of an object schema, including those its allOf members contribute. */
export function collectProperties(schema: JsonSchema): Record<string, JsonSchema> | undefined {
  let found: Record<string, JsonSchema> | undefined;
  if (schema.properties && typeof schema.properties === 'object') found = { ...(schema.properties as Record<string, JsonSchema>) };
  if (Array.isArray(schema.allOf)) {
    for (const member of schema.allOf as JsonSchema[]) {
      const inner = collectProperties(member);
      if (inner) found = { ...(found ?? {}), ...inner };
    }
  }
  return found;
}

/** True when a converted schema describes a JSON object (so it can be an outputSchema root). */
export function isObjectSchema(schema: JsonSchema): boolean {
  const type = schema.type;
  if (type === 'object' || (Array.isArray(type) && type.includes('object') && !type.includes('array'))) return true;
  return type === undefined && collectProperties(schema) !== undefined;
}

export function isArraySchema(schema: JsonSchema): boolean {
  const type = schema.type;
  return type === 'array' || (Array.isArray(type) && type.includes('array') && !type.includes('object'));
}
