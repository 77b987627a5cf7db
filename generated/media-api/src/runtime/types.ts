// The data contract between the compiler and the runtime of a generated server.
// The compiler emits values of these types (src/tools/*.ts, src/api.ts); the runtime
// (this folder, copied verbatim into every generated server) interprets them.
// Keep this file free of logic: it is read by both sides.

/** A JSON Schema object as published in tools/list (computed at generation time). */
export type JsonSchema = { readonly [keyword: string]: unknown };

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

/** OpenAPI 3 parameter serialization styles (https://spec.openapis.org/oas/v3.1.0#style-values). */
export type ParameterStyle =
  | 'simple'
  | 'label'
  | 'matrix'
  | 'form'
  | 'spaceDelimited'
  | 'pipeDelimited'
  | 'deepObject';

export interface ParameterDef {
  /** Name on the wire (path template variable, query key, header or cookie name). */
  readonly name: string;
  readonly in: ParameterLocation;
  /** Property name in the tool's arguments (differs from `name` when locations clash). */
  readonly arg: string;
  readonly required: boolean;
  readonly style: ParameterStyle;
  readonly explode: boolean;
  readonly allowReserved?: boolean;
}

export interface BodyDef {
  /** Property name in the tool's arguments that holds the request body. */
  readonly arg: string;
  /** Media type sent as Content-Type (this issue: JSON types only). */
  readonly mediaType: string;
  readonly required: boolean;
}

/** How the successful response is mapped to a tool result. */
export interface ResponseDef {
  /**
   * When set, a JSON body is published as `structuredContent` under this key
   * (used when the success schema is not an object, e.g. an array).
   */
  readonly wrapKey?: string;
  /** True when the tool declares an outputSchema (structuredContent must then be sent). */
  readonly structured: boolean;
}

export interface OperationDef {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'OPTIONS' | 'HEAD' | 'PATCH' | 'TRACE';
  /** Path template relative to the base URL, e.g. `/accounts/{accountId}`. */
  readonly path: string;
  readonly operationId?: string;
  readonly parameters: readonly ParameterDef[];
  readonly body?: BodyDef;
  /**
   * Security requirement alternatives, each a list of scheme names (keys of
   * ApiDef.securitySchemes). `[]` means the operation sends no credentials.
   * The runtime applies the first alternative whose credentials are all present.
   */
  readonly security: readonly (readonly string[])[];
  readonly response: ResponseDef;
}

export interface ToolAnnotations {
  readonly title?: string;
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

export interface ToolDef {
  readonly name: string;
  readonly title?: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
  readonly outputSchema?: JsonSchema;
  readonly annotations: ToolAnnotations;
  readonly _meta: { readonly 'mcpgen/operation': { readonly method: string; readonly path: string; readonly operationId?: string } };
  readonly operation: OperationDef;
}

export type SecuritySchemeDef =
  | { readonly type: 'apiKey'; readonly in: 'header' | 'query' | 'cookie'; readonly name: string; readonly env: string }
  | { readonly type: 'bearer'; readonly env: string }
  | { readonly type: 'basic'; readonly usernameEnv: string; readonly passwordEnv: string };

/** Per-API constants rendered into src/api.ts of a generated server. */
export interface ApiDef {
  /** Server (and npm package) name. */
  readonly name: string;
  readonly version: string;
  /** Environment variable that overrides the base URL at run time. */
  readonly baseUrlEnv: string;
  readonly defaultBaseUrl: string;
  readonly securitySchemes: { readonly [scheme: string]: SecuritySchemeDef };
}
