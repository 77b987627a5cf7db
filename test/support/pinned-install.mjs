// Installs a test package's pinned tools (package.json + package-lock.json beside it) from
// the npm registry when they are missing, and checks that the Node 22 it pins (the `node`
// package, whose preinstall script fetches the binary) runs. Shared by the conformance
// suite and the client matrix, which need tools whose current majors require Node 22.
// Plain JS so the .mjs harnesses use it on any Node.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * `npm ci --prefix dir` unless every file in `required` (paths relative to dir) exists.
 * Returns the pinned Node 22 binary and its version. Throws with a fix when it is broken.
 */
export function ensurePinnedInstall(dir, required, log = (line) => process.stderr.write(`${line}\n`)) {
  const node22 = join(dir, 'node_modules', 'node', 'bin', 'node');
  const files = [node22, ...required.map((file) => join(dir, file))];
  const ready = () => files.every((file) => existsSync(file));
  if (!ready()) {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const args = ['ci', '--prefix', dir, '--no-audit', '--no-fund'];
    log(`$ npm ${args.join(' ')}`);
    const result = spawnSync(npm, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.error) throw new Error(`npm ci in ${relative(ROOT, dir)}: ${result.error.message}`);
    if (result.status !== 0) throw new Error(`npm ci in ${relative(ROOT, dir)} exited with ${result.status ?? result.signal}`);
  }
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length) throw new Error(`npm ci did not install ${missing.map((file) => relative(ROOT, file)).join(', ')}`);
  const version = spawnSync(node22, ['--version'], { encoding: 'utf8' });
  const text = (version.stdout ?? '').trim();
  if (version.status !== 0 || !/^v22\./.test(text)) {
    const where = relative(ROOT, dir);
    throw new Error(
      `${relative(ROOT, node22)} is not a working Node 22 (got ${JSON.stringify(text || version.error?.message)}); ` +
        `the \`node\` package installs its binary in a preinstall script: reinstall with scripts enabled (rm -rf ${where}/node_modules && npm ci --prefix ${where}).`,
    );
  }
  return { node22, version: text };
}
