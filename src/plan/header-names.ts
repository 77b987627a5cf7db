// Header names a generated server can really send. Node's fetch (undici) throws on
// Connection, Keep-Alive, Transfer-Encoding, Upgrade, Content-Length and Expect, and
// overrides Host; TE, Trailer and Proxy-Connection are hop-by-hop (RFC 9110 §7.6.1):
// a proxy drops them. A name that is not an RFC 9110 token makes every fetch throw.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { OperationNode } from '../ir/types.js';

/** RFC 9110 §5.1: field-name = token; token = 1*tchar. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Lower-cased names the HTTP client owns; a parameter with one of them cannot work. */
export const TRANSPORT_HEADERS: ReadonlySet<string> = new Set([
  'connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-connection', 'host', 'content-length', 'expect',
]);

/** Why a header cannot be sent under this name, or undefined when it can. */
export function headerNameProblem(name: string): string | undefined {
  if (!TOKEN.test(name)) return 'is not a valid HTTP header name (RFC 9110 token)';
  if (TRANSPORT_HEADERS.has(name.toLowerCase())) return 'is a header the HTTP client sets or refuses itself (hop-by-hop, framing or Host)';
  return undefined;
}

/**
 * The operation without header parameters that cannot be sent (a warning each). An
 * optional one is left out: the rest of the operation works. A required one makes every
 * call fail, so the operation is skipped (undefined) with a warning rather than failing
 * the whole generation: the rest of the API is still served.
 */
export function withSendableHeaders(op: OperationNode, file: string, diagnostics: Diagnostic[]): OperationNode | undefined {
  const unsendable = op.parameters.filter((p) => p.in === 'header' && headerNameProblem(p.name) !== undefined);
  if (!unsendable.length) return op;
  const required = unsendable.find((p) => p.required);
  for (const param of unsendable) {
    const consequence = required ? `${op.method} ${op.path} is skipped: ${param === required ? 'it is required, so every call would fail' : `its required header "${required.name}" cannot be sent`}` : 'the parameter is left out';
    diagnostics.push({
      code: 'MCPGEN_HEADER_NAME_INVALID',
      severity: 'warning',
      file,
      pointer: param.pointer,
      message: `Header parameter ${JSON.stringify(param.name)} ${headerNameProblem(param.name)!}; ${consequence}.`,
      help: 'A defect in the spec: rename or remove the parameter.',
    });
  }
  if (required) return undefined;
  return { ...op, parameters: op.parameters.filter((p) => !unsendable.includes(p)) };
}
