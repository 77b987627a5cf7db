// Request bodies per the OpenAPI 3.1 Request Body, Media Type and Encoding Objects
// (https://spec.openapis.org/oas/v3.1.1#request-body-object, #encoding-object):
// the body argument of a tool call in, fetch's body and Content-Type out.
//
// Binary data reaches a tool as base64 text (JSON cannot carry bytes): a whole binary
// body as `"<base64>"` or `{ data, mediaType? }`, a multipart file as `{ data, filename?, mediaType? }`.

import { Buffer } from 'node:buffer';
import { RequestBuildError } from './errors.js';
import { ownValue } from '../own.js';
import { encodeQueryComponent, isPlainObject, serializeQueryParameter } from './serialize.js';
import type { BodyDef, BodyMediaDef, ParameterStyle, PropertyEncodingDef } from '../types.js';

export type BodyPayload = NonNullable<RequestInit['body']>;

export interface SerializedBody {
  /** Absent for multipart: fetch then sets `multipart/form-data; boundary=…` itself. */
  readonly contentType?: string;
  readonly payload: BodyPayload;
}

const OCTET_STREAM = 'application/octet-stream';
const FORM_URLENCODED = 'application/x-www-form-urlencoded';

/**
 * Serializes the request body held in `args[body.arg]`; `undefined` when it is absent and optional.
 * The media type sent is `args[body.mediaTypeArg]` when given, else the first of `body.media`.
 */
export function serializeBody(body: BodyDef, args: Record<string, unknown>): SerializedBody | undefined {
  const value = ownValue(args, body.arg);
  if (value === undefined) {
    if (body.required) throw new RequestBuildError(`missing required request body "${body.arg}"`);
    return undefined;
  }
  const media = chooseMedia(body, args);
  switch (media.kind) {
    case 'json':
      return { contentType: concreteMediaType(media.mediaType) ?? 'application/json', payload: JSON.stringify(value) };
    case 'form':
      return formBody(body.arg, media, value);
    case 'multipart':
      return multipartBody(body.arg, media, value);
    case 'text':
      return textBody(body.arg, media, value);
    case 'binary':
      return binaryBody(body.arg, media, value);
  }
}

function chooseMedia(body: BodyDef, args: Record<string, unknown>): BodyMediaDef {
  const fallback = body.media[0];
  if (fallback === undefined) throw new RequestBuildError(`request body "${body.arg}" declares no media type`);
  if (body.mediaTypeArg === undefined) return fallback;
  const chosen = ownValue(args, body.mediaTypeArg);
  if (chosen === undefined || chosen === null) return fallback;
  const wanted = typeof chosen === 'string' ? chosen.trim().toLowerCase() : undefined;
  const match = body.media.find((media) => media.mediaType.toLowerCase() === wanted);
  if (match === undefined) {
    const allowed = body.media.map((media) => JSON.stringify(media.mediaType)).join(', ');
    throw new RequestBuildError(`"${body.mediaTypeArg}" must be one of: ${allowed}`);
  }
  return match;
}

/** True for application/json and structured-syntax JSON types such as application/merge-patch+json. */
export function isJsonMediaType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && /^application\/(?:[^\s/;]*\+)?json\s*(?:;|$)/i.test(mediaType.trim());
}

/** The media type itself when it names exactly one type (no wildcard, no comma-separated list). */
function concreteMediaType(mediaType: string | undefined): string | undefined {
  if (mediaType === undefined) return undefined;
  const trimmed = mediaType.trim();
  return trimmed === '' || trimmed.includes('*') || trimmed.includes(',') ? undefined : trimmed;
}

// ---------------------------------------------------------------- form

/** The Encoding Object of one property: a property named `constructor` has none unless declared. */
function encodingOf(media: BodyMediaDef, name: string): PropertyEncodingDef | undefined {
  return media.encoding === undefined ? undefined : (ownValue(media.encoding, name) as PropertyEncodingDef | undefined);
}

function formBody(arg: string, media: BodyMediaDef, value: unknown): SerializedBody {
  if (!isPlainObject(value)) {
    throw new RequestBuildError(`request body "${arg}" must be an object to be sent as ${FORM_URLENCODED}`);
  }
  const pairs: string[] = [];
  for (const [name, property] of Object.entries(value)) {
    const text = formPair(name, property, encodingOf(media, name));
    if (text !== undefined && text !== '') pairs.push(text);
  }
  return { contentType: FORM_URLENCODED, payload: pairs.join('&') };
}

function formPair(name: string, value: unknown, encoding: PropertyEncodingDef | undefined): string | undefined {
  // Encoding Object: an explicit style wins over contentType.
  if (encoding?.style === undefined && isJsonMediaType(encoding?.contentType)) {
    return value === undefined ? undefined : `${encodeQueryComponent(name)}=${encodeQueryComponent(JSON.stringify(value))}`;
  }
  const style: ParameterStyle = encoding?.style ?? 'form';
  // As for parameters: explode defaults to true for style form only.
  const explode = encoding?.explode ?? style === 'form';
  return serializeQueryParameter({ name, style, explode, allowReserved: encoding?.allowReserved === true }, value);
}

// ---------------------------------------------------------------- multipart

function multipartBody(arg: string, media: BodyMediaDef, value: unknown): SerializedBody {
  if (!isPlainObject(value)) throw new RequestBuildError(`request body "${arg}" must be an object to be sent as multipart/form-data`);
  const form = new FormData();
  const files = new Set(media.files ?? []);
  for (const [name, property] of Object.entries(value)) {
    if (property === undefined || property === null) continue;
    const encoding = encodingOf(media, name);
    if (files.has(name)) {
      if (Array.isArray(property)) property.forEach((file, i) => appendFile(form, name, file, encoding, `${arg}.${name}[${i}]`));
      else appendFile(form, name, property, encoding, `${arg}.${name}`);
      continue;
    }
    const partType = concreteMediaType(encoding?.contentType);
    // Encoding Object: an array's content type is that of its items, so each item is a part
    // of its own (repeated name), unless the whole array is declared as one JSON part.
    if (Array.isArray(property) && !isJsonMediaType(partType)) {
      for (const item of property) if (item !== undefined && item !== null) appendField(form, name, item, partType);
    } else {
      appendField(form, name, property, partType);
    }
  }
  return { payload: form };
}

function appendField(form: FormData, name: string, value: unknown, partType: string | undefined): void {
  if (typeof value === 'object' || isJsonMediaType(partType)) {
    form.append(name, typedPart(JSON.stringify(value), isJsonMediaType(partType) && partType !== undefined ? partType : 'application/json'));
    return;
  }
  const text = typeof value === 'string' ? value : String(value);
  // Primitives default to text/plain, which is what a part without a Content-Type means.
  if (partType === undefined || partType.toLowerCase() === 'text/plain') form.append(name, text);
  else form.append(name, typedPart(text, partType));
}

// A File with an empty name: its part carries a Content-Type but no filename, so the
// upstream reads it as a field rather than an upload (a bare Blob would be named "blob").
function typedPart(text: string, type: string): File {
  return new File([text], '', { type });
}

function appendFile(
  form: FormData,
  name: string,
  file: unknown,
  encoding: PropertyEncodingDef | undefined,
  path: string,
): void {
  const data = isPlainObject(file) ? ownValue(file, 'data') : undefined;
  if (!isPlainObject(file) || typeof data !== 'string') {
    throw new RequestBuildError(`"${path}" must be a file: an object { data: base64 string, filename?, mediaType? }`);
  }
  const filename = ownValue(file, 'filename');
  if (filename !== undefined && typeof filename !== 'string') throw new RequestBuildError(`"${path}.filename" must be a string`);
  const bytes = decodeBase64(data, `"${path}.data"`);
  const type = givenMediaType(ownValue(file, 'mediaType'), path) ?? concreteMediaType(encoding?.contentType) ?? OCTET_STREAM;
  form.append(name, new File([bytes], filename === undefined || filename === '' ? name : filename, { type }));
}

// ---------------------------------------------------------------- text and binary

function textBody(arg: string, media: BodyMediaDef, value: unknown): SerializedBody {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new RequestBuildError(`request body "${arg}" must be a string to be sent as ${media.mediaType}`);
  }
  return { contentType: concreteMediaType(media.mediaType) ?? 'text/plain', payload: String(value) };
}

function binaryBody(arg: string, media: BodyMediaDef, value: unknown): SerializedBody {
  let data: unknown = value;
  let given: string | undefined;
  if (isPlainObject(value)) {
    data = ownValue(value, 'data');
    given = givenMediaType(ownValue(value, 'mediaType'), arg);
  }
  if (typeof data !== 'string') {
    throw new RequestBuildError(`request body "${arg}" must be base64 text or an object { data: base64 string, mediaType? }`);
  }
  const bytes = decodeBase64(data, `request body "${arg}"`);
  const declared = media.mediaType.trim();
  let contentType = declared;
  if (declared.includes('*')) {
    // A wildcard is a range, not a type: the caller names the actual type, or the bytes are just bytes.
    if (given !== undefined && !inRange(given, declared)) {
      throw new RequestBuildError(`"${arg}.mediaType" must match ${declared}, got ${JSON.stringify(given)}`);
    }
    contentType = given ?? OCTET_STREAM;
  }
  return { contentType, payload: bytes };
}

function inRange(mediaType: string, range: string): boolean {
  const essence = (text: string): string => (text.split(';')[0] ?? '').trim().toLowerCase();
  const [type, subtype] = essence(mediaType).split('/');
  const [rangeType, rangeSubtype] = essence(range).split('/');
  return (rangeType === '*' || rangeType === type) && (rangeSubtype === '*' || rangeSubtype === subtype);
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:\\s*;\\s*${TOKEN}=(?:${TOKEN}|"[^"\\\\\\x00-\\x1f\\x7f]*"))*$`);

/** A media type supplied in the arguments: it ends up in a header, so it must be one. */
function givenMediaType(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !MEDIA_TYPE.test(value.trim()) || value.includes('*')) {
    throw new RequestBuildError(`"${path}.mediaType" must be a media type such as "image/png"`);
  }
  return value.trim();
}

// Buffer.from(text, 'base64') silently skips characters outside the alphabet, which
// would upload corrupted bytes; check the text first. Both the standard and the
// URL-safe alphabet are accepted, padding is optional, whitespace (MIME line breaks) ignored.
function decodeBase64(text: string, where: string) {
  const compact = text.replace(/\s+/g, '');
  const valid =
    /^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) &&
    compact.length % 4 !== 1 &&
    (!compact.includes('=') || compact.length % 4 === 0);
  if (!valid) {
    const hint = /^data:/i.test(compact) ? ' (send only the base64 data, without the "data:…;base64," prefix)' : '';
    throw new RequestBuildError(`${where} is not valid base64${hint}`);
  }
  // A copy in a plain ArrayBuffer: what Blob and fetch bodies are typed to take.
  return new Uint8Array(Buffer.from(compact, 'base64'));
}
