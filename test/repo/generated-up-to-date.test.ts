import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

// generated/ is committed: CI must fail when a spec, template or the compiler changed
// without regenerating.
it('the committed generated/ matches a fresh generation (mcpgen check)', () => {
  const result = spawnSync(process.execPath, ['bin/mcpgen.js', 'check'], { cwd: root, encoding: 'utf8' });
  expect(result.stderr).toContain('generated output is up to date');
  expect(result.status).toBe(0);
});

it('mcpgen.schema.json is the published JSON Schema of the config', () => {
  const result = spawnSync(process.execPath, ['bin/mcpgen.js', 'schema'], { cwd: root, encoding: 'utf8' });
  expect(result.status).toBe(0);
  expect(readFileSync(`${root}/mcpgen.schema.json`, 'utf8')).toBe(result.stdout);
});
