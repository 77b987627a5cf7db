import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parseTree, type ParseError } from 'jsonc-parser';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { configSchema, type ResolvedConfig } from './schema.js';
import { locatePointer } from '../load/positions.js';

export interface LoadConfigResult {
  readonly config?: ResolvedConfig;
  readonly diagnostics: Diagnostic[];
}

/**
 * Line and column of the first JSON syntax error. Node 20's JSON.parse messages carry
 * no position, so jsonc-parser (strict: no comments, no trailing commas) finds it.
 */
function jsonErrorPosition(text: string): { line?: number; column?: number } {
  const errors: ParseError[] = [];
  parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const first = errors[0];
  if (!first) return {};
  const before = text.slice(0, first.offset);
  return { line: before.split('\n').length, column: first.offset - before.lastIndexOf('\n') };
}

/** Where a prompt's Handlebars template lives: templates/prompts/ beside the config file. */
export function promptTemplatePath(configPath: string, template: string): string {
  return resolve(dirname(configPath), 'templates', 'prompts', template);
}

function isUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

function readable(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Reads, validates and resolves the config file. Paths resolve against its folder. */
export async function loadConfig(configPath: string, cwd = process.cwd()): Promise<LoadConfigResult> {
  const absolute = resolve(cwd, configPath);
  const display = relative(cwd, absolute) || absolute;
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch {
    return {
      diagnostics: [
        { code: 'MCPGEN_CONFIG_NOT_FOUND', severity: 'error', file: display, message: `Config file not found: ${absolute}`, help: 'Pass --config FILE or create mcpgen.config.json.' },
      ],
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { diagnostics: [{ code: 'MCPGEN_CONFIG_PARSE', severity: 'error', file: display, ...jsonErrorPosition(text), message: `Config is not valid JSON: ${(error as Error).message}` }] };
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      diagnostics: parsed.error.issues.map((issue) => {
        // An unknown key is reported at the key itself, not at its object.
        const path = issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path;
        const pointer = '#' + path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
        const position = locatePointer(text, pointer);
        return {
          code: 'MCPGEN_CONFIG_INVALID',
          severity: 'error',
          file: display,
          pointer,
          ...position,
          message: issue.message,
          help: 'The config schema is mcpgen.schema.json in the mcpgen package.',
        } satisfies Diagnostic;
      }),
    };
  }
  const base = dirname(absolute);
  const diagnostics: Diagnostic[] = [];
  const configError = (pointer: string, message: string, help?: string, code: Diagnostic['code'] = 'MCPGEN_CONFIG_INVALID') =>
    diagnostics.push({ code, severity: 'error', file: display, pointer, ...locatePointer(text, pointer), message, ...(help ? { help } : {}) });
  const seen = new Map<string, number>();
  const servers = parsed.data.servers.map((server, index) => {
    const previous = seen.get(server.name);
    if (previous !== undefined) configError(`#/servers/${index}/name`, `Duplicate server name "${server.name}" (also at #/servers/${previous}).`);
    seen.set(server.name, index);
    const remote = isUrl(server.spec);
    if (remote && !server.allowRemote) {
      configError(`#/servers/${index}/spec`, `Spec "${server.spec}" is a URL and remote specs are off.`, 'Download the spec into the repository, or set "allowRemote": true for this server.', 'MCPGEN_REF_REMOTE');
    }
    const promptSources = new Map<string, { display: string; source?: string }>();
    server.prompts.forEach((prompt, promptIndex) => {
      const path = promptTemplatePath(absolute, prompt.template);
      const shown = relative(cwd, path) || path;
      let source: string | undefined;
      try {
        source = readFileSync(path, 'utf8');
      } catch {
        configError(`#/servers/${index}/prompts/${promptIndex}/template`, `Prompt template not found: ${shown}`, 'Prompt templates live in templates/prompts/ beside the config file.', 'MCPGEN_PROMPT_TEMPLATE');
      }
      promptSources.set(prompt.name, { display: shown, source });
    });
    const hooksPath = server.hooks === undefined ? undefined : resolve(base, server.hooks);
    const outputPath = resolve(base, server.output);
    if (hooksPath !== undefined) {
      const shown = relative(cwd, hooksPath) || hooksPath;
      const problem = !/\.m?ts$/.test(hooksPath)
        ? 'must be a TypeScript file (.ts or .mts)'
        : hooksPath.startsWith(outputPath + '/')
          ? 'lies inside the output folder, which generation owns (and would delete)'
          : readable(hooksPath)
            ? undefined
            : 'cannot be read';
      if (problem) configError(`#/servers/${index}/hooks`, `Hooks module ${shown} ${problem}.`, 'Name a TypeScript file beside the config that default-exports a ServerHooks (see the generated README).', 'MCPGEN_HOOKS_UNREADABLE');
    }
    return {
      ...server,
      promptSources,
      ...(hooksPath === undefined ? {} : { hooksPath, hooksDisplay: relative(cwd, hooksPath) || hooksPath }),
      specPath: remote || isAbsolute(server.spec) ? server.spec : resolve(base, server.spec),
      specDisplay: remote ? server.spec : relative(cwd, resolve(base, server.spec)) || server.spec,
      outputPath,
    };
  });
  // Two servers writing into one folder (or one inside the other) would delete each other's files.
  servers.forEach((server, index) => {
    const clash = servers.findIndex((other, j) => j !== index && (other.outputPath === server.outputPath || server.outputPath.startsWith(other.outputPath + '/')));
    if (clash === -1 || (servers[clash]!.outputPath === server.outputPath && clash > index)) return;
    const where = servers[clash]!.outputPath === server.outputPath ? 'also' : 'inside';
    configError(`#/servers/${index}/output`, `Output folder "${server.output}" is ${where} the output of server "${servers[clash]!.name}".`, 'Give every server its own output folder.');
  });
  return { config: diagnostics.length ? undefined : { configPath: absolute, configDisplay: display, configText: text, servers }, diagnostics };
}
