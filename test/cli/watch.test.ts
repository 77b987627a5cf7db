// `mcpgen generate --watch` as a real process on a temp project with a two-file spec: edits to
// either file and to the config regenerate; a broken spec prints its diagnostic and leaves the
// output as it was; fixing it regenerates; SIGTERM ends the watch with exit 0. Every wait polls
// for a file's content or a line on stderr, with a deadline.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, contents, editFile, removeDir, replaceOnce, snapshot, tmpDir, writeConfig } from './helpers.js';

const ROOT = `openapi: 3.0.3
info:
  title: Pets
  version: "1"
servers:
  - url: https://pets.example.com
paths:
  /pets/{id}:
    get:
      operationId: getPet
      summary: Get a pet
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          description: A pet
          content:
            application/json:
              schema:
                $ref: "./schemas.yaml#/Pet"
`;

const SCHEMAS = `Pet:
  type: object
  properties:
    name:
      type: string
`;

const DEADLINE_MS = 240_000;

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const d of dirs.splice(0)) removeDir(d);
});

/** Polls `probe` every 200 ms until it returns true; fails with `what` and the watch's stderr past the deadline. */
async function until(what: string, probe: () => boolean, stderr: () => string): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stderr:\n${stderr()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function readTools(out: string): string {
  try {
    const dir = path.join(out, 'data', 'tools');
    return readdirSync(dir)
      .sort()
      .map((f) => readFileSync(path.join(dir, f), 'utf8'))
      .join('\n');
  } catch {
    return '';
  }
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('mcpgen generate --watch', { timeout: 1_200_000 }, () => {
  it('regenerates on spec, referenced-file and config changes, keeps the last good output on a broken spec, exits 0 on SIGTERM', async () => {
    const dir = tmpDir();
    dirs.push(dir);
    const root = path.join(dir, 'pets.yaml');
    const schemas = path.join(dir, 'schemas.yaml');
    writeFileSync(root, ROOT);
    writeFileSync(schemas, SCHEMAS);
    writeConfig(dir, [{ name: 'pets', spec: 'pets.yaml', output: 'out' }]);
    const out = path.join(dir, 'out');

    const child = spawn(process.execPath, [CLI, 'generate', '--watch'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const err = () => stderr;
    const watching = () => count(stderr, 'mcpgen: watching 3 files for changes');

    // First generation, then the watch on the config and both spec files.
    await until('the first generation and the watch', () => watching() === 1, err);
    expect(readTools(out)).toContain('"title": "Get a pet"');

    // The root file changes.
    editFile(root, (t) => replaceOnce(t, 'summary: Get a pet', 'summary: Fetch one pet'));
    await until('the new summary in the tool table', () => readTools(out).includes('"title": "Fetch one pet"') && watching() === 2, err);
    expect(stderr).toContain('mcpgen: pets.yaml changed; regenerating…');

    // The file the root reaches through $ref changes.
    editFile(schemas, (t) => `${t}    age:\n      type: integer\n`);
    await until('the new output field from schemas.yaml', () => readTools(out).includes('"age": {') && watching() === 3, err);
    expect(stderr).toContain('mcpgen: schemas.yaml changed; regenerating…');

    // A broken spec: its diagnostic, and the output untouched.
    const good = contents(snapshot(out));
    editFile(root, (t) => replaceOnce(t, '  /pets/{id}:\n', '  /pets/{id}: [\n'));
    await until('the diagnostic of the broken spec', () => stderr.includes('the last good output is kept') && watching() === 4, err);
    expect(stderr).toMatch(/^error: pets\.yaml:\d+:\d+ MCPGEN_SPEC_PARSE /m);
    expect(stderr).toContain('mcpgen: nothing was written.');
    expect(contents(snapshot(out))).toEqual(good);

    // Fixed (with another edit, so the regeneration shows).
    editFile(root, (t) => replaceOnce(replaceOnce(t, '  /pets/{id}: [\n', '  /pets/{id}:\n'), 'summary: Fetch one pet', 'summary: Fetch a pet'));
    await until('the regeneration after the fix', () => readTools(out).includes('"title": "Fetch a pet"') && watching() === 5, err);

    // The config changes.
    writeConfig(dir, [{ name: 'pets', spec: 'pets.yaml', output: 'out', version: '2.0.0' }]);
    await until('the new package version', () => readFileSync(path.join(out, 'package.json'), 'utf8').includes('"version": "2.0.0"') && watching() === 6, err);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('mcpgen: stopped watching.');
  });
});
