/**
 * The IR: what the API *is*, independent of what server we emit. Built from an
 * OpenAPI 3.x document by src/ir/build-model.ts; every node carries the JSON
 * pointer of its source so later stages can name the place in diagnostics.
 */

/** A Schema Object as written in the spec (may be a `$ref`); converted in plan/. */
export type SchemaObject = { readonly [keyword: string]: unknown };

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'OPTIONS' | 'HEAD' | 'PATCH' | 'TRACE';

export interface ParameterNode {
  readonly kind: 'parameter';
  readonly pointer: string;
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required: boolean;
  readonly description?: string;
  readonly deprecated: boolean;
  /** Resolved per the spec's defaults for the location (form for query/cookie, simple for path/header). */
  readonly style: 'simple' | 'label' | 'matrix' | 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';
  readonly explode: boolean;
  readonly allowReserved: boolean;
  readonly schema?: SchemaObject;
  /** Set when the parameter is declared with `content` instead of `schema`. */
  readonly contentMediaType?: string;
}

export interface MediaNode {
  readonly kind: 'media';
  readonly pointer: string;
  readonly mediaType: string;
  readonly schema?: SchemaObject;
  /** The Encoding Object map of form and multipart bodies, as written. */
  readonly encoding?: { readonly [property: string]: unknown };
}

export interface RequestBodyNode {
  readonly kind: 'requestBody';
  readonly pointer: string;
  readonly required: boolean;
  readonly description?: string;
  readonly contents: readonly MediaNode[];
}

export interface ResponseNode {
  readonly kind: 'response';
  readonly pointer: string;
  /** `200`, `2XX`, `default`, … as written. */
  readonly status: string;
  readonly description?: string;
  readonly contents: readonly MediaNode[];
}

/** Scheme name → scopes. An empty list of these means "no credentials". */
export type SecurityRequirement = { readonly [scheme: string]: readonly string[] };

export interface OperationNode {
  readonly kind: 'operation';
  readonly pointer: string;
  readonly method: HttpMethod;
  /** The path requests go to (a fragment in the spec's path key is dropped). */
  readonly path: string;
  /** The path key as written in the spec, when it differs from `path`. */
  readonly specPath?: string;
  readonly operationId?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly deprecated: boolean;
  /** Path-level parameters merged with operation-level ones (operation wins). */
  readonly parameters: readonly ParameterNode[];
  readonly requestBody?: RequestBodyNode;
  readonly responses: readonly ResponseNode[];
  /** The effective requirement list (operation's own, else the document's). */
  readonly security: readonly SecurityRequirement[];
  /** The operation's own `servers`, else its path item's; empty when it uses the document's. */
  readonly servers: readonly ServerNode[];
  /** `x-idempotent: true`: the publisher says repeating this (POST, PATCH) request is safe, so it may be retried. */
  readonly idempotent?: true;
}

export interface SecuritySchemeNode {
  readonly kind: 'securityScheme';
  readonly pointer: string;
  readonly name: string;
  readonly type: string;
  readonly in?: 'header' | 'query' | 'cookie';
  readonly parameterName?: string;
  /** Lower-cased HTTP auth scheme (`bearer`, `basic`) for type `http`. */
  readonly scheme?: string;
  readonly description?: string;
  /** An `oauth2` scheme's client credentials flow (Swagger 2.0 `flow: application` arrives converted to it). */
  readonly clientCredentials?: ClientCredentialsFlowNode;
}

/** https://spec.openapis.org/oas/v3.1.0#oauth-flow-object */
export interface ClientCredentialsFlowNode {
  /** As written: it may be relative to the server URL (resolved by the runtime against the base URL in use). */
  readonly tokenUrl: string;
  /** The scopes the flow declares, sorted. */
  readonly scopes: readonly string[];
}

export interface ServerNode {
  readonly kind: 'server';
  readonly pointer: string;
  /** URL with server variables replaced by their defaults. */
  readonly url: string;
}

export interface ApiModel {
  readonly kind: 'api';
  readonly file: string;
  readonly openapiVersion: '3.0' | '3.1';
  readonly title: string;
  readonly version: string;
  readonly description?: string;
  readonly servers: readonly ServerNode[];
  readonly operations: readonly OperationNode[];
  readonly securitySchemes: readonly SecuritySchemeNode[];
  /** The document, for resolving `$ref`s inside schemas (see ir/refs.ts). */
  readonly document: { readonly [key: string]: unknown };
}
