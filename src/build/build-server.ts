import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Project, ts } from 'ts-morph';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export interface BuildResult {
  readonly name: string;
  readonly outputPath: string;
  readonly installed: boolean;
  readonly diagnostics: Diagnostic[];
}

const RUNTIME_PACKAGES = ['@modelcontextprotocol/server', '@modelcontextprotocol/node'];

/** True when the server's runtime dependencies resolve from its folder (its own node_modules or an ancestor's). */
function dependenciesResolve(outputPath: string): boolean {
  const require = createRequire(join(outputPath, 'package.json'));
  return RUNTIME_PACKAGES.every((name) => {
    try {
      require.resolve(name);
      return true;
    } catch {
      return false;
    }
  });
}

function npmInstall(cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['install', '--no-audit', '--no-fund'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
    child.on('error', (error) => resolve({ code: 1, output: error.message }));
  });
}

/**
 * Compiles a generated server to <output>/dist with its own tsconfig.json,
 * installing its dependencies first when they do not resolve.
 */
export async function buildServer(name: string, outputPath: string): Promise<BuildResult> {
  const fail = (message: string): BuildResult => ({
    name,
    outputPath,
    installed: false,
    diagnostics: [{ code: 'MCPGEN_BUILD_FAILED', severity: 'error', file: outputPath, message }],
  });
  if (!existsSync(join(outputPath, 'tsconfig.json'))) return fail(`No generated server in ${outputPath}; run mcpgen generate first.`);
  let installed = false;
  if (!dependenciesResolve(outputPath)) {
    const result = await npmInstall(outputPath);
    if (result.code !== 0) return fail(`npm install failed in ${outputPath}:\n${result.output.slice(-2000)}`);
    installed = true;
  }
  const project = new Project({ tsConfigFilePath: join(outputPath, 'tsconfig.json') });
  const emitted = await project.emit();
  const errors = [...project.getPreEmitDiagnostics(), ...emitted.getDiagnostics()].filter((d) => d.getCategory() === ts.DiagnosticCategory.Error);
  return {
    name,
    outputPath,
    installed,
    diagnostics: errors.slice(0, 20).map((d) => ({
      code: 'MCPGEN_BUILD_FAILED',
      severity: 'error',
      file: d.getSourceFile()?.getFilePath() ?? outputPath,
      line: d.getLineNumber(),
      message: ts.flattenDiagnosticMessageText(d.compilerObject.messageText, '\n'),
    })),
  };
}
