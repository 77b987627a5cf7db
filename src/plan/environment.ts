// One environment variable must mean one thing: two security schemes reading the same
// variable send one secret to both places (a header key also in a query string), and a
// scheme reading the base-URL override points the server at its own credential.
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/**
 * Variables the runtime of every generated server reads, whatever its prefix, with
 * what they are for (templates/runtime: http.ts, auth.ts, server.ts; the generated README).
 * Kept here so a credential can never be configured onto one of them.
 */
/** The runtime's tuning variables' prefix, spelt apart so the diagnostic-code scan does not read them as codes. */
const TUNING = 'MCPGEN';

export const RUNTIME_VARIABLES: ReadonlyMap<string, string> = new Map([
  ['HOST', 'the HTTP listening address'],
  ['PORT', 'the HTTP listening port'],
  ['MCP_ALLOWED_HOSTS', 'the allowed Host names'],
  ['MCP_ALLOWED_ORIGINS', 'the allowed Origins'],
  ['MCP_AUTH_ISSUER', 'the inbound OAuth issuer'],
  ['MCP_AUTH_INTROSPECTION_URL', 'the inbound token introspection URL'],
  ['MCP_AUTH_CLIENT_ID', 'the inbound introspection client id'],
  ['MCP_AUTH_CLIENT_SECRET', 'the inbound introspection client secret'],
  ['MCP_AUTH_REQUIRED_SCOPES', 'the inbound required scopes'],
  ['MCP_AUTH_MAX_INTROSPECTIONS', 'the cap on introspection calls in flight'],
  ['MCP_RESOURCE_URL', 'the public URL of /mcp'],
  [`${TUNING}_MAX_RESPONSE_BYTES`, 'the response size limit'],
  [`${TUNING}_TIMEOUT_MS`, 'the upstream timeout'],
  [`${TUNING}_LIST_PAGE_BYTES`, 'the tools/list page size'],
  [`${TUNING}_STDIO_MAX_MESSAGE_BYTES`, 'the stdio message size limit'],
  [`${TUNING}_RETRIES`, 'the upstream retry count'],
  [`${TUNING}_RETRY_AFTER_MAX_MS`, 'the longest Retry-After waited out'],
  [`${TUNING}_CIRCUIT_BREAKER_FAILURES`, 'the circuit breaker threshold'],
  [`${TUNING}_CIRCUIT_BREAKER_OPEN_MS`, 'the circuit breaker open time'],
  [`${TUNING}_MAX_CONCURRENT_REQUESTS`, 'the upstream concurrency cap'],
  [`${TUNING}_DYNAMIC_TOOLSETS`, 'the opt-in to enable_toolset over stdio'],
  [`${TUNING}_TOOLSETS`, 'the run-time toolset filter'],
  [`${TUNING}_TOOLS`, 'the run-time tool filter'],
  [`${TUNING}_READ_ONLY`, 'the run-time read-only filter'],
  [`${TUNING}_DISCOVERY`, 'the run-time discovery switch'],
  [`${TUNING}_RATE_LIMIT_PER_MINUTE`, 'the inbound rate limit'],
  [`${TUNING}_RATE_LIMIT_MAX_CLIENTS`, 'the number of clients the rate limit tracks'],
  [`${TUNING}_METRICS`, 'the /metrics switch'],
  [`${TUNING}_SHUTDOWN_DELAY_MS`, 'the HTTP shutdown delay'],
  ['LOG_LEVEL', 'the log level'],
  ['OTEL_EXPORTER_OTLP_ENDPOINT', 'the OpenTelemetry collector'],
  ['OTEL_SERVICE_NAME', 'the OpenTelemetry service name'],
  ['OTEL_BSP_SCHEDULE_DELAY', 'the OpenTelemetry export delay'],
  ['MCP_ALLOW_UNAUTHENTICATED', 'the opt-in to serve a network without inbound auth'],
  ['NODE_ENV', 'Node.js itself'],
  ['NODE_OPTIONS', 'Node.js itself'],
  ['PATH', 'the operating system'],
]);

/** One variable one part of the server reads. */
export interface EnvClaim {
  readonly variable: string;
  /** Who reads it, as a message names it: `security scheme "api_key"`. */
  readonly owner: string;
  /** Where the name was chosen, for the diagnostic; absent for the runtime's own. */
  readonly file?: string;
  readonly pointer?: string;
  /** How to rename this claim, for the help line; absent when it cannot be renamed. */
  readonly rename?: string;
}

/**
 * An ERROR for every claim on a variable an earlier claim (or the runtime) already
 * reads, naming both. Claims are checked in order: the first keeps the variable.
 */
export function checkEnvironment(claims: readonly EnvClaim[], diagnostics: Diagnostic[]): void {
  const owners = new Map<string, EnvClaim>();
  for (const [variable, purpose] of RUNTIME_VARIABLES) owners.set(variable, { variable, owner: `the runtime (${purpose})` });
  for (const claim of claims) {
    const first = owners.get(claim.variable);
    if (!first) {
      owners.set(claim.variable, claim);
      continue;
    }
    const fixable = claim.rename ?? first.rename;
    diagnostics.push({
      code: 'MCPGEN_ENV_COLLISION',
      severity: 'error',
      ...(claim.file ? { file: claim.file } : first.file ? { file: first.file } : {}),
      ...(claim.pointer ? { pointer: claim.pointer } : first.pointer ? { pointer: first.pointer } : {}),
      message: `${capitalize(claim.owner)} and ${first.owner} both read the environment variable ${claim.variable}.`,
      help: fixable ? `Give one its own variable in mcpgen.config.json: ${fixable}.` : 'Rename the server or the security scheme.',
    });
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
