import { readdirSync, readFileSync } from 'node:fs';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** templates/ at the package root, from both src/emit (tests) and dist/emit (CLI). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

const sources = new Map<string, string>();

export function templateSource(relativePath: string): string {
  let source = sources.get(relativePath);
  if (source === undefined) {
    source = readFileSync(TEMPLATES_DIR + relativePath, 'utf8');
    sources.set(relativePath, source);
  }
  return source;
}

/**
 * The runtime files copied verbatim into every generated server, as paths within runtime/
 * ('transport/http.ts'), sorted: its rooms (transport, protocol, upstream, inbound, observe)
 * and the shared files at its root.
 */
export function runtimeFiles(): { name: string; text: string }[] {
  return readdirSync(TEMPLATES_DIR + 'runtime', { recursive: true, encoding: 'utf8' })
    .map((name) => name.split(sep).join('/'))
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => ({ name, text: templateSource(`runtime/${name}`) }));
}
