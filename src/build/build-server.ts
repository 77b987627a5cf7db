import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, parse } from 'node:path';
import { build as esbuild } from 'esbuild';
import { ts } from 'ts-morph';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnosticLine, overlayHost } from '../verify/host.js';

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

function toDiagnostic(d: ts.Diagnostic, outputPath: string): Diagnostic {
  const line = diagnosticLine(d);
  return {
    code: 'MCPGEN_BUILD_FAILED',
    severity: 'error',
    file: d.file?.fileName ?? outputPath,
    ...(line === undefined ? {} : { line }),
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  };
}

/** The full compile: type-check (and, unbundled, emit) with the server's own tsconfig.json. */
async function typecheckAndEmit(outputPath: string, emit: boolean): Promise<Diagnostic[]> {
  const config = ts.getParsedCommandLineOfConfigFile(join(outputPath, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (config === undefined) return [{ code: 'MCPGEN_BUILD_FAILED', severity: 'error', file: join(outputPath, 'tsconfig.json'), message: 'Cannot read tsconfig.json' }];
  // Without emit, rootDir does not matter: the hooks module beside the config may lie outside src/
  // (TypeScript 6 defaults rootDir to the tsconfig's folder, so it is widened, not dropped).
  const options = emit ? config.options : { ...config.options, noEmit: true, rootDir: parse(outputPath).root };
  const program = ts.createProgram({ rootNames: config.fileNames, options, host: overlayHost(options) });
  const emitted = emit ? program.emit().diagnostics : [];
  return [...ts.getPreEmitDiagnostics(program), ...emitted, ...config.errors].filter((d) => d.category === ts.DiagnosticCategory.Error).map((d) => toDiagnostic(d, outputPath));
}

/**
 * Emits JavaScript file by file without type information. generate type-checked this
 * exact output against the real SDK typings before writing it (and check proves it is
 * unchanged), so checking it again here would only double the cost of a build.
 */
async function transpile(outputPath: string): Promise<Diagnostic[]> {
  const sourceRoot = join(outputPath, 'src');
  const files = (await readdir(sourceRoot, { recursive: true })).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  const errors: Diagnostic[] = [];
  for (const file of files.sort()) {
    const source = await readFile(join(sourceRoot, file), 'utf8');
    const result = ts.transpileModule(source, {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false, isolatedModules: true },
    });
    for (const d of result.diagnostics ?? []) {
      errors.push({ code: 'MCPGEN_BUILD_FAILED', severity: 'error', file: join(sourceRoot, file), message: ts.flattenDiagnosticMessageText(d.messageText, '\n') });
    }
    const target = join(outputPath, 'dist', file.replace(/\.ts$/, '.js'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, result.outputText);
  }
  return errors;
}

/** The entry points of a generated server; each becomes one file in dist/. */
export const ENTRY_POINTS = ['stdio', 'http'] as const;

/**
 * Bundles each entry point with its runtime, the SDK and the hooks module into one
 * ES module in dist/, so the package runs without node_modules and starts faster (one
 * file to read and link instead of a hundred). data/ stays beside dist/: the tables are
 * read at start-up relative to the entry file, which sits at the depth of src/.
 */
async function bundle(outputPath: string): Promise<Diagnostic[]> {
  const result = await esbuild({
    absWorkingDir: outputPath,
    entryPoints: ENTRY_POINTS.map((entry) => `src/${entry}.ts`),
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    // CommonJS dependencies bundled into an ES module still call require() for Node built-ins.
    banner: { js: "import { createRequire as __mcpgenCreateRequire } from 'node:module';\nconst require = __mcpgenCreateRequire(import.meta.url);" },
  }).catch((error: { errors?: { text: string; location?: { file: string; line: number } | null }[] }) => ({ errors: error.errors ?? [{ text: String(error), location: null }] }));
  return result.errors.map((e) => ({
    code: 'MCPGEN_BUILD_FAILED',
    severity: 'error',
    file: e.location ? join(outputPath, e.location.file) : outputPath,
    ...(e.location ? { line: e.location.line } : {}),
    message: e.text,
  }));
}

export interface BuildOptions {
  /** Type-check with the server's own tsconfig.json (generate already checked this exact output). */
  readonly typecheck?: boolean;
  /** Emit one JavaScript file per source file instead of one bundle per entry point. */
  readonly bundle?: boolean;
  /** The server imports a hooks module from outside src/: only a bundle can carry it. */
  readonly hooks?: boolean;
}

/**
 * Compiles a generated server to <output>/dist, installing its dependencies first
 * when they do not resolve; dist/ is replaced, not patched. By default each entry
 * point becomes one bundled file; `bundle: false` emits file by file (tsc with
 * `typecheck`, else a per-file transpile).
 */
export async function buildServer(name: string, outputPath: string, options: BuildOptions = {}): Promise<BuildResult> {
  const fail = (message: string): BuildResult => ({
    name,
    outputPath,
    installed: false,
    diagnostics: [{ code: 'MCPGEN_BUILD_FAILED', severity: 'error', file: outputPath, message }],
  });
  if (!existsSync(join(outputPath, 'tsconfig.json'))) return fail(`No generated server in ${outputPath}; run mcpgen generate first.`);
  if (options.hooks && options.bundle === false) return fail(`Server "${name}" imports a hooks module from outside its src/ folder, which only the bundled build carries along; build without --no-bundle.`);
  let installed = false;
  if (!dependenciesResolve(outputPath)) {
    const result = await npmInstall(outputPath);
    if (result.code !== 0) return fail(`npm install failed in ${outputPath}:\n${result.output.slice(-2000)}`);
    installed = true;
  }
  // dist/ is rebuilt from scratch: files of a previous layout must not linger in it.
  await rm(join(outputPath, 'dist'), { recursive: true, force: true });
  const bundled = options.bundle !== false;
  const checked = options.typecheck ? await typecheckAndEmit(outputPath, !bundled) : [];
  const errors = checked.length ? checked : bundled ? await bundle(outputPath) : options.typecheck ? [] : await transpile(outputPath);
  return {
    name,
    outputPath,
    installed,
    diagnostics: errors.slice(0, 20),
  };
}
