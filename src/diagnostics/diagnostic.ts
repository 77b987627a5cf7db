import type { DiagnosticCode } from './catalog.js';

export type Severity = 'error' | 'warning' | 'info';

/** One finding about the user's input or the generated output. Collected, never thrown. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  /** File the finding is about (spec, config or template), as given by the user. */
  readonly file?: string;
  /** JSON pointer into that file, e.g. `#/paths/~1accounts/get`. */
  readonly pointer?: string;
  readonly line?: number;
  readonly column?: number;
  readonly help?: string;
}

/** Thrown only to abort a stage whose remaining work depends on what failed. */
export class DiagnosticError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('\n'));
  }
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Encodes one reference token of a JSON pointer (RFC 6901). */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointerOf(...tokens: readonly (string | number)[]): string {
  return '#' + tokens.map((t) => '/' + escapePointerToken(String(t))).join('');
}

export function parsePointer(pointer: string): string[] {
  const body = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (body === '') return [];
  return body
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `file:line:col pointer CODE message`, the form every editor and CI log can link. */
export function formatDiagnostic(d: Diagnostic): string {
  const place = d.file ? [d.file, d.line, d.column].filter((p) => p !== undefined).join(':') : 'mcpgen';
  const head = [place, d.pointer, d.code, d.message].filter(Boolean).join(' ');
  return d.help ? `${head}\n  help: ${d.help}` : head;
}
