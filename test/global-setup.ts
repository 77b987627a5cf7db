import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Behaviour tests drive the committed servers under generated/ as real processes,
 * so they are compiled once before any test runs (`npm test` compiles mcpgen first).
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['bin/mcpgen.js', 'build', '--quiet'], { cwd: root, stdio: 'inherit' });
}
