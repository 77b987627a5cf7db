import { z } from 'zod';

/**
 * The config file's schema: the single source of truth for its shape and every
 * default. mcpgen.schema.json is generated from it (see `configJsonSchema`).
 */

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
    tools: z
      .record(z.string(), toolOverrideSchema)
      .default({})
      .describe('Per-operation overrides keyed by operationId or "METHOD /path".'),
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

/** A server entry with its paths resolved against the config file's folder. */
export interface ResolvedServerConfig extends ServerConfig {
  /** Absolute path (or URL) of the spec. */
  readonly specPath: string;
  /** Absolute path of the output folder. */
  readonly outputPath: string;
  /** The spec path as the user wrote it, for diagnostics. */
  readonly specDisplay: string;
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
