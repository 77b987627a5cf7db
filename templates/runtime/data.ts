// Reads the server's tables (tools, schemas, resources, prompts) from its data/ folder.
// JSON files rather than TypeScript literals: nothing to type-check or transpile, and
// V8's JSON parser loads them in about half the time it takes to evaluate the same
// tables as code, which is most of a large server's cold start.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The parsed contents of a data file; its shape is the compiler's contract (see types.ts). */
export function readData<T>(url: URL): T {
  let text: string;
  try {
    text = readFileSync(url, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot read ${fileURLToPath(url)}: deploy the server's data/ folder beside dist/ (${reason})`);
  }
  return JSON.parse(text) as T;
}
