// Swagger 2.0 → OpenAPI 3.0, done here and nowhere else, by swagger2openapi (the
// maintained converter behind most 2.0 tooling). Diagnostics keep pointing into
// the user's 2.0 file through originalPointer().
import { createRequire } from 'node:module';
import { pointerOf, type Diagnostic } from '../diagnostics/diagnostic.js';

const require = createRequire(import.meta.url);

type Converter = { convertObj(spec: object, options: object): Promise<{ openapi: Record<string, unknown> }> };

export async function convertSwagger2(document: Record<string, unknown>): Promise<Record<string, unknown>> {
  const converter = require('swagger2openapi') as Converter;
  // patch: repair small known defects instead of failing; resolve: false — external
  // refs were bundled already and remote fetching is decided by the loader.
  const { openapi } = await converter.convertObj(structuredClone(document), { patch: true, warnOnly: true, resolve: false, direct: false });
  return openapi;
}

/** Where 3.0 components came from in a 2.0 document. */
const COMPONENT_ORIGINS: readonly [string, string][] = [
  ['#/components/schemas/', '#/definitions/'],
  ['#/components/parameters/', '#/parameters/'],
  ['#/components/responses/', '#/responses/'],
  ['#/components/securitySchemes/', '#/securityDefinitions/'],
  ['#/components/requestBodies/', '#/parameters/'],
];

/**
 * Maps a pointer into the converted document back to the 2.0 document. Paths keep
 * their shape; a request body came from a body/formData parameter, and response
 * content from the response itself, so those map to the nearest ancestor that exists
 * in both (the locator then reports that node's line).
 */
export function originalPointer(pointer: string): string {
  for (const [converted, original] of COMPONENT_ORIGINS) {
    if (pointer.startsWith(converted)) return original + pointer.slice(converted.length).replace(/\/content\/[^/]+\/schema/, '/schema');
  }
  return pointer.replace(/\/requestBody(\/.*)?$/, '/parameters').replace(/\/content\/[^/]+\/schema/, '/schema');
}

/**
 * Swagger 2.0 allows formData parameters only when the operation consumes
 * application/x-www-form-urlencoded or multipart/form-data. Without any `consumes`
 * the converter assumes form-urlencoded; the spec itself is defective, and a tool
 * that reads it literally (a mock) will refuse the body. Reported as warnings.
 */
export function lintSwagger2(document: Record<string, unknown>, file: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const rootConsumes = Array.isArray(document.consumes) ? document.consumes : [];
  const paths = (document.paths ?? {}) as Record<string, Record<string, unknown>>;
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item ?? {})) {
      if (!op || typeof op !== 'object' || !Array.isArray((op as { parameters?: unknown }).parameters)) continue;
      const operation = op as { parameters: { in?: string }[]; consumes?: unknown };
      const consumes = Array.isArray(operation.consumes) ? operation.consumes : rootConsumes;
      if (consumes.length || !operation.parameters.some((p) => p && p.in === 'formData')) continue;
      diagnostics.push({
        code: 'MCPGEN_FORM_WITHOUT_CONSUMES',
        severity: 'warning',
        file,
        pointer: pointerOf('paths', path, method),
        message: `${method.toUpperCase()} ${path} has formData parameters but no "consumes"; it is sent as application/x-www-form-urlencoded.`,
        help: 'A defect in the spec: declare consumes (application/x-www-form-urlencoded or multipart/form-data).',
      });
    }
  }
  return diagnostics;
}
