import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import SwaggerParser from '@apidevtools/swagger-parser';
import { LineCounter, parse as parseYaml, parseDocument } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { convertSwagger2, lintSwagger2, originalPointer } from './swagger2.js';
import { validateAgainstOpenApiSchema } from './validate-spec.js';

/** An OpenAPI 3.x document after external references were bundled in. */
export type OpenApiDocument = Record<string, unknown> & { openapi: string };

export interface LoadedSpec {
  readonly document: OpenApiDocument;
  /** Root file text, kept for pointer → line:col lookups when a diagnostic needs one. */
  readonly text: string;
  readonly file: string;
  readonly version: '3.0' | '3.1';
  /** Set for Swagger 2.0 input: maps pointers of the converted document back to the user's file. */
  readonly originalPointer?: (pointer: string) => string;
  /** Absolute paths of the local files the document was read from: the root and every file an external `$ref` reached. */
  readonly files: readonly string[];
}

export interface LoadSpecResult {
  readonly spec?: LoadedSpec;
  readonly diagnostics: Diagnostic[];
}

export interface LoadSpecOptions {
  /** Absolute path (or URL when allowRemote). */
  readonly path: string;
  /** The path as the user wrote it; used in diagnostics. */
  readonly display: string;
  readonly allowRemote: boolean;
}

/** The spec's text: gzip-compressed files (as large specs are often kept) are read through; other binary is refused. */
function readSpecText(bytes: Buffer, file: string): string | Diagnostic {
  const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  if (raw.includes(0)) {
    return { code: 'MCPGEN_SPEC_PARSE', severity: 'error', file, line: 1, column: 1, message: 'The file is binary, not YAML or JSON text.', help: 'Point "spec" at the OpenAPI document itself (YAML or JSON, optionally gzip-compressed).' };
  }
  return raw.toString('utf8');
}

function parseText(text: string, file: string): { value?: unknown; diagnostic?: Diagnostic } {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { value: JSON.parse(text) };
    } catch {
      // fall through: the YAML parser reports JSON syntax errors with a position
    }
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  const first = doc.errors[0];
  if (first) {
    return {
      diagnostic: {
        code: 'MCPGEN_SPEC_PARSE',
        severity: 'error',
        file,
        line: first.linePos?.[0].line,
        column: first.linePos?.[0].col,
        message: first.message.split('\n')[0] ?? 'Syntax error',
      },
    };
  }
  return { value: doc.toJS({ maxAliasCount: -1 }) };
}

/** True when some `$ref` points outside the document (another file or a URL). */
function hasExternalRefs(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === '$ref' && typeof child === 'string' && !child.startsWith('#')) return true;
      if (typeof child === 'object') stack.push(child);
    }
  }
  return false;
}

function remoteRefDiagnostic(message: string, file: string): Diagnostic {
  return {
    code: 'MCPGEN_REF_REMOTE',
    severity: 'error',
    file,
    message,
    help: 'Download the referenced file next to the spec, or set "allowRemote": true for this server.',
  };
}

/**
 * Reads a spec, bundles external `$ref`s into one document (swagger-parser does the
 * file walking), and validates it against the official OpenAPI schema.
 */
export async function loadSpec(options: LoadSpecOptions): Promise<LoadSpecResult> {
  const { path, display } = options;
  const remote = /^https?:\/\//i.test(path);
  if (remote && !options.allowRemote) {
    return { diagnostics: [remoteRefDiagnostic(`Spec ${path} is remote and remote specs are off.`, display)] };
  }
  if (!remote && !existsSync(path)) {
    return {
      diagnostics: [
        { code: 'MCPGEN_SPEC_NOT_FOUND', severity: 'error', file: display, message: `Spec file not found: ${path}`, help: 'Paths in the config resolve against the config file.' },
      ],
    };
  }
  let text = '';
  let value: unknown;
  if (remote) {
    value = await SwaggerParser.parse(path);
    text = JSON.stringify(value, null, 2);
  } else {
    const read = readSpecText(await readFile(path), display);
    if (typeof read !== 'string') return { diagnostics: [read] };
    text = read;
    const parsed = parseText(text, display);
    if (parsed.diagnostic) return { diagnostics: [parsed.diagnostic] };
    value = parsed.value;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { diagnostics: [{ code: 'MCPGEN_SPEC_INVALID', severity: 'error', file: display, pointer: '#', line: 1, column: 1, message: 'The document is not an object.' }] };
  }
  const record = value as Record<string, unknown>;
  const versionText = typeof record.openapi === 'string' ? record.openapi : undefined;
  const swagger2 = record.swagger === '2.0';
  const version = versionText?.startsWith('3.0') ? '3.0' : versionText?.startsWith('3.1') ? '3.1' : swagger2 ? '2.0' : undefined;
  if (!version) {
    const found = versionText ?? (record.swagger !== undefined ? `swagger ${String(record.swagger)}` : 'none');
    return {
      diagnostics: [
        {
          code: 'MCPGEN_SPEC_VERSION',
          severity: 'error',
          file: display,
          pointer: record.swagger !== undefined ? '#/swagger' : '#/openapi',
          line: 1,
          column: 1,
          message: `Unsupported OpenAPI version: ${found}.`,
          help: 'mcpgen reads Swagger 2.0, OpenAPI 3.0.x and OpenAPI 3.1.x documents.',
        },
      ],
    };
  }
  let document = record as OpenApiDocument;
  let files: string[] = remote ? [] : [path];
  if (hasExternalRefs(record)) {
    try {
      const parser = new SwaggerParser();
      document = (await parser.bundle(path, structuredClone(record) as never, {
        resolve: { http: options.allowRemote ? {} : false, external: true },
      } as never)) as unknown as OpenApiDocument;
      files = [...new Set([...files, ...parser.$refs.paths('file')])];
    } catch (error) {
      const message = (error as Error).message.split('\n')[0] ?? String(error);
      if (/https?:\/\//i.test(message) && !options.allowRemote) {
        return { diagnostics: [remoteRefDiagnostic(`A remote $ref cannot be resolved while remote references are off: ${message}`, display)] };
      }
      return { diagnostics: [{ code: 'MCPGEN_REF_EXTERNAL', severity: 'error', file: display, message: `External $ref failed: ${message}` }] };
    }
  }
  const diagnostics = validateAgainstOpenApiSchema(document, version, display, text);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  if (version === '2.0') {
    try {
      const converted = (await convertSwagger2(document)) as OpenApiDocument;
      return { spec: { document: converted, text, file: display, version: '3.0', originalPointer, files }, diagnostics: [...diagnostics, ...lintSwagger2(document, display)] };
    } catch (error) {
      const message = (error as Error).message.split('\n')[0] ?? String(error);
      return { diagnostics: [{ code: 'MCPGEN_SPEC_INVALID', severity: 'error', file: display, pointer: '#', message: `Swagger 2.0 conversion failed: ${message}` }] };
    }
  }
  return { spec: { document, text, file: display, version, files }, diagnostics };
}

export { parseYaml };
