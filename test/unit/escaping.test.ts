// Invisible characters from a spec: shown as literal escapes in generated text, escaped
// inside JSON where JSON.stringify leaves them raw, and escaped in every CLI line.
import { describe, expect, it } from 'vitest';
import { terminalText } from '../../src/cli/terminal.js';
import { commentText, jsonText, markdownCell, tsLiteral, visibleText } from '../../src/emit/literals.js';

describe('visibleText', () => {
  it.each([
    ['an escape sequence', 'a\u001b[2Jb', 'a\\u001b[2Jb'],
    ['NUL, BEL and DEL', '\u0000\u0007\u007f', '\\u0000\\u0007\\u007f'],
    ['C1 controls', '\u0085\u009b31m', '\\u0085\\u009b31m'],
    ['bidi overrides and isolates', '\u202ea\u202c\u2066b\u2069\u200f', '\\u202ea\\u202c\\u2066b\\u2069\\u200f'],
    ['printable text, emoji and accents stay', 'Café ✓ 🐾', 'Café ✓ 🐾'],
  ])('%s', (_name, given, want) => {
    expect(visibleText(given)).toBe(want);
  });
});

describe('generated text helpers', () => {
  it('a Markdown cell has no raw control character and no line break', () => {
    expect(markdownCell('Pets\r\n\u001b[31mred\u202e|')).toBe('Pets \\u001b[31mred\\u202e\\|');
  });

  it('comment text has no raw control character', () => {
    expect(commentText('spec\u001b]0;title\u0007.yaml */')).toBe('spec\\u001b]0;title\\u0007.yaml *\\/');
  });

  it.each([['jsonText', jsonText], ['tsLiteral', tsLiteral]] as const)('%s escapes what JSON.stringify leaves raw and parses back to the original', (_name, literal) => {
    const value = { title: 'a\u001b\u0085\u202e\u2028b', n: 1 };
    const text = literal(value);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u202e]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('terminalText', () => {
  it.each([
    ['keeps the line feeds the CLI writes', 'error: a\n  help: b', 'error: a\n  help: b'],
    ['escapes a carriage return that would overwrite the line', 'ok\rerror', 'ok\\u000derror'],
    ['escapes tabs, escapes and C1', '\t\u001b[2J\u009b', '\\u0009\\u001b[2J\\u009b'],
    ['escapes bidi overrides', 'a\u202eb', 'a\\u202eb'],
  ])('%s', (_name, given, want) => {
    expect(terminalText(given)).toBe(want);
  });

  it('leaves printed JSON valid, with the same value', () => {
    const value = { message: 'x\u202e\u0085\u001b' };
    expect(JSON.parse(terminalText(JSON.stringify(value, null, 2)))).toEqual(value);
  });
});
