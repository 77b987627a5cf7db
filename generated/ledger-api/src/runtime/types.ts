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
  /** Set when the parameter is declared with `content`: the value is serialized as this media type (JSON). */
  readonly contentType?: string;
}

/** How a body of a given media type is put on the wire. */
export type BodyKind = 'json' | 'form' | 'multipart' | 'text' | 'binary';

/** Per-property serialization of form and multipart bodies (the OpenAPI Encoding Object). */
export interface PropertyEncodingDef {
  readonly style?: ParameterStyle;
  readonly explode?: boolean;
  readonly allowReserved?: boolean;
  /** Content-Type of a multipart part (e.g. application/json sends the value as JSON). */
  readonly contentType?: string;
}

export interface BodyMediaDef {
  readonly mediaType: string;
  readonly kind: BodyKind;
  /** Multipart properties that are files, sent from `{ data: base64, filename?, mediaType? }`. */
  readonly files?: readonly string[];
  readonly encoding?: { readonly [property: string]: PropertyEncodingDef };
}

export interface BodyDef {
  /** Property name in the tool's arguments that holds the request body. */
  readonly arg: string;
  readonly required: boolean;
  /** Media types the caller may send, the default first. */
  readonly media: readonly BodyMediaDef[];
  /** When several media types are offered: the argument naming the one to send. */
  readonly mediaTypeArg?: string;
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
  /** Base URL of this operation when its path or operation declares its own `servers`. */
  readonly server?: string;
  readonly parameters: readonly ParameterDef[];
  readonly body?: BodyDef;
  /**
   * Security requirement alternatives, each a list of scheme names (keys of
   * ApiDef.securitySchemes). `[]` means the operation sends no credentials.
   * The runtime applies the first alternative whose credentials are all present.
   */
  readonly security: readonly (readonly string[])[];
  /**
   * Scopes the operation asks of a scheme whose token the server fetches itself (client
   * credentials), by scheme name: the union over the requirement alternatives that name it.
   */
  readonly scopes?: { readonly [scheme: string]: readonly string[] };
  /** Declared idempotent (`x-idempotent`, or the mapping's idempotentHint) though its method is not: it may be retried. */
  readonly idempotent?: true;
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
  /** The full description (describe_tools, search). */
  readonly description: string;
  /** What tools/list gives instead, when the config's descriptionBudget shortened the description. */
  readonly listedDescription?: string;
  readonly inputSchema: JsonSchema;
  /**
   * Names of shared definitions (src/schemas.ts) the input schema refers to as
   * `#/$defs/<name>`; linked into the published schema once at start-up, so each
   * component is written once per server instead of once per tool.
   */
  readonly defs?: readonly string[];
  /**
   * JSON pointers (into the linked input schema) of optional properties published as nullable
   * only so OpenAI strict mode can take the tool: null there means absent (coerce.ts).
   */
  readonly nullMeansAbsent?: readonly string[];
  readonly outputSchema?: JsonSchema;
  readonly annotations: ToolAnnotations;
  /** OAuth scopes a caller's token needs to see and call the tool; enforced with inbound auth on (see scopes.ts). */
  readonly scopes?: readonly string[];
  readonly _meta: { readonly 'mcpgen/operation': { readonly method: string; readonly path: string; readonly operationId?: string } };
  readonly operation: OperationDef;
}

export type SecuritySchemeDef =
  | { readonly type: 'apiKey'; readonly in: 'header' | 'query' | 'cookie'; readonly name: string; readonly env: string }
  | { readonly type: 'bearer'; readonly env: string; readonly clientCredentials?: ClientCredentialsDef }
  | { readonly type: 'basic'; readonly usernameEnv: string; readonly passwordEnv: string };

/**
 * OAuth 2.0 client credentials (RFC 6749 section 4.4): when the scheme's token variable is
 * unset and both client variables are set, the server fetches the token itself.
 */
export interface ClientCredentialsDef {
  /** The spec's token URL, possibly relative to the base URL. */
  readonly tokenUrl: string;
  /** Overrides tokenUrl. */
  readonly tokenUrlEnv: string;
  readonly clientIdEnv: string;
  readonly clientSecretEnv: string;
}

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

/** A fixed resource: reading it calls a GET operation that needs no arguments. */
export interface ResourceDef {
  readonly uri: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType: string;
  readonly operation: OperationDef;
  /** OAuth scopes a caller's token needs to see and read it (those of its operation's tool); enforced with inbound auth on. */
  readonly scopes?: readonly string[];
}

export interface TemplateVariableDef {
  /** Variable name in the URI template (RFC 6570 level 1). */
  readonly name: string;
  /** The operation argument it fills (a path parameter's arg). */
  readonly arg: string;
  /** Offered by completion when the parameter's schema enumerates its values. */
  readonly enum?: readonly string[];
}

/** A resource template: reading a matching URI calls a GET with the variables as path parameters. */
export interface ResourceTemplateDef {
  readonly uriTemplate: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType: string;
  readonly operation: OperationDef;
  readonly variables: readonly TemplateVariableDef[];
  /** OAuth scopes a caller's token needs to see the template and read its resources. */
  readonly scopes?: readonly string[];
  /** The collection whose items resources/list returns as concrete URIs, and completion offers. */
  readonly list?: {
    readonly operation: OperationDef;
    /** Property of the collection response holding the items; absent when the response is the array. */
    readonly items?: string;
    /** Item field whose value fills the (single) template variable. */
    readonly id: string;
    /** Item field used as each resource's name. */
    readonly name: string;
    /** OAuth scopes a caller's token needs to list or complete the items (those of the collection's operation). */
    readonly scopes?: readonly string[];
  };
}

export type PromptSegment = { readonly text: string } | { readonly arg: string };

export type PromptMessageDef =
  | { readonly role: 'user' | 'assistant'; readonly segments: readonly PromptSegment[] }
  | { readonly role: 'user' | 'assistant'; readonly resource: string }
  | { readonly role: 'user' | 'assistant'; readonly image: string };

export interface PromptArgumentDef {
  readonly name: string;
  readonly description?: string;
  readonly required: boolean;
  readonly enum?: readonly string[];
}

/** A prompt compiled at generation time from a Handlebars template into segments. */
export interface PromptDef {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly arguments: readonly PromptArgumentDef[];
  readonly messages: readonly PromptMessageDef[];
}
