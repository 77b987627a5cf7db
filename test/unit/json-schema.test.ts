import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import {
  OUTPUT_SCHEMA_DEPTH,
  relaxForOutput,
  SchemaConverter,
  stronglyConnectedCycles,
  type Direction,
  type JsonSchema,
} from '../../src/plan/json-schema.js';

const require = createRequire(import.meta.url);
const Ajv2020 = (require('ajv/dist/2020') as { default: new (options: object) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: { instancePath: string }[] | null } } }).default;

function converterFor(document: object, openapiVersion: '3.0' | '3.1' = '3.0') {
  const diagnostics: Diagnostic[] = [];
  const converter = new SchemaConverter({ document, file: 'spec.yaml', openapiVersion, diagnostics });
  return { converter, diagnostics };
}

function convertOne(schema: object, direction: Direction = 'input', document: object = {}, openapiVersion: '3.0' | '3.1' = '3.0') {
  const { converter, diagnostics } = converterFor(document, openapiVersion);
  const converted = converter.convert(schema, direction, '#/components/schemas/X');
  return { ...converted, diagnostics, converter };
}

/** A tool-style root with the $defs the converted schema needs, as input-schema.ts builds it. */
function withDefs(converter: SchemaConverter, converted: { schema: JsonSchema; requires: readonly string[] }, direction: Direction): JsonSchema {
  const defs = converter.definitions(converted.requires, direction);
  return defs ? { ...converted.schema, $defs: defs } : converted.schema;
}

function compile(schema: JsonSchema) {
  return new Ajv2020({ strict: false, allErrors: true }).compile(schema);
}

describe('SchemaConverter keyword translation', () => {
  it.each([
    ['3.0 nullable widens the type', { given: { type: 'string', nullable: true }, want: { type: ['string', 'null'] } }],
    ['3.0 nullable adds null to an enum', { given: { type: 'string', enum: ['a', 'b'], nullable: true }, want: { type: ['string', 'null'], enum: ['a', 'b', null] } }],
    ['nullable: false changes nothing', { given: { type: 'integer', nullable: false }, want: { type: 'integer' } }],
    ['exclusiveMinimum true becomes numeric', { given: { type: 'number', minimum: 0, exclusiveMinimum: true }, want: { type: 'number', exclusiveMinimum: 0 } }],
    ['exclusiveMaximum true becomes numeric', { given: { type: 'number', maximum: 10, exclusiveMaximum: true }, want: { type: 'number', exclusiveMaximum: 10 } }],
    ['exclusiveMinimum false is dropped, minimum kept', { given: { type: 'number', minimum: 1, exclusiveMinimum: false }, want: { type: 'number', minimum: 1 } }],
    ['3.1 numeric exclusiveMinimum is kept', { given: { type: 'number', exclusiveMinimum: 5 }, want: { type: 'number', exclusiveMinimum: 5 } }],
    ['example becomes examples', { given: { type: 'string', example: 'abc' }, want: { type: 'string', examples: ['abc'] } }],
    ['examples win over example', { given: { type: 'string', example: 'a', examples: ['b'] }, want: { type: 'string', examples: ['b'] } }],
    ['array without items gets items {}', { given: { type: 'array' }, want: { type: 'array', items: {} } }],
    ['nullable array without items', { given: { type: 'array', nullable: true }, want: { type: ['array', 'null'], items: {} } }],
    ['constraints are kept', { given: { type: 'string', minLength: 1, maxLength: 5, pattern: '^a', format: 'email' }, want: { type: 'string', minLength: 1, maxLength: 5, pattern: '^a', format: 'email' } }],
    ['unknown keywords are dropped', { given: { type: 'object', discriminator: { propertyName: 'kind' }, xml: { name: 'x' }, 'x-foo': 1, externalDocs: { url: 'https://x' } }, want: { type: 'object' } }],
    ['boolean additionalProperties kept', { given: { type: 'object', additionalProperties: false }, want: { type: 'object', additionalProperties: false } }],
    ['schema additionalProperties converted', { given: { type: 'object', additionalProperties: { type: 'string', nullable: true } }, want: { type: 'object', additionalProperties: { type: ['string', 'null'] } } }],
    ['nested composition converted', { given: { oneOf: [{ type: 'string', nullable: true }, { type: 'array' }] }, want: { oneOf: [{ type: ['string', 'null'] }, { type: 'array', items: {} }] } }],
  ])('%s', (_name, { given, want }) => {
    const { schema, diagnostics } = convertOne(given);
    expect(diagnostics).toEqual([]);
    expect(schema).toEqual(want);
  });

  it('does not mutate the source schema', () => {
    const source = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string', readOnly: true }, name: { type: 'string', nullable: true } } };
    const copy = structuredClone(source);
    convertOne(source, 'input');
    expect(source).toEqual(copy);
  });
});

describe('SchemaConverter readOnly and writeOnly', () => {
  const document = {
    components: {
      schemas: {
        Id: { type: 'string', readOnly: true },
        Account: {
          type: 'object',
          required: ['id', 'name', 'password'],
          properties: {
            id: { $ref: '#/components/schemas/Id' },
            name: { type: 'string' },
            password: { type: 'string', writeOnly: true },
            createdAt: { type: 'string', format: 'date-time', readOnly: true },
          },
        },
      },
    },
  };

  it('drops readOnly properties (also through $ref) from input and from required', () => {
    const { schema } = convertOne({ $ref: '#/components/schemas/Account' }, 'input', document);
    expect(Object.keys(schema.properties as object)).toEqual(['name', 'password']);
    expect(schema.required).toEqual(['name', 'password']);
  });

  it('drops writeOnly properties from output and from required', () => {
    const { schema } = convertOne({ $ref: '#/components/schemas/Account' }, 'output', document);
    expect(Object.keys(schema.properties as object)).toEqual(['id', 'name', 'createdAt']);
    expect(schema.required).toEqual(['id', 'name']);
  });

  it('removes required entirely when every required property was dropped', () => {
    const { schema } = convertOne({ type: 'object', required: ['id'], properties: { id: { type: 'string', readOnly: true } } }, 'input');
    expect(schema).toEqual({ type: 'object', properties: {} });
  });
});

describe('SchemaConverter $ref', () => {
  const document = {
    components: {
      schemas: {
        Money: { type: 'object', required: ['amount'], properties: { amount: { type: 'integer' }, currency: { $ref: '#/components/schemas/Currency' } } },
        Currency: { type: 'string', enum: ['EUR', 'USD'] },
        Alias: { $ref: '#/components/schemas/Currency' },
        'Weird~Name/x': { type: 'boolean' },
      },
    },
  };

  it('inlines non-recursive references', () => {
    const { schema, requires } = convertOne({ $ref: '#/components/schemas/Money' }, 'input', document);
    expect(requires).toEqual([]);
    expect(schema).toEqual({ type: 'object', required: ['amount'], properties: { amount: { type: 'integer' }, currency: { type: 'string', enum: ['EUR', 'USD'] } } });
    expect(JSON.stringify(schema)).not.toContain('$ref');
  });

  it('follows an alias chain', () => {
    const { schema } = convertOne({ $ref: '#/components/schemas/Alias' }, 'input', document);
    expect(schema).toEqual({ type: 'string', enum: ['EUR', 'USD'] });
  });

  it('decodes ~0 and ~1 in reference tokens', () => {
    const { schema, diagnostics } = convertOne({ $ref: '#/components/schemas/Weird~0Name~1x' }, 'input', document);
    expect(diagnostics).toEqual([]);
    expect(schema).toEqual({ type: 'boolean' });
  });

  it('keeps sibling keywords beside $ref (3.1)', () => {
    const { schema } = convertOne({ $ref: '#/components/schemas/Currency', description: 'Settlement currency' }, 'input', document, '3.1');
    expect(schema).toEqual({ type: 'string', enum: ['EUR', 'USD'], description: 'Settlement currency' });
  });

  it('reports a missing target with the referring pointer', () => {
    const { converter, diagnostics } = converterFor(document);
    const converted = converter.convert({ type: 'object', properties: { owner: { $ref: '#/components/schemas/Owner' } } }, 'input', '#/paths/~1accounts/get/responses/200/content/application~1json/schema');
    expect(converted.schema).toEqual({ type: 'object', properties: { owner: {} } });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code: 'MCPGEN_REF_NOT_FOUND',
      severity: 'error',
      file: 'spec.yaml',
      pointer: '#/paths/~1accounts/get/responses/200/content/application~1json/schema/properties/owner/$ref',
    });
    expect(diagnostics[0]!.message).toContain('#/components/schemas/Owner');
  });

  it('reports a missing target inside a component with the component pointer', () => {
    const { converter, diagnostics } = converterFor({ components: { schemas: { A: { type: 'object', properties: { b: { $ref: '#/components/schemas/Nope' } } } } } });
    converter.convert({ $ref: '#/components/schemas/A' }, 'input', '#/paths/~1a/get/parameters/0/schema');
    expect(diagnostics.map((d) => d.pointer)).toEqual(['#/components/schemas/A/properties/b/$ref']);
  });
});

describe('SchemaConverter recursion', () => {
  const document = {
    components: {
      schemas: {
        Tree: {
          type: 'object',
          required: ['value'],
          properties: {
            value: { type: 'integer' },
            children: { type: 'array', items: { $ref: '#/components/schemas/Tree' } },
          },
        },
        Node: { type: 'object', required: ['label'], properties: { label: { type: 'string' }, next: { $ref: '#/components/schemas/Edge' } } },
        Edge: { type: 'object', required: ['weight'], properties: { weight: { type: 'number', minimum: 0 }, to: { $ref: '#/components/schemas/Node' } } },
        Plain: { type: 'object', properties: { tree: { $ref: '#/components/schemas/Tree' } } },
      },
    },
  };

  it('publishes a self-recursive schema once under $defs', () => {
    const { schema, requires, converter } = convertOne({ $ref: '#/components/schemas/Tree' }, 'input', document);
    expect(schema).toEqual({ $ref: '#/$defs/Tree' });
    expect(requires).toEqual(['#/components/schemas/Tree']);
    expect(converter.definitions(requires, 'input')).toEqual({
      Tree: {
        type: 'object',
        required: ['value'],
        properties: { value: { type: 'integer' }, children: { type: 'array', items: { $ref: '#/$defs/Tree' } } },
      },
    });
  });

  it('publishes both members of a mutual recursion', () => {
    const { schema, requires, converter } = convertOne({ $ref: '#/components/schemas/Node' }, 'input', document);
    expect(schema).toEqual({ $ref: '#/$defs/Node' });
    const defs = converter.definitions(requires, 'input')!;
    expect(Object.keys(defs)).toEqual(['Edge', 'Node']);
    expect(defs.Node!.properties).toEqual({ label: { type: 'string' }, next: { $ref: '#/$defs/Edge' } });
    expect(defs.Edge!.properties).toEqual({ weight: { type: 'number', minimum: 0 }, to: { $ref: '#/$defs/Node' } });
  });

  it('inlines a non-recursive schema that contains a recursive one', () => {
    const { schema, requires, converter } = convertOne({ $ref: '#/components/schemas/Plain' }, 'input', document);
    expect(schema).toEqual({ type: 'object', properties: { tree: { $ref: '#/$defs/Tree' } } });
    expect(Object.keys(converter.definitions(requires, 'input')!)).toEqual(['Tree']);
  });

  it('needs no $defs for a schema without cycles', () => {
    const { requires, converter } = convertOne({ type: 'string' }, 'input', document);
    expect(converter.definitions(requires, 'input')).toBeUndefined();
  });

  describe('the converted tree validates with Ajv 2020', () => {
    const { converter, ...converted } = convertOne({ $ref: '#/components/schemas/Tree' }, 'input', document);
    const validate = compile(withDefs(converter, converted, 'input'));
    it.each([
      ['a leaf', { value: 1 }, true],
      ['a deep tree', { value: 1, children: [{ value: 2, children: [{ value: 3, children: [{ value: 4 }] }] }] }, true],
      ['a wrong type four levels down', { value: 1, children: [{ value: 2, children: [{ value: 3, children: [{ value: 'four' }] }] }] }, false],
      ['a missing required value deep down', { value: 1, children: [{ value: 2, children: [{}] }] }, false],
      ['children that are not an array', { value: 1, children: { value: 2 } }, false],
    ])('%s', (_name, data, valid) => {
      expect(validate(data)).toBe(valid);
    });

    it('names the deep instance path of the error', () => {
      validate({ value: 1, children: [{ value: 2, children: [{ value: 'x' }] }] });
      expect(validate.errors?.map((e) => e.instancePath)).toContain('/children/0/children/0/value');
    });
  });

  describe('the converted mutual recursion validates with Ajv 2020', () => {
    const { converter, ...converted } = convertOne({ $ref: '#/components/schemas/Node' }, 'input', document);
    const validate = compile(withDefs(converter, converted, 'input'));
    it.each([
      ['a chain', { label: 'a', next: { weight: 1, to: { label: 'b', next: { weight: 2, to: { label: 'c' } } } } }, true],
      ['a negative weight deep in the chain', { label: 'a', next: { weight: 1, to: { label: 'b', next: { weight: -2, to: { label: 'c' } } } } }, false],
      ['a missing label at the end', { label: 'a', next: { weight: 1, to: { label: 'b', next: { weight: 2, to: {} } } } }, false],
    ])('%s', (_name, data, valid) => {
      expect(validate(data)).toBe(valid);
    });
  });
});

describe('relaxForOutput', () => {

  it('an untyped anyOf or oneOf takes the union of its branches\' types; an unknown branch leaves it untyped', () => {
    expect(relaxForOutput({ oneOf: [{ type: 'integer' }, { type: 'string' }] })).toEqual({ type: ['number', 'string', 'null'] });
    expect(relaxForOutput({ anyOf: [{ $ref: '#/$defs/A' }, { properties: { b: { type: 'string' } } }] }, { A: { type: 'object' } })).toEqual({ type: ['object', 'null'] });
    expect(relaxForOutput({ anyOf: [{ type: 'string' }, { description: 'anything' }] })).toEqual({});
  });
  it('drops required and restricting keywords and widens types with null', () => {
    const relaxed = relaxForOutput({
      type: 'object',
      required: ['id'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', format: 'uuid', pattern: '^x', minLength: 3 },
        count: { type: 'integer', minimum: 0, description: 'How many' },
        status: { type: 'string', enum: ['a', 'b'] },
      },
    });
    expect(relaxed).toEqual({
      type: ['object', 'null'],
      properties: {
        id: { type: ['string', 'null'] },
        count: { type: ['number', 'null'] },
        status: { type: ['string', 'null'] },
      },
    });
  });

  it('widens integer to number without duplicating number or null', () => {
    expect(relaxForOutput({ type: ['integer', 'number', 'null'] })).toEqual({ type: ['number', 'null'] });
    expect(relaxForOutput({ type: 'integer' })).toEqual({ type: ['number', 'null'] });
  });

  it('publishes types and structure only: no descriptions or titles at any level', () => {
    const relaxed = relaxForOutput({
      type: 'object',
      title: 'Account',
      description: 'A ledger account.',
      properties: { id: { type: 'string', title: 'Id', description: 'Its id.' }, owner: { type: 'object', description: 'Who', properties: { name: { type: 'string', description: 'Name' } } } },
    });
    expect(JSON.stringify(relaxed)).not.toMatch(/"(description|title)"/);
    expect(Object.keys(relaxed.properties as object)).toEqual(['id', 'owner']);
  });

  it('keeps only the type at the depth limit', () => {
    let schema: JsonSchema = { type: 'string', description: 'leaf' };
    for (let i = 0; i < OUTPUT_SCHEMA_DEPTH + 2; i++) schema = { type: 'object', description: `level ${i}`, properties: { child: schema } };
    let relaxed = relaxForOutput(schema);
    for (let depth = 0; depth < OUTPUT_SCHEMA_DEPTH; depth++) {
      expect(relaxed.type).toEqual(['object', 'null']);
      relaxed = (relaxed.properties as Record<string, JsonSchema>).child!;
    }
    expect(relaxed).toEqual({ type: ['object', 'null'] });
  });

  it('follows $defs references and stops at the depth limit on a cycle', () => {
    const defs = { Tree: { type: 'object', required: ['value'], properties: { value: { type: 'integer' }, children: { type: 'array', items: { $ref: '#/$defs/Tree' } } } } };
    const relaxed = relaxForOutput({ $ref: '#/$defs/Tree' }, defs);
    expect(JSON.stringify(relaxed)).not.toContain('$ref');
    expect(relaxed).toEqual({
      type: ['object', 'null'],
      properties: {
        value: { type: ['number', 'null'] },
        children: { type: ['array', 'null'], items: {} },
      },
    });
  });

  it('merges allOf properties', () => {
    const relaxed = relaxForOutput({ allOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { properties: { b: { type: 'boolean' } } }] });
    expect(relaxed).toEqual({ type: ['object', 'null'], properties: { a: { type: ['string', 'null'] }, b: { type: ['boolean', 'null'] } } });
  });

  it('accepts nulls and extra properties the strict schema would reject', () => {
    const strict: JsonSchema = { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'integer', minimum: 1 } } };
    const data = { id: null, extra: true };
    expect(compile(strict)(data)).toBe(false);
    expect(compile(relaxForOutput(strict))(data)).toBe(true);
  });
});

describe('stronglyConnectedCycles', () => {
  const graph = (entries: Record<string, string[]>) => new Map(Object.entries(entries));
  it.each([
    ['no edges', { edges: { a: [], b: [] }, want: [] }],
    ['a chain', { edges: { a: ['b'], b: ['c'], c: [] }, want: [] }],
    ['a self loop', { edges: { a: ['a'], b: ['a'] }, want: ['a'] }],
    ['a two-cycle', { edges: { a: ['b'], b: ['a'], c: ['a'] }, want: ['a', 'b'] }],
    ['two separate cycles', { edges: { a: ['b'], b: ['a'], c: ['d'], d: ['e'], e: ['c'], f: ['c'] }, want: ['a', 'b', 'c', 'd', 'e'] }],
    ['a diamond without cycle', { edges: { a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }, want: [] }],
    ['edge to an unknown node', { edges: { a: ['x'] }, want: [] }],
  ])('%s', (_name, { edges, want }) => {
    expect([...stronglyConnectedCycles(graph(edges))].sort()).toEqual(want);
  });

  it('handles a cycle longer than the call stack', () => {
    const size = 50_000;
    const edges = new Map<string, string[]>();
    for (let i = 0; i < size; i++) edges.set(`n${i}`, [`n${(i + 1) % size}`]);
    expect(stronglyConnectedCycles(edges).size).toBe(size);
  });
});

describe('SchemaConverter property names that are Object.prototype members', () => {
  // The spec text is JSON.parse'd or YAML-parsed into own properties named __proto__.
  const source = JSON.parse('{"type":"object","required":["__proto__"],"properties":{"__proto__":{"type":"string"},"constructor":{"type":"integer"},"toString":{"type":"boolean"}}}') as JsonSchema;

  it('keeps a property named constructor and toString', () => {
    const { schema } = convertOne(source, 'input');
    expect(Object.prototype.hasOwnProperty.call(schema.properties, 'constructor')).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(schema.properties, 'toString')).toBe(true);
  });

  // Regression: a property named `__proto__` vanished (prototype assignment instead of an own property).
  it('keeps a property named __proto__', () => {
    const { schema } = convertOne(source, 'input');
    expect(Object.keys(schema.properties as object)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(JSON.parse(JSON.stringify(schema)).properties.__proto__).toEqual({ type: 'string' });
  });
});
