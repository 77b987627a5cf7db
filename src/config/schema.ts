import { z } from 'zod';

/**
 * The config file's schema: the single source of truth for its shape and every
 * default. mcpgen.schema.json is generated from it (see `configJsonSchema`).
 */

/**
 * Above this many tokens a full tools/list takes a large share of a model's context (it is
 * about 40 mid-sized tools): discovery "auto" turns on.
 */
export const DEFAULT_DISCOVERY_TOKEN_BUDGET = 30_000;

/** Below this not even a typical summary line ("List the repositories of a user") fits. */
export const MIN_DESCRIPTION_BUDGET = 40;

const annotationsSchema = z
  .object({
    readOnlyHint: z.boolean().optional(),
    destructiveHint: z.boolean().optional(),
    idempotentHint: z.boolean().optional(),
    openWorldHint: z.boolean().optional(),
  })
  .strict();

const toolOverrideSchema = z
  .object({
    name: z.string().optional().describe('Tool name: [A-Za-z][A-Za-z0-9_]{0,63}.'),
    title: z.string().optional(),
    description: z.string().optional(),
    annotations: annotationsSchema.optional(),
  })
  .strict();

const selectorSchema = z
  .string()
  .min(1)
  .describe('An operationId, "METHOD /path" (with * globs) or "tag:NAME".');

const mappingKinds = ['tool', 'resource', 'resourceTemplate', 'tool+resource', 'tool+resourceTemplate', 'exclude'] as const;

const resourceRuleSchema = z
  .object({
    select: selectorSchema,
    as: z.enum(mappingKinds).describe('What the matched operations become; the first matching rule wins.'),
    uri: z.string().optional().describe('URI (resource) or RFC 6570 level 1 template (resource template); default <scheme>://<path>.'),
    name: z.string().optional(),
    title: z.string().optional(),
    description: z.string().optional(),
    mimeType: z.string().optional(),
    list: z
      .object({
        operation: z.string().describe('operationId or "METHOD /path" of the collection that lists this template\'s items.'),
        items: z.string().optional().describe('Property of the collection response holding the item array (default: the response itself, else its first array property).'),
        id: z.string().optional().describe('Item field that fills the template variable (default: the variable name, else "id").'),
        name: z.string().default('name').describe('Item field used as the resource name.'),
      })
      .strict()
      .optional()
      .describe('For a resource template: the collection operation whose items resources/list returns.'),
  })
  .strict();

const resourcesSchema = z
  .object({
    scheme: z
      .string()
      .regex(/^[a-z][a-z0-9+.-]*$/, 'must be a URI scheme: a lower-case letter, then letters, digits, "+", "." or "-"')
      .optional()
      .describe('URI scheme of resources (default: the server name).'),
    defaults: z
      .boolean()
      .default(true)
      .describe('When no rule matches: GET collections become resources and GET-by-id resource templates, both staying tools.'),
    rules: z.array(resourceRuleSchema).default([]),
  })
  .strict();

const promptArgumentSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an identifier'),
    description: z.string().optional(),
    required: z.boolean().default(false),
    enum: z.array(z.string()).min(1).optional(),
  })
  .strict();

const promptSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must be letters, digits, "_" or "-", starting with a letter'),
    title: z.string().optional(),
    description: z.string().optional(),
    template: z.string().min(1).describe('Handlebars file, relative to templates/prompts/ beside the config.'),
    arguments: z.array(promptArgumentSchema).default([]),
  })
  .strict();

/** RFC 6749 section 3.3: a scope token is printable ASCII without space, '"' or '\\'. */
const scopeTokenSchema = z
  .string()
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be an OAuth scope: printable ASCII without spaces, quotes or backslashes');

const scopeRuleSchema = z
  .object({
    select: selectorSchema,
    require: z.array(scopeTokenSchema).min(1).describe('Scopes a token must carry, all of them, to see and call the matched tools.'),
  })
  .strict();

/** POSIX shells and every deployment tool accept these names. */
const envNameSchema = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name: upper-case letters, digits and "_", not starting with a digit');

const securityOverrideSchema = z
  .object({
    env: envNameSchema.optional().describe('Variable holding the credential of an apiKey, bearer, OAuth 2.0 or OpenID Connect scheme (default <NAME>_<SCHEME>).'),
    usernameEnv: envNameSchema.optional().describe('HTTP basic: variable holding the user name (default <NAME>_<SCHEME>_USERNAME).'),
    passwordEnv: envNameSchema.optional().describe('HTTP basic: variable holding the password (default <NAME>_<SCHEME>_PASSWORD).'),
  })
  .strict();

export const serverConfigSchema = z
  .object({
    name: z
      .string()
      .regex(/^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/, 'must be a valid npm package name (lower case)')
      .max(214)
      .describe('Server name; also the npm package name of the output.'),
    spec: z.string().min(1).describe('Path to the OpenAPI document (relative to this file), or a URL when allowRemote is true.'),
    output: z.string().min(1).describe('Output folder of the generated server (relative to this file).'),
    version: z.string().default('1.0.0').describe('Version of the generated package.'),
    baseUrl: z.string().url().optional().describe("Upstream base URL; default: the spec's first server URL."),
    allowRemote: z.boolean().default(false).describe('Allow a URL spec and remote $refs.'),
    include: z.array(selectorSchema).optional().describe('Operations to keep (default: all).'),
    exclude: z.array(selectorSchema).default([]).describe('Operations to drop; exclude wins over include.'),
    toolNameLength: z
      .number()
      .int()
      .min(16)
      .max(64)
      .optional()
      .describe('Longest generated tool name (default: what fits "mcp__<server>__<tool>" in 64 characters, at least 32); names set in tools are kept.'),
    tools: z
      .record(z.string(), toolOverrideSchema)
      .default({})
      .describe('Per-operation overrides keyed by operationId or "METHOD /path".'),
    resources: resourcesSchema.default({ defaults: true, rules: [] }).describe('Which operations become resources and resource templates.'),
    prompts: z.array(promptSchema).default([]).describe('Prompts rendered from Handlebars templates.'),
    security: z
      .record(z.string(), securityOverrideSchema)
      .default({})
      .describe('Per security scheme (keyed by its name in the spec): the environment variables its credentials are read from.'),
    discovery: z
      .enum(['off', 'on', 'auto'])
      .default('auto')
      .describe('tools/list lists search_tools, describe_tools and call_tool (plus pinnedTools) instead of every tool. "auto": on when listing every tool costs more than discoveryTokenBudget tokens. The environment of the running server can override it (see its README).'),
    discoveryTokenBudget: z
      .number()
      .int()
      .positive()
      .default(DEFAULT_DISCOVERY_TOKEN_BUDGET)
      .describe('With discovery "auto": the most tokens (o200k) a full tools/list may cost before discovery turns on.'),
    pinnedTools: z.array(z.string().min(1)).default([]).describe('Tool names listed directly even in discovery mode (and the tools a stdio connection starts with when enable_toolset is on).'),
    descriptionBudget: z
      .number()
      .int()
      .min(MIN_DESCRIPTION_BUDGET)
      .optional()
      .describe(
        'At most this many characters of each tool description in tools/list: whole sentences that fit, else whole words and "…"; Markdown (code, links) is never cut. describe_tools gives the full text (listed for that purpose when discovery is off). Unset: full descriptions.',
      ),
    outputSchemas: z
      .boolean()
      .default(true)
      .describe(
        'Publish each tool\'s outputSchema and answer with structuredContent (default). false: results are the upstream body as text only, and tools/list is smaller (output schemas are about a third of a large API\'s listing; the CLI\'s budget line gives the figure).',
      ),
    scopes: z
      .array(scopeRuleSchema)
      .default([])
      .describe('Per-caller permissions over HTTP with inbound OAuth on (MCP_AUTH_ISSUER): a token without the required scopes neither sees the matched tools nor can call them. Every matching rule applies.'),
    registryName: z
      .string()
      .regex(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/, 'must be a reverse-DNS namespace, "/", and a name (e.g. io.github.acme/ledger-api)')
      .max(200)
      .optional()
      .describe('Name in the official MCP registry (server.json "name", package.json "mcpName"); default io.github.<npm scope, else name>/<name>.'),
    author: z.string().min(1).optional().describe('Author named in the MCP Bundle manifest (manifest.json); default the API title.'),
    hooks: z
      .string()
      .min(1)
      .optional()
      .describe('Your hooks module (a .ts file relative to this file, default-exporting a ServerHooks): code run before each upstream request, after each tool result, and extra tools. Generation never writes it; verify type-checks it and build bundles it.'),
  })
  .strict();

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    servers: z.array(serverConfigSchema).min(1),
  })
  .strict();

export type ServerConfig = z.output<typeof serverConfigSchema>;
export type ToolOverride = z.output<typeof toolOverrideSchema>;
export type ResourceRule = z.output<typeof resourceRuleSchema>;
export type MappingKind = (typeof mappingKinds)[number];
export type PromptConfig = z.output<typeof promptSchema>;
export type SecurityOverride = z.output<typeof securityOverrideSchema>;
export type ScopeRule = z.output<typeof scopeRuleSchema>;

/** A server entry with its paths resolved against the config file's folder. */
export interface ResolvedServerConfig extends ServerConfig {
  /** Absolute path (or URL) of the spec. */
  readonly specPath: string;
  /** Absolute path of the output folder. */
  readonly outputPath: string;
  /** The spec path as the user wrote it, for diagnostics. */
  readonly specDisplay: string;
  /** Absolute path of the hooks module, when the config names one. */
  readonly hooksPath?: string;
  /** The hooks path as shown in diagnostics (relative to the working directory). */
  readonly hooksDisplay?: string;
  /** Prompt templates, read at config time: name → { path for diagnostics, source }. */
  readonly promptSources: ReadonlyMap<string, { readonly display: string; readonly source?: string }>;
}

export interface ResolvedConfig {
  readonly configPath: string;
  /** The config path as shown in diagnostics (relative to the working directory). */
  readonly configDisplay: string;
  /** The config text, for pointer → line lookups. */
  readonly configText: string;
  readonly servers: readonly ResolvedServerConfig[];
}

export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: 'input' });
}
