// The portable-schema rules every tool's published schemas must follow.
import Ajv2020Module from 'ajv/dist/2020.js';

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_SINGLE = ['items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems'];

/** Visits every subschema (schema positions only, so a property *named* `$schema` is not a keyword). */
function walk(schema, path, visit) {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return;
  visit(schema, path);
  for (const key of SCHEMA_MAPS) {
    if (schema[key] && typeof schema[key] === 'object') for (const [k, v] of Object.entries(schema[key])) walk(v, `${path}/${key}/${k}`, visit);
  }
  for (const key of SCHEMA_LISTS) {
    if (Array.isArray(schema[key])) schema[key].forEach((v, i) => walk(v, `${path}/${key}/${i}`, visit));
  }
  for (const key of SCHEMA_SINGLE) {
    if (Array.isArray(schema[key])) schema[key].forEach((v, i) => walk(v, `${path}/${key}/${i}`, visit));
    else walk(schema[key], `${path}/${key}`, visit);
  }
}

function isArraySchema(s) {
  return s.type === 'array' || (Array.isArray(s.type) && s.type.includes('array'));
}

function compileProblem(ajv, schema) {
  try {
    ajv.compile(schema);
    return undefined;
  } catch (error) {
    return String(error?.message ?? error).split('\n')[0].slice(0, 300);
  }
}

/** Returns a list of problems ({ tool, rule, message }) for the listed tools. */
export function checkTools(tools) {
  const problems = [];
  for (const tool of tools) {
    const add = (rule, message) => problems.push({ tool: tool.name, rule, message });
    // a fresh Ajv per tool: tools may publish $defs with the same $id-less names
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const input = tool.inputSchema;
    if (!input || typeof input !== 'object') {
      add('input-missing', 'no inputSchema');
      continue;
    }
    const err = compileProblem(ajv, input);
    if (err) add('input-compiles', err);
    if (input.type !== 'object') add('input-object-root', `inputSchema.type is ${JSON.stringify(input.type)}`);
    if (!input.properties || typeof input.properties !== 'object') add('input-properties', 'inputSchema has no properties');
    checkPortable(input, '#', (rule, msg) => add(`input-${rule}`, msg));
    checkArrayItems(input, '#', (rule, msg) => add(`input-${rule}`, msg));
    if (tool.outputSchema !== undefined) {
      const out = tool.outputSchema;
      const e2 = compileProblem(new Ajv2020({ strict: false, validateFormats: false }), out);
      if (e2) add('output-compiles', e2);
      if (out?.type !== 'object') add('output-object-root', `outputSchema.type is ${JSON.stringify(out?.type)}`);
      checkPortable(out, '#', (rule, msg) => add(`output-${rule}`, msg));
    }
  }
  return problems;
}

function checkPortable(schema, root, add) {
  walk(schema, root, (s, path) => {
    if ('$schema' in s) add('no-$schema', `$schema at ${path}`);
  });
}

/**
 * Function-calling converters (OpenAI, Gemini) need items on every argument array. Output
 * schemas only validate results, and their "any value" spelling has a bare array branch (an
 * empty items schema is what Inspector --strict warns about), as in test/large.
 */
function checkArrayItems(schema, root, add) {
  walk(schema, root, (s, path) => {
    if (isArraySchema(s) && s.items === undefined && s.prefixItems === undefined) add('array-items', `array without items at ${path}`);
  });
}
