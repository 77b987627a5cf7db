/**
 * The plan: what server to *emit*. Every decision (names, schemas, annotations,
 * files) is made while building it; templates only render it.
 * `ToolDefinition` mirrors templates/runtime/types.ts `ToolDef`: the emitted literal
 * is type-checked against the runtime's type in the verify stage.
 */
import type { HttpMethod, ParameterNode } from '../ir/types.js';
import type { Annotations } from './annotations.js';
import type { JsonSchema } from './json-schema.js';

export interface ParameterDefinition {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly arg: string;
  readonly required: boolean;
  readonly style: ParameterNode['style'];
  readonly explode: boolean;
  readonly allowReserved?: boolean;
  readonly contentType?: string;
}

export type BodyKind = 'json' | 'form' | 'multipart' | 'text' | 'binary';

export interface BodyMediaDefinition {
  readonly mediaType: string;
  readonly kind: BodyKind;
  readonly files?: readonly string[];
  readonly encoding?: { readonly [property: string]: { readonly style?: ParameterNode['style']; readonly explode?: boolean; readonly allowReserved?: boolean; readonly contentType?: string } };
}

export interface BodyDefinition {
  readonly arg: string;
  readonly required: boolean;
  readonly media: readonly BodyMediaDefinition[];
  readonly mediaTypeArg?: string;
}

export type OperationDefinition = ToolDefinition['operation'];

export interface ResourceDefinition {
  readonly uri: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType: string;
  readonly operation: OperationDefinition;
  /** OAuth scopes a caller's token needs to see and read the resource (config "scopes", as for a tool of the operation). */
  readonly scopes?: readonly string[];
}

export interface ResourceTemplateDefinition {
  readonly uriTemplate: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType: string;
  readonly operation: OperationDefinition;
  readonly variables: readonly { readonly name: string; readonly arg: string; readonly enum?: readonly string[] }[];
  /** OAuth scopes a caller's token needs to see the template and read its resources. */
  readonly scopes?: readonly string[];
  /** `scopes`: those the collection's operation needs, to list or complete its items. */
  readonly list?: { readonly operation: OperationDefinition; readonly items?: string; readonly id: string; readonly name: string; readonly scopes?: readonly string[] };
}

export type PromptSegment = { readonly text: string } | { readonly arg: string };

export type PromptMessageDefinition =
  | { readonly role: 'user' | 'assistant'; readonly segments: readonly PromptSegment[] }
  | { readonly role: 'user' | 'assistant'; readonly resource: string }
  | { readonly role: 'user' | 'assistant'; readonly image: string };

export interface PromptDefinition {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly arguments: readonly { readonly name: string; readonly description?: string; readonly required: boolean; readonly enum?: readonly string[] }[];
  readonly messages: readonly PromptMessageDefinition[];
}

export interface ToolDefinition {
  readonly name: string;
  readonly title?: string;
  readonly description: string;
  /** What tools/list gives instead of description when the config's descriptionBudget shortened it. */
  readonly listedDescription?: string;
  readonly inputSchema: JsonSchema;
  /** Server-wide definitions (data/definitions.json) linked into inputSchema.$defs at start-up. */
  readonly defs?: readonly string[];
  /** JSON pointers (into the linked input schema) of optional properties published as nullable only for strict clients: null there means absent. */
  readonly nullMeansAbsent?: readonly string[];
  readonly outputSchema?: JsonSchema;
  readonly annotations: Annotations;
  /** OAuth scopes a caller's token needs to see and call the tool (config "scopes"); absent: any caller. */
  readonly scopes?: readonly string[];
  readonly _meta: { readonly 'mcpgen/operation': { readonly method: string; readonly path: string; readonly operationId?: string } };
  readonly operation: {
    readonly method: HttpMethod;
    readonly path: string;
    readonly operationId?: string;
    readonly server?: string;
    readonly parameters: readonly ParameterDefinition[];
    readonly body?: BodyDefinition;
    readonly security: readonly (readonly string[])[];
    readonly scopes?: { readonly [scheme: string]: readonly string[] };
    readonly idempotent?: true;
    readonly response: { readonly structured: boolean; readonly wrapKey?: string };
  };
}

export interface ArgumentDoc {
  readonly name: string;
  readonly location: string;
  readonly required: boolean;
  readonly description?: string;
}

export interface ToolPlan {
  readonly definition: ToolDefinition;
  /** Slug of the tools/<group>.ts file the tool is emitted in. */
  readonly group: string;
  /** The operation's tags, as written in the spec (toolsets are their slugs). */
  readonly tags: readonly string[];
  readonly arguments: readonly ArgumentDoc[];
}

export type SecuritySchemeDefinition =
  | { readonly type: 'apiKey'; readonly in: 'header' | 'query' | 'cookie'; readonly name: string; readonly env: string }
  | { readonly type: 'bearer'; readonly env: string; readonly clientCredentials?: { readonly tokenUrl: string; readonly tokenUrlEnv: string; readonly clientIdEnv: string; readonly clientSecretEnv: string } }
  | { readonly type: 'basic'; readonly usernameEnv: string; readonly passwordEnv: string };

export interface SecuritySchemePlan {
  readonly name: string;
  readonly definition: SecuritySchemeDefinition;
  readonly envVars: readonly string[];
  /** What a variable is for in the README, where it differs from `summary`. */
  readonly variableNotes?: Readonly<Record<string, string>>;
  /** The variables an example client config sets, where not all of `envVars` (the others are alternatives or overrides). */
  readonly exampleVars?: readonly string[];
  readonly summary: string;
}

export interface ToolGroupPlan {
  readonly slug: string;
  readonly tools: readonly ToolPlan[];
}

export interface ServerPlan {
  readonly name: string;
  readonly version: string;
  readonly apiTitle: string;
  readonly apiVersion: string;
  readonly apiDescription?: string;
  readonly specFile: string;
  readonly envPrefix: string;
  readonly baseUrlEnv: string;
  readonly defaultBaseUrl: string;
  readonly securitySchemes: readonly SecuritySchemePlan[];
  readonly groups: readonly ToolGroupPlan[];
  readonly tools: readonly ToolPlan[];
  readonly resources: readonly ResourceDefinition[];
  readonly resourceTemplates: readonly ResourceTemplateDefinition[];
  readonly prompts: readonly PromptDefinition[];
  /** Input schema definitions shared by the tools, by `$defs` name, sorted. */
  readonly definitions: Readonly<Record<string, JsonSchema>>;
  /** What listing every tool costs a model. */
  readonly budget: TokenBudget;
  readonly discovery: DiscoveryPlan;
  /** Which tools OpenAI strict mode cannot take, and why (src/plan/strict.ts). */
  readonly strict: StrictReport;
  /** Toolset (tag slug) → tool names, for run-time filters and search_tools' tag. */
  readonly toolsets: Readonly<Record<string, readonly string[]>>;
  readonly searchIndex: SearchIndexData;
  /** Name in the official MCP registry (server.json, package.json mcpName). */
  readonly registryName: string;
  /** Author named in the MCP Bundle manifest. */
  readonly author: string;
  /** Import specifier of the user's hooks module from src/server.ts ('' without one). */
  readonly hooksImport: string;
}

export interface StrictRefusal {
  readonly tool: string;
  /** Why, each naming the place in the tool's inputSchema (JSON Pointer), the first few. */
  readonly reasons: readonly string[];
}

export interface StrictReport {
  /** Tools OpenAI strict mode takes as they are published. */
  readonly convertible: number;
  readonly tools: number;
  readonly refused: readonly StrictRefusal[];
}

/** What listing every tool costs a model (src/plan/budget.ts). */
export interface ToolCost {
  readonly name: string;
  readonly tokens: number;
}

export interface BudgetWarning {
  readonly limit: number;
  readonly clients: string;
  readonly message: string;
}

export interface TokenBudget {
  readonly encoding: 'o200k_base';
  readonly tools: number;
  /** Tokens of the whole tools/list result (all tools, one page). */
  readonly listTokens: number;
  /** The ten most expensive tools, most expensive first. */
  readonly top: readonly ToolCost[];
  readonly warnings: readonly BudgetWarning[];
  /** Tokens of the output schemas within listTokens (0 with outputSchemas: false). */
  readonly outputSchemaTokens: number;
  /** With a descriptionBudget: how many descriptions it shortened and the tokens that saves (already out of listTokens). */
  readonly descriptions?: { readonly budget: number; readonly shortened: number; readonly savedTokens: number };
}

/** Discovery mode as planned (src/plan/discovery.ts). */
export interface DiscoveryPlan {
  /** As configured. */
  readonly mode: 'off' | 'on' | 'auto';
  /** What the server does when its environment does not say. */
  readonly enabled: boolean;
  /** Why, in words, for the CLI and README. */
  readonly reason: string;
  /** Tool names listed directly in discovery mode. */
  readonly pinned: readonly string[];
}

/** Mirrors templates/runtime/protocol/search.ts SearchIndexData. */
export interface SearchIndexData {
  readonly version: 1;
  readonly names: readonly string[];
  /** Term → "document delta,impact,document delta,impact,…" in base 36 (see encodePostings). */
  readonly postings: { readonly [term: string]: string };
}
