import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ts } from 'ts-morph';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { VirtualFile } from '../emit/emit.js';
import { diagnosticLine, overlayHost } from './host.js';

const require = createRequire(import.meta.url);

/** Where the verbatim runtime sits in a generated server (see emit). */
const RUNTIME_FOLDER = 'src/runtime/';

/** Declaration files of the packages generated code imports, resolved from mcpgen's own install. */
function sdkTypePaths(): Record<string, string[]> {
  // The SDK packages do not export ./package.json; their entry files sit in <package>/dist/.
  const serverDir = dirname(dirname(require.resolve('@modelcontextprotocol/server')));
  const nodeDir = dirname(dirname(require.resolve('@modelcontextprotocol/node')));
  return {
    '@modelcontextprotocol/server': [join(serverDir, 'dist/index.d.mts')],
    '@modelcontextprotocol/server/stdio': [join(serverDir, 'dist/stdio.d.mts')],
    '@modelcontextprotocol/server/validators/ajv': [join(serverDir, 'dist/validators/ajv.d.mts')],
    '@modelcontextprotocol/node': [join(nodeDir, 'dist/index.d.mts')],
  };
}

function typeRoots(): string[] {
  return [dirname(dirname(require.resolve('@types/node/package.json')))];
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
};

/** The user's hooks module: where it is, and how diagnostics name it. */
export interface HooksModule {
  readonly path: string;
  readonly display: string;
}

/**
 * Type-checks the generated TypeScript in memory, against the real SDK typings,
 * before anything is written. An error here is a bug in mcpgen, reported as a
 * diagnostic so the previous output stays untouched; an error in the user's hooks
 * module (or in how server.ts uses its default export) names the hooks module.
 */
export function verifyServer(name: string, outputPath: string, files: readonly VirtualFile[], hooks?: HooksModule): Diagnostic[] {
  const overlay = new Map(files.map((f) => [join(outputPath, f.path), f.text]));
  const roots = [...files.filter((f) => f.path.endsWith('.ts')).map((f) => join(outputPath, f.path)), ...(hooks ? [hooks.path] : [])];
  const options: ts.CompilerOptions = { ...COMPILER_OPTIONS, typeRoots: typeRoots(), paths: sdkTypePaths() };
  const program = ts.createProgram({ rootNames: roots, options, host: overlayHost(options, overlay) });
  // The runtime is copied verbatim and type-checked once, by mcpgen's own tests, under
  // these same options; per API only the files made from the spec need their bodies
  // checked (against the runtime's declarations). That halves verification time.
  const runtimeFolder = join(outputPath, RUNTIME_FOLDER);
  const sources = roots.map((path) => program.getSourceFile(path)).filter((source) => source !== undefined);
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...sources.flatMap<ts.Diagnostic>((source) =>
      source.fileName.startsWith(runtimeFolder) ? program.getSyntacticDiagnostics(source) : [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)],
    ),
  ];
  const serverFile = join(outputPath, 'src/server.ts');
  return diagnostics.slice(0, 20).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (hooks && (d.file?.fileName === hooks.path || d.file?.fileName === serverFile)) return hooksDiagnostic(d, message, hooks);
    const line = diagnosticLine(d) ?? 0;
    const where = d.file ? `${d.file.fileName.slice(outputPath.length + 1)}:${line}` : name;
    return {
      code: 'MCPGEN_TYPECHECK',
      severity: 'error',
      file: where,
      message: `Generated code for "${name}" does not type-check: ${message}`,
      help: 'This is a bug in mcpgen; nothing was written. Please report it with the spec.',
    } satisfies Diagnostic;
  });
}

function hooksDiagnostic(d: ts.Diagnostic, message: string, hooks: HooksModule): Diagnostic {
  const help = 'The hooks module default-exports a ServerHooks (types in the generated src/runtime/hooks.ts); nothing was written.';
  if (d.file?.fileName !== hooks.path) {
    return { code: 'MCPGEN_HOOKS_TYPECHECK', severity: 'error', file: hooks.display, message: `The default export of the hooks module is not a ServerHooks: ${message}`, help };
  }
  const position = d.start === undefined ? undefined : d.file.getLineAndCharacterOfPosition(d.start);
  return {
    code: 'MCPGEN_HOOKS_TYPECHECK',
    severity: 'error',
    file: hooks.display,
    ...(position ? { line: position.line + 1, column: position.character + 1 } : {}),
    message: `The hooks module does not type-check: ${message}`,
    help,
  };
}
