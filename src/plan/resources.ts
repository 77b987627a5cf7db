// Which operations become MCP resources and resource templates
// (https://modelcontextprotocol.io/specification/2025-11-25/server/resources).
import type { MappingKind, ResolvedServerConfig, ResourceRule } from '../config/schema.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { OperationNode } from '../ir/types.js';
import { collectProperties, isArraySchema, type JsonSchema } from './json-schema.js';
import { toolNameFromOperation } from './naming.js';
import { specProse } from './text.js';
import { compileSelector, operationKey } from './select.js';
import type { OperationDefinition, ResourceDefinition, ResourceTemplateDefinition } from './types.js';

/** What the planner knows of an operation when deciding its MCP shape. */
export interface PlannedOperation {
  readonly op: OperationNode;
  readonly operation: OperationDefinition;
  /** The converted JSON success schema, when there is one. */
  readonly successSchema?: JsonSchema;
  /** Media type of the success response (`application/json` when JSON). */
  readonly mimeType: string;
  /** Input schema properties, for template variable enums. */
  readonly inputProperties: Record<string, JsonSchema>;
  readonly summary?: string;
  readonly description?: string;
}

export interface Classification {
  readonly tool: boolean;
  readonly resource: boolean;
  readonly template: boolean;
  readonly rule?: { readonly rule: ResourceRule; readonly index: number };
}

/** A GET returning a JSON array, or an object holding one (`{ items: [...] }`), lists a collection. */
export function collectionItemsKey(schema: JsonSchema | undefined): string | null | undefined {
  if (!schema) return undefined;
  if (isArraySchema(schema)) return null;
  const properties = collectProperties(schema);
  if (!properties) return undefined;
  return Object.keys(properties).find((name) => isArraySchema(properties[name]!));
}

function requiredParameters(planned: PlannedOperation) {
  return planned.operation.parameters.filter((p) => p.required);
}

function defaultKind(planned: PlannedOperation): MappingKind {
  if (planned.op.method !== 'GET' || planned.operation.body?.required) return 'tool';
  const required = requiredParameters(planned);
  if (!required.length && collectionItemsKey(planned.successSchema) !== undefined) return 'tool+resource';
  if (required.length && required.every((p) => p.in === 'path')) return 'tool+resourceTemplate';
  return 'tool';
}

export interface ResourcePlanInput {
  readonly server: ResolvedServerConfig;
  readonly serverIndex: number;
  readonly configFile: string;
  readonly operations: readonly PlannedOperation[];
}

/** First matching rule wins, like a route map; with no match, the defaults apply (or plain tool). */
export function classifyOperations(input: ResourcePlanInput, diagnostics: Diagnostic[]): Classification[] {
  const rules = input.server.resources.rules.map((rule, index) => ({ rule, index, test: compileSelector(rule.select) }));
  rules.forEach(({ rule, index, test }) => {
    if (!input.operations.some((p) => test(p.op))) {
      diagnostics.push({
        code: 'MCPGEN_SELECTOR_UNMATCHED',
        severity: 'error',
        file: input.configFile,
        pointer: `#/servers/${input.serverIndex}/resources/rules/${index}/select`,
        message: `Resource rule selector "${rule.select}" matches no selected operation.`,
      });
    }
  });
  return input.operations.map((planned) => {
    const match = rules.find((r) => r.test(planned.op));
    const kind = match ? match.rule.as : input.server.resources.defaults ? defaultKind(planned) : 'tool';
    const wantsResource = kind === 'resource' || kind === 'tool+resource';
    const wantsTemplate = kind === 'resourceTemplate' || kind === 'tool+resourceTemplate';
    const required = requiredParameters(planned);
    const pointer = match ? `#/servers/${input.serverIndex}/resources/rules/${match.index}` : undefined;
    const reject = (why: string) =>
      diagnostics.push({ code: 'MCPGEN_RESOURCE_RULE', severity: 'error', file: input.configFile, pointer, message: `${operationKey(planned.op)} cannot be a ${wantsResource ? 'resource' : 'resource template'}: ${why}.` });
    if ((wantsResource || wantsTemplate) && planned.op.method !== 'GET') reject('only GET operations are read as resources');
    else if (wantsResource && required.length) reject(`it has required parameters (${required.map((p) => p.name).join(', ')})`);
    else if (wantsTemplate && (!required.length || required.some((p) => p.in !== 'path'))) reject('a template needs required path parameters and no other required parameter');
    else if ((wantsResource || wantsTemplate) && planned.operation.body?.required) reject('it needs a request body');
    return {
      tool: kind === 'tool' || kind.startsWith('tool+'),
      resource: wantsResource,
      template: wantsTemplate,
      ...(match ? { rule: { rule: match.rule, index: match.index } } : {}),
    };
  });
}

/** A URI scheme from the server name: lower-case, letters, digits, `+ . -`, starting with a letter. */
export function defaultScheme(serverName: string): string {
  const cleaned = serverName.toLowerCase().replace(/^@/, '').replace(/[^a-z0-9+.-]+/g, '-').replace(/^[^a-z]+/, '');
  return cleaned || 'api';
}

/** RFC 6570 varnames allow ALPHA, DIGIT, `_` (and pct-encoded and `.`, avoided here). */
function variableName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

function uriPath(path: string, variables: ReadonlyMap<string, string>): string {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  const replaced = trimmed.replace(/\{([^}]+)\}/g, (_whole, name: string) => `{${variables.get(name) ?? variableName(name)}}`);
  return replaced || 'index';
}

function stringEnum(schema: JsonSchema | undefined): string[] | undefined {
  const values = schema?.enum;
  if (!Array.isArray(values) || !values.length || !values.every((v) => typeof v === 'string' || typeof v === 'number')) return undefined;
  return values.map(String);
}

export interface ResourcesPlan {
  readonly resources: ResourceDefinition[];
  readonly resourceTemplates: ResourceTemplateDefinition[];
}

export function planResources(input: ResourcePlanInput, classifications: readonly Classification[], diagnostics: Diagnostic[]): ResourcesPlan {
  const scheme = input.server.resources.scheme ?? defaultScheme(input.server.name);
  const resources: ResourceDefinition[] = [];
  const resourceTemplates: ResourceTemplateDefinition[] = [];
  const seen = new Map<string, string>();
  const claim = (uri: string, planned: PlannedOperation, pointer: string | undefined) => {
    const previous = seen.get(uri);
    if (previous) {
      diagnostics.push({ code: 'MCPGEN_RESOURCE_URI_COLLISION', severity: 'error', file: input.configFile, pointer, message: `URI ${uri} of ${operationKey(planned.op)} is already used by ${previous}.`, help: 'Set "uri" on a resource rule.' });
    }
    seen.set(uri, operationKey(planned.op));
  };
  input.operations.forEach((planned, index) => {
    const c = classifications[index]!;
    const rule = c.rule?.rule;
    const pointer = c.rule ? `#/servers/${input.serverIndex}/resources/rules/${c.rule.index}` : undefined;
    const common = {
      // Named like tools (snake_case of the operationId, else method and path), so a client shows one vocabulary.
      name: rule?.name ?? toolNameFromOperation(planned.op.method, planned.op.path, planned.op.operationId),
      ...(rule?.title ?? planned.summary ? { title: rule?.title ?? planned.summary } : {}),
      ...(rule?.description ?? planned.description ?? planned.summary ? { description: rule?.description ?? specProse((planned.description ?? planned.summary)!) } : {}),
      mimeType: rule?.mimeType ?? planned.mimeType,
      operation: planned.operation,
    };
    if (c.resource) {
      const uri = rule?.uri ?? `${scheme}://${uriPath(planned.op.path, new Map())}`;
      claim(uri, planned, pointer);
      resources.push({ uri, ...common });
    }
    if (c.template) {
      const pathParams = planned.operation.parameters.filter((p) => p.in === 'path');
      const names = new Map(pathParams.map((p) => [p.name, variableName(p.name)]));
      const variables = pathParams.map((p) => {
        const values = stringEnum(planned.inputProperties[p.arg]);
        return { name: names.get(p.name)!, arg: p.arg, ...(values ? { enum: values } : {}) };
      });
      const uriTemplate = rule?.uri ?? `${scheme}://${uriPath(planned.op.path, names)}`;
      claim(uriTemplate, planned, pointer);
      const list = rule?.list ? planList(input, rule, variables, pointer, diagnostics) : undefined;
      resourceTemplates.push({ uriTemplate, ...common, variables, ...(list ? { list } : {}) });
    }
  });
  return { resources, resourceTemplates };
}

function planList(
  input: ResourcePlanInput,
  rule: ResourceRule,
  variables: readonly { name: string }[],
  pointer: string | undefined,
  diagnostics: Diagnostic[],
): ResourceTemplateDefinition['list'] {
  const list = rule.list!;
  const source = input.operations.find((p) => p.op.operationId === list.operation || operationKey(p.op) === list.operation);
  const fail = (message: string) => {
    diagnostics.push({ code: 'MCPGEN_RESOURCE_RULE', severity: 'error', file: input.configFile, pointer: pointer && `${pointer}/list`, message });
    return undefined;
  };
  if (!source) return fail(`List operation "${list.operation}" is not a selected operation.`);
  if (variables.length !== 1) return fail(`A listed template needs exactly one variable; ${rule.select} has ${variables.length}.`);
  if (source.operation.parameters.some((p) => p.required)) return fail(`List operation "${list.operation}" has required parameters.`);
  const itemsKey = list.items ?? collectionItemsKey(source.successSchema);
  if (itemsKey === undefined) return fail(`List operation "${list.operation}" does not return a JSON array (set "items" to the property holding it).`);
  const collection = collectProperties(source.successSchema ?? {}) ?? {};
  // Own lookups throughout: a property called `constructor` must not find Object's.
  const itemSchema = itemsKey === null ? source.successSchema?.items : Object.hasOwn(collection, itemsKey) ? collection[itemsKey]!.items : undefined;
  const itemProperties = itemSchema && typeof itemSchema === 'object' ? collectProperties(itemSchema as JsonSchema) : undefined;
  const variable = variables[0]!.name;
  const id = list.id ?? (itemProperties && Object.hasOwn(itemProperties, variable) ? variable : 'id');
  return { operation: source.operation, ...(itemsKey === null ? {} : { items: itemsKey }), id, name: list.name };
}
