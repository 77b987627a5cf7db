// Whatever the upstream sent, a tool's result fits its published outputSchema under the
// validator the SDK client itself runs on callTool.
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { describe, expect, it, vi } from 'vitest';
import { OutputChecker } from '../../templates/runtime/protocol/output-check.js';
import type { JsonSchema, ToolDef } from '../../templates/runtime/types.js';
import { portableOutputSchema } from '../../src/plan/portable-output.js';
import { operation, tool } from './support/fixtures.js';

// The shape relaxForOutput makes: types and structure only, every type nullable. The
// compiler publishes it spelt portably (anyOf branches, see portableOutputSchema); both
// spellings are checked.
const ACCOUNT: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: ['number', 'null'] },
    name: { type: ['string', 'null'] },
    owner: { type: ['object', 'null'], properties: { email: { type: ['string', 'null'] }, age: { type: ['number', 'null'] } } },
    tags: { type: ['array', 'null'], items: { type: ['string', 'null'] } },
    lines: { type: ['array', 'null'], items: { type: ['object', 'null'], properties: { amount: { type: ['number', 'null'] } } } },
  },
};
const LIST: JsonSchema = { type: 'object', properties: { items: { type: ['array', 'null'], items: ACCOUNT } } };

const structuredTool = (name: string, outputSchema: JsonSchema, wrapKey?: string): ToolDef =>
  tool(name, operation({ response: { structured: true, ...(wrapKey ? { wrapKey } : {}) } }), { type: 'object' }, { outputSchema });

const clientValidator = new AjvJsonSchemaValidator();
function expectClientAccepts(schema: JsonSchema, result: CallToolResult): void {
  // What @modelcontextprotocol/client does on callTool.
  if (result.isError === true) return;
  expect(result.structuredContent).toBeDefined();
  const verdict = clientValidator.getValidator(schema as never)(result.structuredContent);
  expect(verdict.errorMessage).toBeUndefined();
}

const result = (structuredContent: unknown, text = JSON.stringify(structuredContent)): CallToolResult => ({
  content: [{ type: 'text', text }],
  structuredContent,
});

describe.each([
  ['type lists', (schema: JsonSchema) => schema],
  ['anyOf branches, as published', (schema: JsonSchema) => portableOutputSchema(schema) as JsonSchema],
])('OutputChecker.conform on %s', (_spelling, spell) => {
  const account = structuredTool('get_account', spell(ACCOUNT));
  const list = structuredTool('list_accounts', spell(LIST), 'items');

  it('a conforming result passes unchanged, with no drift', () => {
    const sent = result({ id: 1, name: 'Cash', owner: null, extra: 'kept: the schema allows more properties' });
    const checked = new OutputChecker().conform(account, sent);
    expect(checked.result).toBe(sent);
    expect(checked.drift).toBeUndefined();
  });

  it.each([
    ['a property of the wrong type is left out', account, { id: 'acc_1', name: 'Cash' }, { name: 'Cash' }, '/id must be number,null'],
    ['a nested property of the wrong type, only it', account, { id: 1, owner: { email: 'a@b.c', age: 'old' } }, { id: 1, owner: { email: 'a@b.c' } }, '/owner/age'],
    ['array items of the wrong type are left out', account, { tags: ['a', 7, 'b', {}] }, { tags: ['a', 'b'] }, '/tags/1 must be string,null'],
    ['a wrong field inside an array item, only it', account, { lines: [{ amount: 1 }, { amount: '2' }, 3] }, { lines: [{ amount: 1 }, {}] }, '/lines/1/amount'],
    ['a wrong root is replaced by {}', account, [1, 2], {}, '/ must be object'],
    ['a scalar root is replaced by {}', account, 'oops', {}, '/ must be object'],
    ['a null root is replaced by {}', account, null, {}, '/ must be object'],
    ['an object where an array was promised (wrapped)', list, { items: { id: 1 } }, {}, '/items must be array,null'],
    ['a drifted item in a wrapped array', list, { items: [{ id: 1 }, { id: 'x' }] }, { items: [{ id: 1 }, {}] }, '/items/1/id'],
  ])('%s', (_name, toolDef, sent, repaired, problem) => {
    const upstream = result(sent);
    const checked = new OutputChecker().conform(toolDef, upstream);
    expect(checked.result.structuredContent).toEqual(repaired);
    expect(checked.drift).toContain(problem);
    // The text keeps the upstream body; a second text says what was left out.
    expect(checked.result.content).toEqual([
      upstream.content[0],
      { type: 'text', text: expect.stringMatching(/^\[The upstream response does not match this tool's output schema \(.+\)\. structuredContent leaves out/) },
    ]);
    expectClientAccepts(toolDef.outputSchema!, checked.result);
  });

  it('names at most three problems', () => {
    const checked = new OutputChecker().conform(account, result({ tags: [1, 2, 3, 4, 5] }));
    expect(checked.drift).toBe('/tags/0 must be string,null; /tags/1 must be string,null; /tags/2 must be string,null; and 2 more');
  });

  it('a success without structuredContent (empty or text body) gets {}', () => {
    const checked = new OutputChecker().conform(account, { content: [{ type: 'text', text: 'HTTP 204 No Content: success, empty body' }] });
    expect(checked.result.structuredContent).toEqual({});
    expect(checked.drift).toBe('the upstream sent no JSON body');
    expectClientAccepts(account.outputSchema!, checked.result);
  });

  it('leaves error results and tools without an outputSchema alone', () => {
    const error: CallToolResult = { content: [{ type: 'text', text: 'HTTP 500' }], isError: true };
    expect(new OutputChecker().conform(account, error).result).toBe(error);
    const plain = tool('plain', operation(), { type: 'object' });
    const text = result([1, 2]);
    expect(new OutputChecker().conform(plain, text).result).toBe(text);
  });

  // (Clients validate without ownProperties, so the compiler keeps such names out of outputSchemas.)
  it('a property named like an Object.prototype member is checked only when sent', () => {
    const named = structuredTool('named', { type: 'object', properties: { constructor: { type: ['string', 'null'] } } });
    expect(new OutputChecker().conform(named, result({ id: 1 })).drift).toBeUndefined();
    expect(new OutputChecker().conform(named, result({ constructor: 5 })).result.structuredContent).toEqual({});
  });

  it('keeps a __proto__ property a property', () => {
    const sent = JSON.parse('{"__proto__":{"x":1},"id":"bad","name":"n"}') as unknown;
    const repaired = new OutputChecker().conform(account, result(sent)).result.structuredContent as object;
    expect(Object.keys(repaired)).toEqual(['__proto__', 'name']);
    expect(Object.getPrototypeOf(repaired)).toBe(Object.prototype);
  });

  it('other keywords: additionalProperties false drops the extra property itself', () => {
    const strict = structuredTool('strict', { type: 'object', properties: { a: { type: 'number' } }, additionalProperties: false });
    const checked = new OutputChecker().conform(strict, result({ a: 1, b: 2 }));
    expect(checked.result.structuredContent).toEqual({ a: 1 });
    expectClientAccepts(strict.outputSchema!, checked.result);
  });

  it('a schema {} cannot satisfy becomes an error result, never a non-conforming success', () => {
    const requiring = structuredTool('requiring', { type: 'object', properties: { a: { type: 'number' } }, required: ['a'] });
    const checked = new OutputChecker().conform(requiring, result({ a: 'x' }));
    expect(checked.result.isError).toBe(true);
    expect(checked.result.structuredContent).toBeUndefined();
  });

  it('a schema that does not compile leaves results as they are (and is compiled only once)', () => {
    const broken = structuredTool('broken', { type: 'object', properties: { a: { $ref: '#/$defs/Missing' } } });
    const checker = new OutputChecker();
    const sent = result({ a: 1 });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(checker.conform(broken, sent).result).toBe(sent);
      expect(checker.conform(broken, sent).result).toBe(sent);
      expect(stderr).toHaveBeenCalledTimes(1);
      expect(String(stderr.mock.calls[0]?.[0])).toMatch(/^tool broken: its outputSchema does not compile/);
    } finally {
      stderr.mockRestore();
    }
  });

  it('random drift of every kind is always repaired to what the client accepts', () => {
    // A small deterministic generator (LCG): values of every JSON type, nested.
    let seed = 42;
    const next = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const keys = ['id', 'name', 'owner', 'tags', 'lines', 'email', 'age', 'amount', 'other'];
    const value = (depth: number): unknown => {
      switch (next(depth > 3 ? 5 : 7)) {
        case 0: return null;
        case 1: return next(1000);
        case 2: return `s${next(10)}`;
        case 3: return next(2) === 0;
        case 4: return next(1000) / 7;
        case 5: return Array.from({ length: next(4) }, () => value(depth + 1));
        default: return Object.fromEntries(Array.from({ length: next(5) }, () => [keys[next(keys.length)]!, value(depth + 1)]));
      }
    };
    const checker = new OutputChecker();
    let drifted = 0;
    for (let i = 0; i < 300; i += 1) {
      const toolDef = i % 2 === 0 ? account : list;
      const sent = toolDef === list ? { items: value(0) } : value(0);
      const checked = checker.conform(toolDef, result(sent));
      expect(checked.result.isError).toBeUndefined();
      expectClientAccepts(toolDef.outputSchema!, checked.result);
      if (checked.drift !== undefined) drifted += 1;
    }
    // The generator must exercise the repair, not only the happy path.
    expect(drifted).toBeGreaterThan(100);
  });
});
