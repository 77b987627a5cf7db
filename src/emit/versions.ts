/**
 * Dependency versions written into every generated package.json. Pinned here, not
 * read from node_modules, so that output depends only on mcpgen's own version.
 * test/unit/versions.test.ts fails when these drift from what the verify stage
 * type-checks against.
 */
export const GENERATED_DEPENDENCIES = {
  '@modelcontextprotocol/node': '2.1.2',
  '@modelcontextprotocol/server': '2.4.0',
  // Retries, circuit breaker and concurrency cap of the upstream exchange (runtime/upstream/resilience.ts).
  cockatiel: '3.2.1',
  // Upstream OAuth 2.0 client credentials: the token request and response checks (runtime/upstream/client-credentials.ts).
  oauth4webapi: '3.8.8',
  // Structured JSON logs on stderr (runtime/observe/logger.ts).
  pino: '10.4.0',
  // Prometheus /metrics of the HTTP server (runtime/observe/metrics.ts).
  'prom-client': '15.1.3',
} as const;

export const GENERATED_DEV_DEPENDENCIES = {
  '@types/node': '20.19.25',
  typescript: '6.0.3',
} as const;

/** Added for a server with a hooks module: its `npm run build` bundles (build.mjs), as `mcpgen build` does with the same esbuild. */
export const HOOKS_BUILD_DEV_DEPENDENCIES = {
  esbuild: '0.28.2',
} as const;
