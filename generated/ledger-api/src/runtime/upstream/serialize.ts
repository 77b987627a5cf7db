// Parameter serialization per the OpenAPI 3.1 style table
// (https://spec.openapis.org/oas/v3.1.1#style-examples), which follows RFC 6570.
//
// Where 3.1.0 and 3.1.1 disagree we follow 3.1.1, because 3.1.1 is the erratum that
// realigned the table with RFC 6570: label/explode=false joins with "," (".blue,black,brown"),
// and space/pipeDelimited keep the "name=" prefix ("color=blue%20black%20brown").
//
// Every function here is pure: values in, wire text out. `undefined` means "send nothing".

import type { ParameterStyle } from '../types.js';

export interface SerializableParameter {
  readonly name: string;
  readonly style: ParameterStyle;
  readonly explode: boolean;
  readonly allowReserved?: boolean;
}

type Shape =
  | { readonly kind: 'scalar'; readonly value: string }
  | { readonly kind: 'array'; readonly items: readonly string[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, string])[] };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  // Nested structures have no defined serialization in the style table; JSON is the
  // least surprising thing an upstream can still decode.
  return JSON.stringify(value) ?? '';
}

// RFC 6570 treats null/undefined members, empty lists and empty maps as undefined.
function shapeOf(value: unknown): Shape | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    const items = value.filter((item) => item !== undefined && item !== null).map(scalarText);
    return items.length === 0 ? undefined : { kind: 'array', items };
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => [k, scalarText(v)] as const);
    return entries.length === 0 ? undefined : { kind: 'object', entries };
  }
  return { kind: 'scalar', value: scalarText(value) };
}

// encodeURIComponent throws URIError on lone surrogates; a model can send those.
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Percent-encodes everything outside RFC 3986 `unreserved`. */
function encodeUnreserved(text: string): string {
  return encodeURIComponent(wellFormed(text)).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Encodes one value for a path. Nothing in the result can act as a path delimiter,
 * so a value can never add, remove or climb segments.
 */
export function encodePathValue(text: string): string {
  if (text === '.') return '%2E';
  if (text === '..') return '%2E%2E';
  return encodeUnreserved(text);
}

/** Query keys and values: like encodeURIComponent (space as %20). */
export function encodeQueryComponent(text: string): string {
  return encodeURIComponent(wellFormed(text));
}

// RFC 3986 reserved characters minus the query's own delimiters: an unencoded "#" would
// end the query and silently drop the rest of the URL, and an unencoded "&" or "=" would
// let a value add parameters of its own (another declared parameter, or a second api_key
// before the real one). allowReserved was never meant to allow either.
const RESERVED_KEPT = /%(3A|2F|3F|5B|5D|40|21|24|27|28|29|2A|2B|2C|3B)/gi;

function encodeQueryValue(text: string, allowReserved: boolean): string {
  const encoded = encodeQueryComponent(text);
  return allowReserved ? encoded.replace(RESERVED_KEPT, (triplet) => decodeURIComponent(triplet)) : encoded;
}

/**
 * Serializes a path parameter to the text that replaces `{name}` in the template.
 * Styles: simple (default), label, matrix.
 */
export function serializePathParameter(param: SerializableParameter, value: unknown): string | undefined {
  const shape = shapeOf(value);
  if (shape === undefined) return undefined;
  const enc = encodePathValue;
  switch (param.style) {
    case 'label': {
      if (shape.kind === 'scalar') return `.${enc(shape.value)}`;
      if (shape.kind === 'array') return `.${shape.items.map(enc).join(param.explode ? '.' : ',')}`;
      return param.explode
        ? `.${shape.entries.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('.')}`
        : `.${shape.entries.map(([k, v]) => `${enc(k)},${enc(v)}`).join(',')}`;
    }
    case 'matrix': {
      const name = enc(param.name);
      if (shape.kind === 'scalar') return shape.value === '' ? `;${name}` : `;${name}=${enc(shape.value)}`;
      if (shape.kind === 'array') {
        return param.explode
          ? shape.items.map((item) => `;${name}=${enc(item)}`).join('')
          : `;${name}=${shape.items.map(enc).join(',')}`;
      }
      return param.explode
        ? shape.entries.map(([k, v]) => `;${enc(k)}=${enc(v)}`).join('')
        : `;${name}=${shape.entries.map(([k, v]) => `${enc(k)},${enc(v)}`).join(',')}`;
    }
    default:
      return simple(shape, param.explode, enc);
  }
}

function simple(shape: Shape, explode: boolean, enc: (text: string) => string): string {
  if (shape.kind === 'scalar') return enc(shape.value);
  if (shape.kind === 'array') return shape.items.map(enc).join(',');
  return explode
    ? shape.entries.map(([k, v]) => `${enc(k)}=${enc(v)}`).join(',')
    : shape.entries.map(([k, v]) => `${enc(k)},${enc(v)}`).join(',');
}

/**
 * Serializes a query parameter to `k=v` pairs joined by `&` (no leading `?`).
 * Styles: form (default), spaceDelimited, pipeDelimited, deepObject.
 */
export function serializeQueryParameter(param: SerializableParameter, value: unknown): string | undefined {
  const shape = shapeOf(value);
  if (shape === undefined) return undefined;
  const key = encodeQueryComponent(param.name);
  const val = (text: string): string => encodeQueryValue(text, param.allowReserved === true);
  const formExploded = (): string =>
    shape.kind === 'array'
      ? shape.items.map((item) => `${key}=${val(item)}`).join('&')
      : shape.kind === 'object'
        ? shape.entries.map(([k, v]) => `${encodeQueryComponent(k)}=${val(v)}`).join('&')
        : `${key}=${val(shape.value)}`;

  if (shape.kind === 'scalar') return `${key}=${val(shape.value)}`;
  switch (param.style) {
    case 'deepObject':
      if (shape.kind === 'object') {
        return deepObjectPairs(key, value as Record<string, unknown>, val).join('&');
      }
      return formExploded();
    case 'spaceDelimited':
    case 'pipeDelimited': {
      if (param.explode) return formExploded();
      const delimiter = param.style === 'spaceDelimited' ? '%20' : '|';
      const parts = shape.kind === 'array' ? shape.items.map(val) : shape.entries.flatMap(([k, v]) => [val(k), val(v)]);
      return `${key}=${parts.join(delimiter)}`;
    }
    default: {
      if (param.explode) return formExploded();
      const parts = shape.kind === 'array' ? shape.items.map(val) : shape.entries.flatMap(([k, v]) => [val(k), val(v)]);
      return `${key}=${parts.join(',')}`;
    }
  }
}

// The style table stops at one level; nested objects follow the widespread
// `a[b][c]=v` convention (qs, Rails, PHP) and arrays repeat the key.
function deepObjectPairs(prefix: string, object: Record<string, unknown>, val: (text: string) => string): string[] {
  const pairs: string[] = [];
  for (const [k, v] of Object.entries(object)) {
    if (v === undefined || v === null) continue;
    const key = `${prefix}[${encodeQueryComponent(k)}]`;
    if (isPlainObject(v)) pairs.push(...deepObjectPairs(key, v, val));
    else if (Array.isArray(v)) {
      for (const item of v) if (item !== undefined && item !== null) pairs.push(`${key}=${val(scalarText(item))}`);
    } else pairs.push(`${key}=${val(scalarText(v))}`);
  }
  return pairs;
}

/** Serializes a header parameter value (style simple). Header values are not percent-encoded. */
export function serializeHeaderParameter(param: SerializableParameter, value: unknown): string | undefined {
  const shape = shapeOf(value);
  return shape === undefined ? undefined : simple(shape, param.explode, (text) => text);
}

/**
 * Serializes a cookie parameter (style form) to `name=value` pairs joined by `; `,
 * ready to be concatenated into one Cookie header.
 */
export function serializeCookieParameter(param: SerializableParameter, value: unknown): string | undefined {
  const shape = shapeOf(value);
  if (shape === undefined) return undefined;
  const enc = encodeQueryComponent;
  const name = enc(param.name);
  if (shape.kind === 'scalar') return `${name}=${enc(shape.value)}`;
  if (shape.kind === 'array') {
    return param.explode
      ? shape.items.map((item) => `${name}=${enc(item)}`).join('; ')
      : `${name}=${shape.items.map(enc).join(',')}`;
  }
  return param.explode
    ? shape.entries.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('; ')
    : `${name}=${shape.entries.map(([k, v]) => `${enc(k)},${enc(v)}`).join(',')}`;
}
