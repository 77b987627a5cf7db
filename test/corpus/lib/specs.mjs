// Which specs to run, and their gunzipped copies under .work/.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

function walkFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walkFiles(full));
    else out.push(full);
  }
  return out.sort();
}

const SPEC_EXT = /\.(json|ya?ml)(\.gz)?$/;

/** Every spec of the default run, as absolute paths. */
export function defaultSpecs(corpusRoot, { withSwagger2 = false, withLarge = false } = {}) {
  const files = walkFiles(join(corpusRoot, 'apis-guru')).filter((f) => f.endsWith('.json.gz'));
  for (const v of ['v3.0', 'v3.1']) files.push(...walkFiles(join(corpusRoot, 'oai', v)).filter((f) => SPEC_EXT.test(f)));
  if (withSwagger2) {
    // petstore-separate: only the entry documents, not the fragments they $ref
    files.push(...walkFiles(join(corpusRoot, 'oai', 'v2.0')).filter((f) => SPEC_EXT.test(f) && (!f.includes('petstore-separate') || /spec\/swagger\.(json|ya?ml)$/.test(f))));
    files.push(...walkFiles(join(corpusRoot, 'swagger2')).filter((f) => SPEC_EXT.test(f)));
  }
  if (withLarge) files.push(...walkFiles(join(corpusRoot, 'large')).filter((f) => SPEC_EXT.test(f)));
  return files;
}

/** A stable id from the path inside the corpus: `apis-guru/x__y.json.gz` → `apis-guru__x__y`. */
export function specId(corpusRoot, file) {
  const rel = relative(corpusRoot, file).startsWith('..') ? basename(file) : relative(corpusRoot, file);
  return rel.replace(/\.gz$/, '').replace(/\.json$/, '').replace(/[\\/]/g, '__').replace(/\.(ya?ml)$/, '-$1');
}

/** An npm-valid server name (it also prefixes the env variables). */
export function serverName(id) {
  const name = id
    .toLowerCase()
    .replace(/^apis-guru__/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return /^[a-z]/.test(name) ? name : `s-${name}`;
}

/**
 * Resolves the command-line selection into spec entries:
 * { id, name, source (display), file (absolute path to feed mcpgen and Prism) }.
 */
export function resolveSpecs({ repoRoot, corpusRoot, workRoot, files, subset, limit, withSwagger2, withLarge }) {
  let paths;
  if (files.length) {
    const all = defaultSpecs(corpusRoot, { withSwagger2: true, withLarge: true });
    paths = files.flatMap((f) => {
      for (const base of [process.cwd(), repoRoot, corpusRoot]) {
        const p = resolve(base, f);
        if (existsSync(p) && statSync(p).isFile()) return [p];
      }
      const matches = all.filter((p) => specId(corpusRoot, p).includes(f) || p.includes(f));
      if (!matches.length) throw new Error(`no spec matches ${f}`);
      return matches;
    });
  } else if (subset === 'ci') {
    const list = JSON.parse(readFileSync(join(repoRoot, 'test/corpus/ci-subset.json'), 'utf8')).specs;
    paths = list.map((entry) => join(corpusRoot, typeof entry === 'string' ? entry : entry.path));
  } else {
    paths = defaultSpecs(corpusRoot, { withSwagger2, withLarge });
  }
  if (limit) paths = paths.slice(0, limit);
  return paths.map((file) => {
    const id = specId(corpusRoot, file);
    const dir = join(workRoot, id);
    let specFile = file;
    if (file.endsWith('.gz')) {
      mkdirSync(dir, { recursive: true });
      specFile = join(dir, basename(file).replace(/\.gz$/, ''));
      writeFileSync(specFile, gunzipSync(readFileSync(file)));
    }
    return { id, name: serverName(id), source: relative(repoRoot, file), file: specFile, dir };
  });
}
