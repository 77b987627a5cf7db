import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { RealFileSystemHost } from '@ts-morph/common';
import { Project, ts } from 'ts-morph';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { VirtualFile } from '../emit/emit.js';

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

/**
 * The real file system with the generated files laid over it, so module resolution
 * sees the new package.json ("type": "module" decides ESM under NodeNext) even
 * before anything is written, and never the stale files on disk.
 */
class OverlayFileSystem extends RealFileSystemHost {
  constructor(private readonly files: ReadonlyMap<string, string>) {
    super();
  }
  override fileExistsSync(path: string): boolean {
    return this.files.has(path) || super.fileExistsSync(path);
  }
  override async fileExists(path: string): Promise<boolean> {
    return this.files.has(path) || super.fileExists(path);
  }
  override readFileSync(path: string, encoding?: string): string {
    return this.files.get(path) ?? super.readFileSync(path, encoding);
  }
  override async readFile(path: string, encoding?: string): Promise<string> {
    return this.files.get(path) ?? super.readFile(path, encoding);
  }
  override directoryExistsSync(path: string): boolean {
    const prefix = path.endsWith('/') ? path : path + '/';
    for (const file of this.files.keys()) if (file.startsWith(prefix)) return true;
    return super.directoryExistsSync(path);
  }
}

/**
 * Type-checks the generated TypeScript in memory, against the real SDK typings,
 * before anything is written. An error here is a bug in mcpgen, reported as a
 * diagnostic so the previous output stays untouched.
 */
export function verifyServer(name: string, outputPath: string, files: readonly VirtualFile[]): Diagnostic[] {
  const overlay = new OverlayFileSystem(new Map(files.map((f) => [join(outputPath, f.path), f.text])));
  const project = new Project({
    fileSystem: overlay,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
      typeRoots: typeRoots(),
      paths: sdkTypePaths(),
    },
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: false,
  });
  const apiFiles: ts.SourceFile[] = [];
  const runtimeFiles: ts.SourceFile[] = [];
  for (const file of files) {
    if (!file.path.endsWith('.ts')) continue;
    const source = project.createSourceFile(join(outputPath, file.path), file.text, { overwrite: true });
    (file.path.startsWith(RUNTIME_FOLDER) ? runtimeFiles : apiFiles).push(source.compilerNode);
  }
  // The runtime is copied verbatim and type-checked once, by mcpgen's own tests, under
  // these same options; per API only the files made from the spec need their bodies
  // checked (against the runtime's declarations). That halves verification time.
  const program = project.getProgram().compilerObject;
  const diagnostics = [
    ...runtimeFiles.flatMap((source) => program.getSyntacticDiagnostics(source)),
    ...apiFiles.flatMap((source) => ts.getPreEmitDiagnostics(program, source)),
  ];
  return diagnostics.slice(0, 20).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
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
