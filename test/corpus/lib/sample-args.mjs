// Deterministic arguments for a tool, synthesized from its inputSchema: required properties
// always, optional ones never. Throws NoSample when a value cannot be made (e.g. a pattern none
// of the canned strings match).

export class NoSample extends Error {}

const CANNED = [
  'abc', 'test', 'a', 'A', 'ABC', 'Abc1', 'abc123', '1', '0', '123', '12345', 'a1', 'A1', 'test-1', 'test_1',
  'test.1', 'abc-def', 'a-b-c', 'ab', 'AB', 'AAA', 'aaa', 'en', 'en-US', 'US', 'USD', 'x', 'X', 'test@example.com',
  '2024-01-02', '2024-01-02T03:04:05Z', 'https://example.com/', 'example.com', '123e4567-e89b-42d3-a456-426614174000',
  '0123456789abcdef', 'ABCDEF', 'abcdef', '1.0', 'v1', '192.0.2.1', 'arn:aws:iam::123456789012:user/test', '/', '/a',
  '*', 'abc ', 'Test value', '00000000-0000-0000-0000-000000000000', 'aaaaaaaaaa', '1234567890', 'abcdefghij',
];

const FORMAT_STRINGS = {
  'date-time': '2024-01-02T03:04:05Z',
  date: '2024-01-02',
  time: '03:04:05Z',
  email: 'test@example.com',
  'idn-email': 'test@example.com',
  uuid: '123e4567-e89b-42d3-a456-426614174000',
  uri: 'https://example.com/',
  'uri-reference': 'https://example.com/',
  iri: 'https://example.com/',
  url: 'https://example.com/',
  hostname: 'example.com',
  'idn-hostname': 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  byte: 'dGVzdA==',
  binary: 'test',
  password: 'test-password',
  duration: 'P1D',
  regex: 'a',
  'json-pointer': '/a',
};

/**
 * @param {object} schema the tool's inputSchema
 * @param {{ useExamples?: boolean }} options
 */
export function sampleArgs(schema, { useExamples = true } = {}) {
  const ctx = { root: schema, useExamples, depth: 0 };
  const value = sample(schema, ctx, '');
  return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

function resolveRef(ref, ctx, at) {
  const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (!m) throw new NoSample(`${at || '/'}: unsupported $ref ${ref}`);
  const name = m[2].replace(/~1/g, '/').replace(/~0/g, '~');
  const target = ctx.root[m[1]]?.[name];
  if (!target) throw new NoSample(`${at || '/'}: $ref ${ref} not found`);
  return target;
}

/** Flattens $ref, allOf and the first branch of oneOf/anyOf into one schema. */
function flatten(schema, ctx, at, seen = 0) {
  if (seen > 20) throw new NoSample(`${at}: schema too deep`);
  if (schema === true || schema === undefined || schema === null) return {};
  if (schema === false) throw new NoSample(`${at}: schema is false`);
  let s = { ...schema };
  if (s.$ref) {
    const target = flatten(resolveRef(s.$ref, ctx, at), ctx, at, seen + 1);
    delete s.$ref;
    s = merge(target, s);
  }
  if (Array.isArray(s.allOf)) {
    const parts = s.allOf.map((p) => flatten(p, ctx, at, seen + 1));
    delete s.allOf;
    for (const p of parts) s = merge(s, p);
  }
  for (const key of ['oneOf', 'anyOf']) {
    if (Array.isArray(s[key]) && s[key].length) {
      const branches = s[key].map((b) => flatten(b, ctx, at, seen + 1));
      // prefer a non-null branch
      const branch = branches.find((b) => b.type !== 'null' && !(Array.isArray(b.type) && b.type.every((t) => t === 'null'))) ?? branches[0];
      delete s[key];
      s = merge(s, branch);
    }
  }
  return s;
}

function merge(a, b) {
  const out = { ...a, ...b };
  if (a.properties || b.properties) out.properties = { ...(a.properties ?? {}), ...(b.properties ?? {}) };
  if (a.required || b.required) out.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  if (a.type && b.type && a.type !== b.type) {
    const ta = [].concat(a.type);
    const tb = [].concat(b.type);
    const both = ta.filter((t) => tb.includes(t) || (t === 'integer' && tb.includes('number')));
    out.type = both.length ? both : b.type;
  }
  return out;
}

function mainType(s) {
  let t = s.type;
  if (Array.isArray(t)) t = t.find((x) => x !== 'null') ?? t[0];
  if (t) return t;
  if (s.properties || s.required || s.additionalProperties) return 'object';
  if (s.items || s.prefixItems) return 'array';
  if (s.enum?.length) return typeof s.enum[0] === 'object' ? (Array.isArray(s.enum[0]) ? 'array' : 'object') : typeof s.enum[0];
  if (s.minimum !== undefined || s.maximum !== undefined) return 'number';
  if (s.pattern || s.format || s.minLength !== undefined) return 'string';
  return 'string';
}

function sample(schema, ctx, at) {
  if (ctx.depth > 12) throw new NoSample(`${at}: nesting too deep`);
  const s = flatten(schema, ctx, at);
  if ('const' in s) return s.const;
  if (ctx.useExamples) {
    if (Array.isArray(s.examples) && s.examples.length && s.examples[0] !== null) return s.examples[0];
    if (s.example !== undefined && s.example !== null) return s.example;
    if (s.default !== undefined && s.default !== null) return s.default;
  }
  if (Array.isArray(s.enum) && s.enum.length) return s.enum.find((v) => v !== null) ?? s.enum[0];
  const type = mainType(s);
  ctx.depth++;
  try {
    switch (type) {
      case 'object': {
        const out = {};
        for (const name of s.required ?? []) {
          const prop = s.properties?.[name] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : {});
          out[name] = sample(prop, ctx, `${at}/${name}`);
        }
        return out;
      }
      case 'array': {
        const n = Math.max(1, s.minItems ?? 0);
        const count = s.maxItems !== undefined ? Math.min(n, s.maxItems) : n;
        const items = [];
        for (let i = 0; i < count; i++) {
          const itemSchema = s.prefixItems?.[i] ?? s.items ?? {};
          let v = sample(itemSchema, ctx, `${at}/${i}`);
          if (s.uniqueItems && i > 0 && typeof v === 'number') v += i;
          if (s.uniqueItems && i > 0 && typeof v === 'string') v = `${v}${i}`;
          items.push(v);
        }
        return items;
      }
      case 'integer':
      case 'number':
        return sampleNumber(s, type, at);
      case 'boolean':
        return true;
      case 'null':
        return null;
      default:
        return sampleString(s, at);
    }
  } finally {
    ctx.depth--;
  }
}

function sampleNumber(s, type, at) {
  let lo = typeof s.minimum === 'number' ? s.minimum : -Infinity;
  let hi = typeof s.maximum === 'number' ? s.maximum : Infinity;
  const step = type === 'integer' ? 1 : 0.5;
  if (typeof s.exclusiveMinimum === 'number') lo = Math.max(lo, s.exclusiveMinimum + step);
  else if (s.exclusiveMinimum === true) lo += step;
  if (typeof s.exclusiveMaximum === 'number') hi = Math.min(hi, s.exclusiveMaximum - step);
  else if (s.exclusiveMaximum === true) hi -= step;
  let v = Number.isFinite(lo) ? lo : Number.isFinite(hi) ? Math.min(hi, 1) : 1;
  if (v < 1 && hi >= 1 && lo <= 1) v = 1;
  if (type === 'integer') v = Math.ceil(v);
  if (typeof s.multipleOf === 'number' && s.multipleOf > 0) v = Math.ceil(v / s.multipleOf) * s.multipleOf;
  if (v > hi) throw new NoSample(`${at}: no number in [${lo}, ${hi}]`);
  if (s.format === 'int32') v = Math.max(-2147483648, Math.min(2147483647, v));
  return v;
}

function fits(str, s) {
  if (s.minLength !== undefined && [...str].length < s.minLength) return false;
  if (s.maxLength !== undefined && [...str].length > s.maxLength) return false;
  if (s.pattern !== undefined) {
    let re;
    try {
      re = new RegExp(s.pattern, 'u');
    } catch {
      try {
        re = new RegExp(s.pattern);
      } catch {
        return false;
      }
    }
    if (!re.test(str)) return false;
  }
  return true;
}

function sampleString(s, at) {
  const candidates = [];
  if (s.format && FORMAT_STRINGS[s.format]) candidates.push(FORMAT_STRINGS[s.format]);
  if (s.pattern === undefined) {
    const min = s.minLength ?? 0;
    const max = s.maxLength ?? Infinity;
    const base = 'test';
    let str = base;
    if (str.length < min) str = str + 'x'.repeat(min - str.length);
    if (str.length > max) str = str.slice(0, max);
    candidates.push(str);
  } else {
    candidates.push(...CANNED);
    // padded variants for minLength
    if (s.minLength) candidates.push('a'.repeat(s.minLength), '1'.repeat(s.minLength), 'A'.repeat(s.minLength));
  }
  for (const c of candidates) if (fits(c, s)) return c;
  throw new NoSample(`${at || '/'}: no canned string fits ${JSON.stringify({ pattern: s.pattern, format: s.format, minLength: s.minLength, maxLength: s.maxLength })}`);
}
