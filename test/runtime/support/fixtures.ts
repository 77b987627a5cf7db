// Small builders for runtime tests: real ApiDef/ToolDef values, as the compiler emits them.
import type { ApiDef, BodyDef, BodyMediaDef, OperationDef, ToolDef } from '../../../templates/runtime/types.js';

export function api(overrides: Partial<ApiDef> = {}): ApiDef {
  return {
    name: 'test-api',
    version: '1.0.0',
    baseUrlEnv: 'TEST_API_BASE_URL',
    defaultBaseUrl: 'https://api.example.test/v1',
    securitySchemes: {
      headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', env: 'TEST_API_KEY' },
      queryKey: { type: 'apiKey', in: 'query', name: 'api_key', env: 'TEST_API_KEY' },
      cookieKey: { type: 'apiKey', in: 'cookie', name: 'session', env: 'TEST_SESSION' },
      bearer: { type: 'bearer', env: 'TEST_TOKEN' },
      basic: { type: 'basic', usernameEnv: 'TEST_USER', passwordEnv: 'TEST_PASSWORD' },
    },
    ...overrides,
  };
}

export function operation(overrides: Partial<OperationDef> = {}): OperationDef {
  return {
    method: 'GET',
    path: '/items',
    parameters: [],
    security: [],
    response: { structured: false },
    ...overrides,
  };
}

export function tool(name: string, op: OperationDef, inputSchema: ToolDef['inputSchema'], extra: Partial<ToolDef> = {}): ToolDef {
  return {
    name,
    description: `Calls ${op.method} ${op.path}`,
    inputSchema,
    annotations: { readOnlyHint: op.method === 'GET', destructiveHint: false, idempotentHint: true, openWorldHint: true },
    _meta: { 'mcpgen/operation': { method: op.method, path: op.path } },
    operation: op,
    ...extra,
  };
}

/** A request body offering `media` (the default first), as the compiler emits it. */
export function body(media: BodyMediaDef | readonly BodyMediaDef[], overrides: Partial<BodyDef> = {}): BodyDef {
  return { arg: 'body', required: true, media: Array.isArray(media) ? media : [media as BodyMediaDef], ...overrides };
}

/** The common case: one JSON media type. */
export function jsonBody(mediaType = 'application/json', overrides: Partial<BodyDef> = {}): BodyDef {
  return body({ mediaType, kind: 'json' }, overrides);
}
