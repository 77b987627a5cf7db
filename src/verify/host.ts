import { dirname } from 'node:path';
import { getLibFiles } from '@ts-morph/common';
import { ts } from 'ts-morph';

/** ts-morph ships the compiler's lib files in memory; they are served from this virtual folder. */
const LIB_FOLDER = '/__mcpgen__/typescript/lib';
let libFiles: ReadonlyMap<string, string> | undefined;
function libFileMap(): ReadonlyMap<string, string> {
  libFiles ??= new Map(getLibFiles().map((file) => [`${LIB_FOLDER}/${file.fileName}`, file.text]));
  return libFiles;
}

/**
 * Parsed declaration files (lib, and under node_modules: @types/node, the SDK), shared
 * by every program made in this process: they are the same files each time.
 */
const sharedSources = new Map<string, ts.SourceFile>();

/**
 * A compiler host that sees the real file system with the generated files laid over
 * it, so module resolution reads the new package.json ("type": "module" makes the
 * files ESM under NodeNext) and never stale files on disk. Source files are created
 * with the options the compiler passes (their module format included); ts-morph's
 * own cache drops those and would check ESM output as CommonJS.
 */
export function overlayHost(options: ts.CompilerOptions, files: ReadonlyMap<string, string> = new Map()): ts.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const directories = new Set<string>();
  for (const path of files.keys()) for (let dir = dirname(path); !directories.has(dir) && dir !== dirname(dir); dir = dirname(dir)) directories.add(dir);
  const libs = libFileMap();
  const realFileExists = host.fileExists.bind(host);
  const realReadFile = host.readFile.bind(host);
  const realDirectoryExists = host.directoryExists?.bind(host);
  return {
    ...host,
    fileExists: (path) => files.has(path) || libs.has(path) || realFileExists(path),
    readFile: (path) => files.get(path) ?? libs.get(path) ?? realReadFile(path),
    getDefaultLibLocation: () => LIB_FOLDER,
    getDefaultLibFileName: (options) => `${LIB_FOLDER}/${ts.getDefaultLibFileName(options)}`,
    directoryExists: (path) => directories.has(path) || (realDirectoryExists?.(path) ?? true),
    getSourceFile(path, languageVersionOrOptions, onError) {
      const text = files.get(path);
      if (text !== undefined) return ts.createSourceFile(path, text, languageVersionOrOptions, true);
      const lib = libs.get(path);
      if (lib === undefined && !path.includes('/node_modules/')) return host.getSourceFile(path, languageVersionOrOptions, onError);
      const options = typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions };
      const key = `${options.languageVersion}:${options.impliedNodeFormat ?? ''}:${path}`;
      let source = sharedSources.get(key);
      if (source === undefined) {
        source = lib !== undefined ? ts.createSourceFile(path, lib, languageVersionOrOptions) : host.getSourceFile(path, languageVersionOrOptions, onError);
        if (source !== undefined) sharedSources.set(key, source);
      }
      return source;
    },
  };
}

/** 1-based line of a diagnostic in its file, when it has a position. */
export function diagnosticLine(d: ts.Diagnostic): number | undefined {
  return d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : undefined;
}
