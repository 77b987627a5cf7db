// The versions written into generated package.json files are the versions this repo installs,
// which is what the verify stage type-checks generated code against and what tests run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_DEPENDENCIES, GENERATED_DEV_DEPENDENCIES, HOOKS_BUILD_DEV_DEPENDENCIES } from '../../src/emit/versions.js';
import { OTEL_PACKAGES } from '../../templates/runtime/observe/tracing.js';
import { REPO_ROOT } from '../support/mcp.js';

function installed(name: string): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

const pinned = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

describe('generated dependency versions', () => {
  it.each(Object.entries({ ...GENERATED_DEPENDENCIES, ...GENERATED_DEV_DEPENDENCIES, ...HOOKS_BUILD_DEV_DEPENDENCIES }))('%s is pinned to what the repo installs', (name, version) => {
    expect(installed(name)).toBe(version);
    expect(pinned.dependencies[name] ?? pinned.devDependencies[name]).toBe(version);
  });
});

describe('optional OpenTelemetry packages', () => {
  it.each(OTEL_PACKAGES)('%s is what the repo installs and tests tracing with', (spec) => {
    const at = spec.lastIndexOf('@');
    const [name, version] = [spec.slice(0, at), spec.slice(at + 1)];
    expect(installed(name)).toBe(version);
    expect(pinned.devDependencies[name]).toBe(version);
  });

  it('the generated README names the same install command', () => {
    const readme = readFileSync(join(REPO_ROOT, 'templates', 'server', 'README.md.hbs'), 'utf8');
    expect(readme).toContain(`npm install --save-exact ${OTEL_PACKAGES.join(' ')}`);
  });
});
