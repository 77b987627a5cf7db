// Ajv cannot validate a property named `__proto__`: it drops that name from `properties`
// (ajv/dist/vocabularies/code.js, allSchemaProperties) and then reports the argument as
// unknown or lets any value through. Both the schema and the arguments it checks are
// therefore given to Ajv with that one name escaped, reversibly: `__proto__` and every
// name that already starts with the escape character get one escape character in front.
// Messages unescape the names they quote. The arguments sent upstream are never escaped.

const ESCAPE = '\u0000';
const PROTO = '__proto__';

function escapeName(name: string): string {
  return name === PROTO || name.startsWith(ESCAPE) ? ESCAPE + name : name;
}

export function unescapeName(name: string): string {
  return name.startsWith(ESCAPE) ? name.slice(1) : name;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of a JSON value whose object keys are escaped; the value itself when none needs it. */
export function escapeNames(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(escapeNames);
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (!isRecord(value)) return value;
  let changed = false;
  const entries = Object.entries(value).map(([name, member]): [string, unknown] => {
    const escaped: [string, unknown] = [escapeName(name), escapeNames(member)];
    if (escaped[0] !== name || escaped[1] !== member) changed = true;
    return escaped;
  });
  // Object.fromEntries defines properties: a `__proto__` entry (there is none left) could not set a prototype.
  return changed ? Object.fromEntries(entries) : value;
}

/** Keywords whose keys are property names and whose values are schemas. */
const NAMED_SCHEMAS = new Set(['properties', 'dependentSchemas']);
/** Keywords holding data, not schemas: compared with (escaped) arguments. */
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'examples']);

/** A copy of a JSON Schema with every property name it mentions escaped; the schema itself when none needs it. */
export function escapeSchemaNames(schema: unknown): unknown {
  if (Array.isArray(schema)) {
    const items = schema.map(escapeSchemaNames);
    return items.some((item, i) => item !== schema[i]) ? items : schema;
  }
  if (!isRecord(schema)) return schema;
  let changed = false;
  const entries = Object.entries(schema).map(([keyword, member]): [string, unknown] => {
    const escaped = escapeKeyword(keyword, member);
    if (escaped !== member) changed = true;
    return [keyword, escaped];
  });
  return changed ? Object.fromEntries(entries) : schema;
}

function escapeKeyword(keyword: string, member: unknown): unknown {
  if (DATA_KEYWORDS.has(keyword)) return escapeNames(member);
  if (keyword === 'required' && Array.isArray(member)) return escapeNameList(member);
  if (NAMED_SCHEMAS.has(keyword) && isRecord(member)) {
    return mapEntries(member, (name, sub) => [escapeName(name), escapeSchemaNames(sub)]);
  }
  if (keyword === 'dependentRequired' && isRecord(member)) {
    return mapEntries(member, (name, list) => [escapeName(name), Array.isArray(list) ? escapeNameList(list) : list]);
  }
  // $defs keys are reference targets, not property names: only their schemas are walked.
  return escapeSchemaNames(member);
}

function escapeNameList(names: readonly unknown[]): unknown[] | readonly unknown[] {
  const escaped = names.map((name) => (typeof name === 'string' ? escapeName(name) : name));
  return escaped.some((name, i) => name !== names[i]) ? escaped : names;
}

function mapEntries(
  record: Record<string, unknown>,
  map: (name: string, value: unknown) => [string, unknown],
): Record<string, unknown> {
  let changed = false;
  const entries = Object.entries(record).map(([name, value]) => {
    const mapped = map(name, value);
    if (mapped[0] !== name || mapped[1] !== value) changed = true;
    return mapped;
  });
  return changed ? Object.fromEntries(entries) : record;
}
