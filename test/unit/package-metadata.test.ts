// Names derived for packaging and hooks: the registry name from the npm name, and the
// import specifier of a hooks module from the output folder.
import { describe, expect, it } from 'vitest';
import { hooksImport } from '../../src/plan/hooks.js';
import { defaultRegistryName } from '../../src/plan/package-metadata.js';

describe('defaultRegistryName', () => {
  it.each([
    ['unscoped', 'ledger-api', 'io.github.ledger-api/ledger-api'],
    ['scoped: the scope is the namespace', '@acme/ledger', 'io.github.acme/ledger'],
    ['characters the registry refuses become "-"', '@acme/led~ger', 'io.github.acme/led-ger'],
  ])('%s', (_case, name, want) => {
    expect(defaultRegistryName(name)).toBe(want);
    expect(want).toMatch(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/);
  });
});

describe('hooksImport', () => {
  it.each([
    ['no hooks module', undefined, '/repo/generated/x', ''],
    ['beside the config', '/repo/hooks/x.ts', '/repo/generated/x', '../../../hooks/x.js'],
    ['.mts becomes .mjs', '/repo/hooks/x.mts', '/repo/generated/x', '../../../hooks/x.mjs'],
    ['output nested deeper', '/repo/x.hooks.ts', '/repo/out/a/b', '../../../../x.hooks.js'],
  ])('%s', (_case, hooksPath, outputPath, want) => {
    expect(hooksImport(hooksPath, outputPath)).toBe(want);
  });
});
