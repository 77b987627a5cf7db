import type { ServerPlan } from '../plan/types.js';
import { commentText, jsonText, markdownCell, summaryLine, tsLiteral } from './literals.js';
import { packageDescription } from './package-metadata.js';
import { GENERATED_DEPENDENCIES, GENERATED_DEV_DEPENDENCIES, HOOKS_BUILD_DEV_DEPENDENCIES } from './versions.js';

/** Template views: the plan turned into pre-made strings, one view per template. */

export function packageView(plan: ServerPlan) {
  const binName = plan.name.replace(/^@[^/]+\//, '');
  return {
    nameLiteral: tsLiteral(plan.name),
    versionLiteral: tsLiteral(plan.version),
    descriptionLiteral: tsLiteral(packageDescription(plan)),
    mcpNameLiteral: tsLiteral(plan.registryName),
    binLiteral: tsLiteral({ [binName]: 'dist/stdio.js' }),
    dependenciesLiteral: tsLiteral(GENERATED_DEPENDENCIES),
    // A hooks module outside src/ is carried by a bundle (build.mjs), not by tsc.
    buildScriptLiteral: tsLiteral(plan.hooksImport ? 'node build.mjs' : 'tsc -p tsconfig.json'),
    devDependenciesLiteral: tsLiteral(plan.hooksImport ? { ...GENERATED_DEV_DEPENDENCIES, ...HOOKS_BUILD_DEV_DEPENDENCIES } : GENERATED_DEV_DEPENDENCIES),
  };
}

export function apiView(plan: ServerPlan) {
  return {
    specComment: commentText(plan.specFile),
    apiLiteral: tsLiteral({
      name: plan.name,
      version: plan.version,
      baseUrlEnv: plan.baseUrlEnv,
      defaultBaseUrl: plan.defaultBaseUrl,
      securitySchemes: Object.fromEntries(plan.securitySchemes.map((s) => [s.name, s.definition])),
    }),
  };
}

export function serverView(plan: ServerPlan) {
  return { hooksImport: plan.hooksImport ? tsLiteral(plan.hooksImport) : '' };
}

/** Slugs are [a-z0-9-], so they are safe in a URL path as written. */
export function dataView(plan: ServerPlan) {
  return { toolFiles: plan.groups.map((g) => ({ slug: g.slug })) };
}

/** docker-compose.yml, nginx.conf and kubernetes/: names as Docker and Kubernetes accept them. */
export function deployView(plan: ServerPlan) {
  // A Kubernetes object name is a DNS label: lower-case letters, digits and "-", at most 63.
  const appName = plan.name.replace(/^@/, '').replace(/[^a-z0-9-]+/g, '-').slice(0, 63).replace(/^-+|-+$/g, '') || 'mcp-server';
  return {
    appName,
    imageName: imageNameOf(plan),
    baseUrlEnv: plan.baseUrlEnv,
    secretEnv: plan.securitySchemes.flatMap((s) => s.envVars),
  };
}

function imageNameOf(plan: ServerPlan): string {
  return plan.name.replace(/^@/, '').replace(/[^a-z0-9._/-]/g, '-');
}

function clientConfigs(plan: ServerPlan) {
  const env: Record<string, string> = { [plan.baseUrlEnv]: plan.defaultBaseUrl };
  for (const scheme of plan.securitySchemes) for (const variable of scheme.exampleVars ?? scheme.envVars) env[variable] = '…';
  const serverKey = plan.name.replace(/^@[^/]+\//, '');
  const entry = { command: 'node', args: [`/absolute/path/to/${serverKey}/dist/stdio.js`], env };
  return {
    desktopConfig: jsonText({ mcpServers: { [serverKey]: entry } }),
    vscodeConfig: jsonText({ servers: { [serverKey]: { type: 'stdio', ...entry } } }),
  };
}

const integer = new Intl.NumberFormat('en-US');

function budgetView(plan: ServerPlan) {
  const { budget, discovery } = plan;
  return {
    listTokens: integer.format(budget.listTokens),
    tokenEncoding: budget.encoding,
    discoveryState: discovery.enabled ? 'on' : 'off',
    discoveryReason: markdownCell(discovery.reason),
    pinnedTools: discovery.pinned.length ? discovery.pinned.map((n) => `\`${n}\``).join(', ') : 'none',
    costRows: budget.top.map((t) => ({ name: t.name, tokens: integer.format(t.tokens) })),
    budgetWarnings: budget.warnings.map((w) => markdownCell(w.message)),
    ...strictView(plan),
    toolsetRows: Object.entries(plan.toolsets).map(([slug, names]) => ({ slug, count: String(names.length) })),
    exampleToolset: Object.keys(plan.toolsets)[0] ?? 'default',
    descriptionNote: descriptionNote(plan),
    outputSchemaNote: outputSchemaNote(plan),
  };
}

/** What output schemas cost in tools/list, or that the config left them out. */
function outputSchemaNote(plan: ServerPlan): string {
  const { outputSchemaTokens, listTokens } = plan.budget;
  if (outputSchemaTokens > 0) {
    return `Output schemas are ${integer.format(outputSchemaTokens)} of those tokens (${Math.round((100 * outputSchemaTokens) / listTokens)} %); \`"outputSchemas": false\` in the config leaves them out, and results are then the upstream body as text only.`;
  }
  return '';
}

/** What the config's descriptionBudget does to tools/list, in one sentence. */
function descriptionNote(plan: ServerPlan): string {
  const d = plan.budget.descriptions;
  if (d === undefined) return 'Tool descriptions are listed in full (the config sets no `descriptionBudget`).';
  return (
    `Tool descriptions are listed within ${integer.format(d.budget)} characters (\`descriptionBudget\`): ` +
    `${integer.format(d.shortened)} of ${integer.format(plan.budget.tools)} shortened (whole sentences, else whole words and …), saving ${integer.format(d.savedTokens)} tokens; ` +
    '`describe_tools` gives the full text (outside discovery mode it is listed for that purpose).'
  );
}

/** README rows of tools OpenAI strict mode refuses; the CLI's --json lists them all. */
const MAX_STRICT_ROWS = 50;

function strictView(plan: ServerPlan) {
  const { strict } = plan;
  const rows = strict.refused.slice(0, MAX_STRICT_ROWS);
  return {
    strictConvertible: integer.format(strict.convertible),
    hasStrictRows: rows.length > 0,
    strictRows: rows.map((r) => ({ name: r.tool, reasons: markdownCell(r.reasons.join('; ')) })),
    strictMore: strict.refused.length > rows.length ? integer.format(strict.refused.length - rows.length) : '',
  };
}

export function readmeView(plan: ServerPlan) {
  return {
    name: markdownCell(plan.name),
    apiTitle: markdownCell(plan.apiTitle),
    apiVersion: markdownCell(plan.apiVersion),
    specFile: markdownCell(plan.specFile),
    toolCount: String(plan.tools.length),
    resourceCount: String(plan.resources.length),
    templateCount: String(plan.resourceTemplates.length),
    promptCount: String(plan.prompts.length),
    resourceRows: [
      ...plan.resources.map((r) => ({ uri: markdownCell(r.uri), name: markdownCell(r.name), mimeType: markdownCell(r.mimeType), description: markdownCell(summaryLine(r.description ?? '')) })),
      ...plan.resourceTemplates.map((t) => ({ uri: markdownCell(t.uriTemplate), name: markdownCell(t.name), mimeType: markdownCell(t.mimeType), description: markdownCell(summaryLine(t.description ?? '')) })),
    ],
    promptRows: plan.prompts.map((p) => ({
      name: markdownCell(p.name),
      arguments: markdownCell(p.arguments.map((a) => `${a.name}${a.required ? '' : '?'}${a.enum ? ` (${a.enum.join(' / ')})` : ''}`).join(', ') || '(none)'),
      description: markdownCell(summaryLine(p.description ?? p.title ?? '')),
    })),
    defaultBaseUrl: markdownCell(plan.defaultBaseUrl || '(none: set the variable)'),
    baseUrlEnv: plan.baseUrlEnv,
    imageName: imageNameOf(plan),
    binName: plan.name.replace(/^@[^/]+\//, ''),
    envRows: plan.securitySchemes.flatMap((s) =>
      s.envVars.map((variable) => ({ variable, purpose: markdownCell(`${s.variableNotes?.[variable] ?? s.summary} (security scheme \`${s.name}\`)`) })),
    ),
    ...clientConfigs(plan),
    ...budgetView(plan),
    appName: deployView(plan).appName,
    toolRows: plan.tools.map((t) => ({
      name: t.definition.name,
      operation: markdownCell(`${t.definition.operation.method} ${t.definition.operation.path}`),
      description: markdownCell(summaryLine(t.definition.description)),
    })),
    toolArguments: plan.tools.map((t) => ({
      name: t.definition.name,
      hasArguments: t.arguments.length > 0,
      arguments: t.arguments.map((a) => ({
        name: markdownCell(a.name),
        location: a.location,
        required: a.required ? 'yes' : 'no',
        description: markdownCell(summaryLine(a.description ?? '')),
      })),
    })),
  };
}
