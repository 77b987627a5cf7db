import { describe, expect, it } from 'vitest';
import { shortenDescription } from '../../src/plan/description-budget.js';

const cases: Array<[string, { text: string; budget: number; want: string }]> = [
  ['text within the budget is unchanged', { text: 'Get an account.', budget: 40, want: 'Get an account.' }],
  ['summary line, then whole sentences that fit', { text: 'Get an account\n\nFetches one account. Accepts a key or a token.', budget: 40, want: 'Get an account\n\nFetches one account.' }],
  ['"e.g." does not end a sentence', { text: 'Lists things, e.g. Repositories and issues. More text follows here.', budget: 50, want: 'Lists things, e.g. Repositories and issues.' }],
  ['"e.g." that would be the only cut: whole words instead', { text: 'Lists things, e.g. Repositories and issues of a user.', budget: 25, want: 'Lists things, e.g.…' }],
  ['an initial is not a sentence end', { text: 'Created by J. Smith for the team. Then more.', budget: 36, want: 'Created by J. Smith for the team.' }],
  ['a URL keeps its dots and stays whole', { text: 'See https://docs.example.com/v1.2/guide.html for details. Then more.', budget: 60, want: 'See https://docs.example.com/v1.2/guide.html for details.' }],
  ['no cut inside a URL when words are needed', { text: 'Read https://docs.example.com/a/very/long/path/to/the/guide and then go on', budget: 30, want: 'Read…' }],
  ['a decimal number is not a sentence end', { text: 'Version 1.5 adds pagination. Older versions do not.', budget: 30, want: 'Version 1.5 adds pagination.' }],
  ['no cut inside a fenced code block', { text: 'Runs a query.\n\n```sql\nSELECT 1. FROM t. WHERE x\n```\n\nMore.', budget: 40, want: 'Runs a query.' }],
  ['an unclosed fence is code to the end', { text: 'Runs it.\n```js\nfoo(). Bar(). Baz()', budget: 30, want: 'Runs it.' }],
  ['no cut inside inline code', { text: 'Use `a. B c. D` to filter the list of things here.', budget: 12, want: 'Use…' }],
  ['no cut inside a link', { text: 'See [the guide. Part two](https://x.test/g) for details on this.', budget: 30, want: 'See…' }],
  ['a link that fits stays whole', { text: 'See [the guide](https://x.test/g). Then more and more text.', budget: 40, want: 'See [the guide](https://x.test/g).' }],
  ['no cut inside emphasis', { text: 'This is **very important. Really** and more words follow here.', budget: 30, want: 'This is…' }],
  ['a numbered list marker is not a sentence', { text: '1. Create the thing first\n2. Then use it to do more work', budget: 30, want: '1. Create the thing first' }],
  ['a line break inside a paragraph does not end a sentence', { text: 'Creates a secret with an encrypted value. Encrypt your secret using\n[LibSodium](https://x.test/s) first.', budget: 80, want: 'Creates a secret with an encrypted value.' }],
  ['a line break before a list item does', { text: 'Filters\n- by name\n- by date and many other things too', budget: 20, want: 'Filters\n- by name' }],
  ['whole words, never mid-word, dangling comma dropped', { text: 'Lists the accounts of a customer, filtered and paginated by creation date', budget: 36, want: 'Lists the accounts of a customer…' }],
  ['one word longer than the budget stays whole', { text: 'Supercalifragilisticexpialidocious is long', budget: 10, want: 'Supercalifragilisticexpialidocious…' }],
  ['one word and nothing else is kept', { text: 'Supercalifragilisticexpialidocious', budget: 10, want: 'Supercalifragilisticexpialidocious' }],
];

describe('shortenDescription', () => {
  it.each(cases)('%s', (_name, { text, budget, want }) => {
    expect(shortenDescription(text, budget)).toBe(want);
  });

  it.each(cases)('%s: never longer than the budget unless one word is', (_name, { text, budget }) => {
    const short = shortenDescription(text, budget);
    const firstWord = text.split(/\s/, 1)[0]!;
    if (firstWord.length + 1 <= budget) expect(short.length).toBeLessThanOrEqual(budget);
    expect(text.startsWith(short.replace(/…$/, ''))).toBe(true);
  });
});
