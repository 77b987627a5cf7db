// What `generate --watch` watches: the files a run read. The repository's own config has a
// server with prompt templates; a two-file spec reaches its second file through $ref.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/pipeline.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('runPipeline inputs', { timeout: 120_000 }, () => {
  it('lists the config, the spec and every prompt template of the selected servers', async () => {
    const result = await runPipeline({ configPath: path.join(REPO_ROOT, 'mcpgen.config.json'), only: ['ledger-api'], verify: false });
    expect(result.inputs).toEqual([
      path.join(REPO_ROOT, 'mcpgen.config.json'),
      path.join(REPO_ROOT, 'specs', 'ledger-api.yaml'),
      // media-api's asset-caption.hbs is not: that server was not selected.
      ...['account-review.hbs', 'ledger-overview.hbs'].map((f) => path.join(REPO_ROOT, 'templates', 'prompts', f)),
    ]);
  });

  it('lists every file of a multi-file spec, and still the root spec and config when it does not load', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mcpgen-inputs-'));
    dirs.push(dir);
    const responses = { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: './parts/schemas.json#/Pet' } } } } };
    writeFileSync(path.join(dir, 'api.json'), JSON.stringify({ openapi: '3.0.3', info: { title: 'T', version: '1' }, servers: [{ url: 'https://x.example.com' }], paths: { '/pets': { get: { operationId: 'listPets', responses } } } }));
    mkdirSync(path.join(dir, 'parts'));
    writeFileSync(path.join(dir, 'parts', 'schemas.json'), JSON.stringify({ Pet: { type: 'object', properties: { name: { type: 'string' } } } }));
    writeFileSync(path.join(dir, 'mcpgen.config.json'), JSON.stringify({ servers: [{ name: 'pets', spec: 'api.json', output: 'out' }] }));
    const ok = await runPipeline({ configPath: 'mcpgen.config.json', cwd: dir, verify: false });
    expect(ok.inputs).toEqual([path.join(dir, 'api.json'), path.join(dir, 'mcpgen.config.json'), path.join(dir, 'parts', 'schemas.json')]);
    writeFileSync(path.join(dir, 'api.json'), '{ "openapi": ');
    const broken = await runPipeline({ configPath: 'mcpgen.config.json', cwd: dir, verify: false });
    expect(broken.diagnostics.some((d) => d.code === 'MCPGEN_SPEC_PARSE')).toBe(true);
    expect(broken.inputs).toEqual([path.join(dir, 'api.json'), path.join(dir, 'mcpgen.config.json')]);
  });
});
