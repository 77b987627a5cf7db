import { describe, expect, it } from 'vitest';
import { specProse } from '../../src/plan/text.js';

describe('specProse: HTML prose in spec descriptions becomes Markdown', () => {
  it.each([
    ['paragraph, link and code', '<p>Use a <a href="/docs/charges">Charge</a> or a <code>PaymentIntent</code>.</p>', 'Use a [Charge](/docs/charges) or a `PaymentIntent`.'],
    ['list with an entity', '<ul><li>one</li><li>two &amp; three</li></ul>', '-   one\n-   two & three'],
    ['emphasis', 'It is <strong>final</strong>.', 'It is **final**.'],
  ])('%s', (_name, given, want) => {
    expect(specProse(given)).toBe(want);
  });

  it.each([
    ['Markdown stays as written', 'Lists **accounts**; see `GET /accounts`.'],
    ['angle brackets that are not prose tags', 'Returns List<String> for each <id>; never </script><script>alert(1)</script>.'],
    ['an entity alone', 'Tom &amp; Jerry'],
  ])('%s', (_name, text) => {
    expect(specProse(text)).toBe(text);
  });
});
