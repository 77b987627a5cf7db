import type { ResolvedServerConfig, ToolOverride } from '../config/schema.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ApiModel, OperationNode } from '../ir/types.js';
import { annotationsFor, declaredIdempotent } from './annotations.js';
import { buildInputPlan } from './input-schema.js';
import { SchemaConverter } from './json-schema.js';
import { specProse } from './text.js';
import { envPrefix, shortenName, titleFromName, TOOL_NAME_PATTERN, toolNameBudget, toolNameFromOperation, toSlug } from './naming.js';
import { buildOutputPlan, withoutOutputSchema } from './output-schema.js';
import { operationKey, selectOperations } from './select.js';
import { withSendableHeaders } from './header-names.js';
import { planSecuritySchemes, securityAlternatives, securityScopes } from './security.js';
import type { JsonSchema } from './json-schema.js';
import { planPrompts } from './prompts.js';
import { classifyOperations, planResources } from './resources.js';
import { measureToolBudget } from './budget.js';
import { shortenDescription } from './description-budget.js';
import { strictReport } from './strict.js';
import { planDiscovery, planToolsets } from './discovery.js';
import { planToolScopes } from './scopes.js';
import { hooksImport } from './hooks.js';
import { defaultRegistryName } from './package-metadata.js';
import { buildSearchIndex, searchDocument } from './search-index.js';
import type { OperationDefinition, ServerPlan, ToolGroupPlan, ToolPlan } from './types.js';

export interface PlanInput {
  readonly model: ApiModel;
  readonly server: ResolvedServerConfig;
  /** Index of the server in the config, for config pointers. */
  readonly serverIndex: number;
  readonly configFile: string;
}

function describe(op: OperationNode, override?: ToolOverride): string {
  if (override?.description) return override.description;
  const parts = [op.summary, op.description].filter((p): p is string => Boolean(p)).map(specProse);
  if (parts.length === 2 && parts[1]!.startsWith(parts[0]!)) parts.shift();
  const text = parts.join('\n\n') || `${op.method} ${op.path}`;
  return op.deprecated ? `${text}\n\nDeprecated by the API.` : text;
}

function baseUrlOf(model: ApiModel, server: ResolvedServerConfig, diagnostics: Diagnostic[]): string {
  if (server.baseUrl) return server.baseUrl.replace(/\/+$/, '');
  const first = model.servers[0];
  if (first && /^https?:\/\//i.test(first.url)) return first.url.replace(/\/+$/, '');
  diagnostics.push({
    code: 'MCPGEN_NO_BASE_URL',
    severity: 'warning',
    file: model.file,
    pointer: first?.pointer ?? '#/servers',
    message: first ? `Server URL "${first.url}" is not absolute; the base URL must come from the environment.` : 'The spec declares no servers; the base URL must come from the environment.',
    help: 'Set "baseUrl" for this server in mcpgen.config.json.',
  });
  return '';
}

/**
 * An operation's own base URL when its path item or operation declares `servers`
 * (https://spec.openapis.org/oas/v3.1.0#path-item-object); relative URLs resolve
 * against the API's base URL.
 */
function operationServer(op: OperationNode, defaultBaseUrl: string): string | undefined {
  const first = op.servers[0];
  if (!first) return undefined;
  if (/^https?:\/\//i.test(first.url)) return first.url.replace(/\/+$/, '');
  if (!defaultBaseUrl) return undefined;
  return new URL(first.url, defaultBaseUrl.endsWith('/') ? defaultBaseUrl : `${defaultBaseUrl}/`).toString().replace(/\/+$/, '');
}

/** One table of input definitions for the server; a name always means one schema (see SchemaConverter). */
function sharedDefinitions(perTool: readonly Readonly<Record<string, JsonSchema>>[]): Record<string, JsonSchema> {
  const all = new Map<string, JsonSchema>();
  for (const definitions of perTool) for (const [name, schema] of Object.entries(definitions)) all.set(name, schema);
  return Object.fromEntries([...all.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Names every selected operation: overrides first, then snake_case, then collisions and length. */
function nameTools(ops: readonly OperationNode[], overrides: (op: OperationNode) => ToolOverride | undefined, input: PlanInput, diagnostics: Diagnostic[]): string[] {
  const taken = new Set<string>();
  const fixed = new Set(ops.map((op) => overrides(op)?.name).filter((n): n is string => Boolean(n)));
  const budget = toolNameBudget(input.server.name, input.server.toolNameLength);
  return ops.map((op) => {
    const configured = overrides(op)?.name;
    if (configured) {
      taken.add(configured);
      return configured;
    }
    const natural = toolNameFromOperation(op.method, op.path, op.operationId);
    let name = shortenName(natural, budget);
    if (name !== natural) {
      diagnostics.push({ code: 'MCPGEN_TOOL_NAME_SHORTENED', severity: 'info', file: input.model.file, pointer: op.pointer, message: `Tool name "${natural}" is longer than this server's name budget of ${budget} characters; it is "${name}".` });
    }
    if (taken.has(name) || fixed.has(name)) {
      const first = name;
      for (let i = 2; taken.has(name) || fixed.has(name); i++) name = shortenName(`${first}_${i}`, budget);
      diagnostics.push({ code: 'MCPGEN_TOOL_NAME_COLLISION', severity: 'info', file: input.model.file, pointer: op.pointer, message: `Tool name "${first}" is taken; ${op.method} ${op.path} is "${name}".` });
    }
    taken.add(name);
    return name;
  });
}

function lookupOverrides(input: PlanInput, selected: readonly OperationNode[], diagnostics: Diagnostic[]): (op: OperationNode) => ToolOverride | undefined {
  const byKey = new Map<string, ToolOverride>();
  const overrides = input.server.tools;
  for (const key of Object.keys(overrides)) {
    const pointer = `#/servers/${input.serverIndex}/tools/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const op = selected.find((o) => o.operationId === key || operationKey(o) === key);
    const override = overrides[key]!;
    if (!op) {
      diagnostics.push({ code: 'MCPGEN_OVERRIDE_UNMATCHED', severity: 'error', file: input.configFile, pointer, message: `Override "${key}" matches no selected operation.`, help: 'Keys are an operationId or "METHOD /path" of a selected operation.' });
      continue;
    }
    if (override.name !== undefined && !TOOL_NAME_PATTERN.test(override.name)) {
      diagnostics.push({ code: 'MCPGEN_TOOL_NAME_INVALID', severity: 'error', file: input.configFile, pointer: `${pointer}/name`, message: `Tool name "${override.name}" must match [A-Za-z][A-Za-z0-9_]{0,63}.` });
      continue;
    }
    byKey.set(op.pointer, override);
  }
  return (op) => byKey.get(op.pointer);
}

/** ApiModel + server config → ServerPlan. Pure; every decision about the output is made here. */
export function buildServerPlan(input: PlanInput): { plan: ServerPlan; diagnostics: Diagnostic[] } {
  const { model, server } = input;
  const diagnostics: Diagnostic[] = [];
  const { selected, diagnostics: selection } = selectOperations(model.operations, {
    include: server.include,
    exclude: server.exclude,
    configPointer: `#/servers/${input.serverIndex}`,
    configFile: input.configFile,
  });
  diagnostics.push(...selection);
  const prefix = envPrefix(server.name);
  const baseUrlEnv = `${prefix}_BASE_URL`;
  const securitySchemes = planSecuritySchemes({ model, prefix, baseUrlEnv, overrides: server.security, configFile: input.configFile, serverIndex: input.serverIndex }, diagnostics);
  const supported = new Set(securitySchemes.map((s) => s.name));
  const fetchesTokens = new Set(securitySchemes.filter((s) => s.definition.type === 'bearer' && s.definition.clientCredentials).map((s) => s.name));
  const converter = new SchemaConverter({ document: model.document, file: model.file, openapiVersion: model.openapiVersion, diagnostics });
  const overrideOf = lookupOverrides(input, selected, diagnostics);
  const defaultBaseUrl = baseUrlOf(model, server, diagnostics);
  // Operations whose required header cannot be sent are left out (see withSendableHeaders).
  const sendable = selected.flatMap((op) => withSendableHeaders(op, model.file, diagnostics) ?? []);
  const planned = sendable.map((op) => {
    const inputPlan = buildInputPlan(op, converter, model.document, model.file, diagnostics);
    const output = withoutOutputSchema(buildOutputPlan(op, converter), server.outputSchemas);
    const meta = { method: op.method, path: op.path, ...(op.operationId ? { operationId: op.operationId } : {}) };
    // A configured baseUrl says where the whole API lives: it wins over per-path servers too.
    const opServer = server.baseUrl ? undefined : operationServer(op, defaultBaseUrl);
    const scopes = securityScopes(op, fetchesTokens);
    const operation: OperationDefinition = {
      ...meta,
      ...(opServer ? { server: opServer } : {}),
      parameters: inputPlan.parameters,
      ...(inputPlan.body ? { body: inputPlan.body } : {}),
      security: securityAlternatives(op, supported),
      ...(scopes ? { scopes } : {}),
      ...(declaredIdempotent(op, overrideOf(op)?.annotations) ? { idempotent: true as const } : {}),
      response: { structured: output.structured, ...(output.wrapKey ? { wrapKey: output.wrapKey } : {}) },
    };
    return { op, inputPlan, output, meta, operation };
  });
  const resourceInput = {
    server,
    serverIndex: input.serverIndex,
    configFile: input.configFile,
    operations: planned.map((p) => ({
      op: p.op,
      operation: p.operation,
      successSchema: p.output.successSchema,
      mimeType: p.output.mimeType,
      inputProperties: p.inputPlan.inputSchema.properties as Record<string, JsonSchema>,
      summary: p.op.summary,
      description: p.op.description,
    })),
  };
  const classifications = classifyOperations(resourceInput, diagnostics);
  const planResult = planResources(resourceInput, classifications, diagnostics);
  const asTools = planned.filter((_, index) => classifications[index]!.tool);
  const names = nameTools(asTools.map((o) => o.op), overrideOf, input, diagnostics);
  const scopesOf = planToolScopes(
    {
      server,
      serverIndex: input.serverIndex,
      configFile: input.configFile,
      tools: asTools.map((o) => o.op),
      resources: planned.filter((_, index) => classifications[index]!.resource || classifications[index]!.template).map((p) => p.op),
    },
    diagnostics,
  );
  // A resource needs the scopes of its operation, and a template's listed items those of its collection too.
  const nodeOf = new Map(planned.map((p) => [p.operation, p.op] as const));
  const scopesOfOperation = (operation: OperationDefinition): { scopes?: string[] } => {
    const node = nodeOf.get(operation);
    const scopes = node === undefined ? [] : scopesOf(node);
    return scopes.length ? { scopes } : {};
  };
  const resources = planResult.resources.map((r) => ({ ...r, ...scopesOfOperation(r.operation) }));
  const resourceTemplates = planResult.resourceTemplates.map((t) => ({
    ...t,
    ...scopesOfOperation(t.operation),
    ...(t.list ? { list: { ...t.list, ...scopesOfOperation(t.list.operation) } } : {}),
  }));
  const tools: ToolPlan[] = asTools.map(({ op, inputPlan, output, meta, operation }, index) => {
    const override = overrideOf(op);
    // Clients show the title; without a summary, one made from the name reads better than the raw name.
    const title = override?.title ?? op.summary ?? titleFromName(names[index]!);
    const scopes = scopesOf(op);
    const description = describe(op, override);
    const listed = server.descriptionBudget === undefined ? description : shortenDescription(description, server.descriptionBudget);
    return {
      group: toSlug(op.tags[0] ?? 'default'),
      tags: op.tags,
      arguments: inputPlan.arguments,
      definition: {
        name: names[index]!,
        ...(title ? { title } : {}),
        description,
        ...(listed !== description ? { listedDescription: listed } : {}),
        inputSchema: inputPlan.inputSchema,
        ...(inputPlan.defs.length ? { defs: inputPlan.defs } : {}),
        ...(inputPlan.nullMeansAbsent.length ? { nullMeansAbsent: inputPlan.nullMeansAbsent } : {}),
        ...(output.outputSchema ? { outputSchema: output.outputSchema } : {}),
        annotations: annotationsFor(op.method, { ...(op.idempotent ? { idempotentHint: true } : {}), ...override?.annotations }),
        ...(scopes.length ? { scopes } : {}),
        _meta: { 'mcpgen/operation': meta },
        operation,
      },
    };
  });
  const prompts = planPrompts(server, input.serverIndex, { tools: new Set(tools.map((t) => t.definition.name)), resources: new Set(resources.map((r) => r.uri)) }, diagnostics);
  if (!tools.length && !resources.length && !resourceTemplates.length) {
    // A spec without operations (only webhooks, say) makes an empty but valid server;
    // a selection that removed every operation is a mistake in the config.
    const emptySpec = model.operations.length === 0;
    diagnostics.push({
      code: 'MCPGEN_NO_OPERATIONS',
      severity: emptySpec ? 'warning' : 'error',
      file: emptySpec ? model.file : input.configFile,
      pointer: emptySpec ? '#/paths' : `#/servers/${input.serverIndex}`,
      message: emptySpec ? `The spec declares no operations; server "${server.name}" offers no tools.` : `Server "${server.name}" selects no operation.`,
      help: emptySpec ? 'Nothing to call: webhooks are requests the API sends, not operations.' : 'Check include and exclude.',
    });
  }
  const groupMap = new Map<string, ToolPlan[]>();
  for (const tool of tools) groupMap.set(tool.group, [...(groupMap.get(tool.group) ?? []), tool]);
  const groups: ToolGroupPlan[] = [...groupMap.keys()]
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((slug) => ({ slug, tools: groupMap.get(slug)! }));
  const definitions = sharedDefinitions(asTools.map((t) => t.inputPlan.definitions));
  const budget = measureToolBudget(tools.map((t) => t.definition), definitions, server.descriptionBudget);
  const discovery = planDiscovery(server, input.serverIndex, input.configFile, tools, budget, diagnostics);
  const plan: ServerPlan = {
    name: server.name,
    version: server.version,
    apiTitle: model.title,
    apiVersion: model.version,
    apiDescription: model.description,
    specFile: server.spec,
    envPrefix: prefix,
    baseUrlEnv,
    defaultBaseUrl,
    securitySchemes,
    groups,
    tools,
    resources,
    resourceTemplates,
    prompts,
    definitions,
    budget,
    discovery,
    strict: strictReport(tools.map((t) => t.definition), definitions),
    toolsets: planToolsets(tools),
    searchIndex: buildSearchIndex(tools.map(searchDocument)),
    hooksImport: hooksImport(server.hooksPath, server.outputPath),
    registryName: server.registryName ?? defaultRegistryName(server.name),
    author: server.author ?? model.title,
  };
  return { plan, diagnostics };
}
