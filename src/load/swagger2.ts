// Swagger 2.0 → OpenAPI 3.0, done here and nowhere else, by swagger2openapi (the
// maintained converter behind most 2.0 tooling). Diagnostics keep pointing into
// the user's 2.0 file through originalPointer().
import { createRequire } from 'node:module';

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
