import { describe, expect, it } from 'vitest';
import {
  encodePathValue,
  serializeCookieParameter,
  serializeHeaderParameter,
  serializePathParameter,
  serializeQueryParameter,
} from '../../templates/runtime/upstream/serialize.js';
import type { ParameterStyle } from '../../templates/runtime/types.js';

// The OpenAPI style-examples table (https://spec.openapis.org/oas/v3.1.1#style-examples):
// color = "blue", ["blue","black","brown"], {"R":100,"G":200,"B":150}.
// 3.1.1 corrected two 3.1.0 rows to RFC 6570 (label/explode=false uses ",";
// space/pipeDelimited keep "color="); the expectations below are the corrected ones.
const empty = '';
const string = 'blue';
const array = ['blue', 'black', 'brown'];
const object = { R: 100, G: 200, B: 150 };

type Row = [style: ParameterStyle, explode: boolean, value: unknown, expected: string];

const pathRows: Row[] = [
  ['matrix', false, empty, ';color'],
  ['matrix', false, string, ';color=blue'],
  ['matrix', false, array, ';color=blue,black,brown'],
  ['matrix', false, object, ';color=R,100,G,200,B,150'],
  ['matrix', true, empty, ';color'],
  ['matrix', true, string, ';color=blue'],
  ['matrix', true, array, ';color=blue;color=black;color=brown'],
  ['matrix', true, object, ';R=100;G=200;B=150'],
  ['label', false, empty, '.'],
  ['label', false, string, '.blue'],
  ['label', false, array, '.blue,black,brown'],
  ['label', false, object, '.R,100,G,200,B,150'],
  ['label', true, empty, '.'],
  ['label', true, string, '.blue'],
  ['label', true, array, '.blue.black.brown'],
  ['label', true, object, '.R=100.G=200.B=150'],
  ['simple', false, string, 'blue'],
  ['simple', false, array, 'blue,black,brown'],
  ['simple', false, object, 'R,100,G,200,B,150'],
  ['simple', true, string, 'blue'],
  ['simple', true, array, 'blue,black,brown'],
  ['simple', true, object, 'R=100,G=200,B=150'],
];

const queryRows: Row[] = [
  ['form', false, empty, 'color='],
  ['form', false, string, 'color=blue'],
  ['form', false, array, 'color=blue,black,brown'],
  ['form', false, object, 'color=R,100,G,200,B,150'],
  ['form', true, empty, 'color='],
  ['form', true, string, 'color=blue'],
  ['form', true, array, 'color=blue&color=black&color=brown'],
  ['form', true, object, 'R=100&G=200&B=150'],
  ['spaceDelimited', false, array, 'color=blue%20black%20brown'],
  ['spaceDelimited', false, object, 'color=R%20100%20G%20200%20B%20150'],
  ['spaceDelimited', true, array, 'color=blue&color=black&color=brown'],
  ['pipeDelimited', false, array, 'color=blue|black|brown'],
  ['pipeDelimited', false, object, 'color=R|100|G|200|B|150'],
  ['pipeDelimited', true, array, 'color=blue&color=black&color=brown'],
  ['deepObject', true, object, 'color[R]=100&color[G]=200&color[B]=150'],
];

const label = (value: unknown): string => (value === '' ? 'empty' : JSON.stringify(value));

describe('path parameters follow the style table', () => {
  it.each(pathRows.map(([style, explode, value, expected]) => [style, explode, label(value), value, expected] as const))(
    '%s explode=%s %s -> %s',
    (style, explode, _label, value, expected) => {
      expect(serializePathParameter({ name: 'color', style, explode }, value)).toBe(expected);
    },
  );
});

describe('query parameters follow the style table', () => {
  it.each(queryRows.map(([style, explode, value, expected]) => [style, explode, label(value), value, expected] as const))(
    '%s explode=%s %s -> %s',
    (style, explode, _label, value, expected) => {
      expect(serializeQueryParameter({ name: 'color', style, explode }, value)).toBe(expected);
    },
  );
});

describe('header parameters (simple)', () => {
  it.each([
    [false, string, 'blue'],
    [false, array, 'blue,black,brown'],
    [false, object, 'R,100,G,200,B,150'],
    [true, string, 'blue'],
    [true, array, 'blue,black,brown'],
    [true, object, 'R=100,G=200,B=150'],
    [false, 'a b/c?d', 'a b/c?d'],
  ] as const)('explode=%s %j -> %s', (explode, value, expected) => {
    expect(serializeHeaderParameter({ name: 'X-Color', style: 'simple', explode }, value)).toBe(expected);
  });
});

describe('cookie parameters (form)', () => {
  it.each([
    [false, string, 'color=blue'],
    [false, array, 'color=blue,black,brown'],
    [false, object, 'color=R,100,G,200,B,150'],
    [true, string, 'color=blue'],
    [true, array, 'color=blue; color=black; color=brown'],
    [true, object, 'R=100; G=200; B=150'],
    [false, 'a;b c', 'color=a%3Bb%20c'],
  ] as const)('explode=%s %j -> %s', (explode, value, expected) => {
    expect(serializeCookieParameter({ name: 'color', style: 'form', explode }, value)).toBe(expected);
  });
});

describe('values that are omitted', () => {
  const serializers = {
    path: serializePathParameter,
    query: serializeQueryParameter,
    header: serializeHeaderParameter,
    cookie: serializeCookieParameter,
  };
  it.each(
    Object.entries(serializers).flatMap(([location, fn]) =>
      [undefined, null, [], {}, [null, undefined]].map((value) => [location, JSON.stringify(value) ?? 'undefined', fn, value] as const),
    ),
  )('%s %s -> nothing', (_location, _label, fn, value) => {
    expect(fn({ name: 'color', style: 'simple', explode: false }, value)).toBeUndefined();
  });
});

describe('hostile path values cannot change the path shape', () => {
  it.each([
    ['slash', 'a/b', 'a%2Fb'],
    ['dot-dot', '..', '%2E%2E'],
    ['dot', '.', '%2E'],
    ['query and fragment', '?x#y', '%3Fx%23y'],
    ['already encoded slash', '%2F', '%252F'],
    ['unicode', 'café ☕', 'caf%C3%A9%20%E2%98%95'],
    ['spaces', 'a b', 'a%20b'],
    ['sub-delims', "!$&'()*+,;=", '%21%24%26%27%28%29%2A%2B%2C%3B%3D'],
    ['lone surrogate', 'a\uD800b', 'a%EF%BF%BDb'],
    ['unreserved kept', 'A-z_0.9~', 'A-z_0.9~'],
  ])('%s: %j -> %s', (_name, value, expected) => {
    expect(encodePathValue(value)).toBe(expected);
    expect(serializePathParameter({ name: 'p', style: 'simple', explode: false }, value)).toBe(expected);
  });

  it.each([
    ['label array items', 'label', ['a/b', 'c,d'], '.a%2Fb,c%2Cd'],
    ['matrix value with ;', 'matrix', 'x;y=z', ';p=x%3By%3Dz'],
    ['simple object keys', 'simple', { 'a/b': '..' }, 'a%2Fb,%2E%2E'],
  ] as const)('%s', (_name, style, value, expected) => {
    expect(serializePathParameter({ name: 'p', style, explode: false }, value)).toBe(expected);
  });
});

describe('query encoding', () => {
  it.each([
    ['space is %20, not +', { name: 'q', value: 'a b' }, 'q=a%20b'],
    ['& and = inside a value', { name: 'q', value: 'a&b=c' }, 'q=a%26b%3Dc'],
    ['key is encoded too', { name: 'a b[]', value: 'x' }, 'a%20b%5B%5D=x'],
    ['numbers and booleans', { name: 'n', value: [1, true, 2.5] }, 'n=1&n=true&n=2.5'],
    ['unicode', { name: 'q', value: 'é' }, 'q=%C3%A9'],
  ])('%s', (_name, { name, value }, expected) => {
    expect(serializeQueryParameter({ name, style: 'form', explode: true }, value)).toBe(expected);
  });

  it.each([
    ['allowReserved keeps reserved characters but the query delimiters', true, 'q=a/b?c:d@e,f;g%3Dh%26i'],
    ['without allowReserved they are encoded', false, 'q=a%2Fb%3Fc%3Ad%40e%2Cf%3Bg%3Dh%26i'],
  ])('%s', (_name, allowReserved, expected) => {
    expect(serializeQueryParameter({ name: 'q', style: 'form', explode: true, allowReserved }, 'a/b?c:d@e,f;g=h&i')).toBe(expected);
  });

  it.each([
    ['# would end the query', 'a#b', 'q=a%23b'],
    ['% stays a literal percent', '100%', 'q=100%25'],
    ['space still encoded', 'a b', 'q=a%20b'],
  ])('allowReserved still encodes: %s', (_name, value, expected) => {
    expect(serializeQueryParameter({ name: 'q', style: 'form', explode: true, allowReserved: true }, value)).toBe(expected);
  });

  it('deepObject nests objects and repeats arrays', () => {
    expect(
      serializeQueryParameter({ name: 'filter', style: 'deepObject', explode: true }, { a: { b: 1 }, tags: ['x', 'y'], skip: null }),
    ).toBe('filter[a][b]=1&filter[tags]=x&filter[tags]=y');
  });
});
