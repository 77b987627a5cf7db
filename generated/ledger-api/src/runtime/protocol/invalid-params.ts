// The SDK checks a request's params against the method's schema before calling the
// handler, but reports a mismatch (`tools/list` with `cursor: 5`) as -32603 Internal
// error whose message is the whole zod issue list. JSON-RPC says -32602 Invalid params;
// this Server answers that, with one short line per issue.

import { observeRequest } from '../observe/observe.js';
import { ProtocolError, ProtocolErrorCode, Server, type JSONRPCRequest, type Result, type ServerContext, type ServerOptions } from '@modelcontextprotocol/server';
import type { TraceContext } from '../observe/trace.js';

type Handler = (request: JSONRPCRequest, ctx: ServerContext) => Promise<Result>;

/** At most this many issues are named in one answer. */
const MAX_ISSUES = 5;

export class StrictParamsServer extends Server {
  /** `trace`: the HTTP request's (see trace.ts traceOfRequest); undefined over stdio. */
  constructor(
    info: ConstructorParameters<typeof Server>[0],
    options: ServerOptions,
    private readonly trace?: TraceContext,
  ) {
    super(info, options);
  }

  protected override _wrapHandler(method: string, handler: Handler): Handler {
    const wrapped = super._wrapHandler(method, handler);
    // Every request is logged and counted (observe.ts), whatever it answers.
    return (request, ctx) =>
      observeRequest(method, request, ctx, this.trace, async () => {
        try {
          return await wrapped(request, ctx);
        } catch (error) {
          const issues = schemaIssues(error);
          if (issues === undefined) throw error;
          throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Invalid params for ${method}: ${issues}`);
        }
      });
  }
}

/**
 * The issues of the SDK's params check, as `params.cursor: expected string, received number`;
 * undefined for any other error. The SDK throws that check as a plain Error whose message is
 * the JSON of zod's issue list, or for tools/call as an InvalidParams ProtocolError with that
 * JSON after "Invalid tools/call request: " (errors from our handlers are prose).
 */
function schemaIssues(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const plain = error.constructor === Error;
  const invalidParams = error instanceof ProtocolError && error.code === ProtocolErrorCode.InvalidParams;
  if (!plain && !invalidParams) return undefined;
  const json = /^(?:Invalid [\w/]+ request: )?(\[[\s\S]*\])$/.exec(error.message)?.[1];
  if (json === undefined) return undefined;
  let issues: unknown;
  try {
    issues = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(issues) || issues.length === 0 || !issues.every(isIssue)) return undefined;
  const lines = issues.slice(0, MAX_ISSUES).map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message.replace(/^Invalid input: /, '')}`);
  if (issues.length > MAX_ISSUES) lines.push(`and ${issues.length - MAX_ISSUES} more`);
  return lines.join('; ');
}

function isIssue(value: unknown): value is { path: (string | number)[]; message: string } {
  if (value === null || typeof value !== 'object') return false;
  const { code, path, message } = value as Record<string, unknown>;
  return typeof code === 'string' && Array.isArray(path) && typeof message === 'string';
}
