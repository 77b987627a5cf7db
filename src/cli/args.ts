import { parseArgs } from 'node:util';

export type Command = 'generate' | 'check' | 'build' | 'init' | 'diff' | 'schema' | 'help' | 'version';

const COMMANDS: readonly Command[] = ['generate', 'check', 'build', 'init', 'diff', 'schema'];

export interface CliArgs {
  readonly command: Command;
  readonly config: string;
  /** True when --config was given (diff applies a config's mapping only then). */
  readonly configGiven: boolean;
  /** init: [SPEC]; diff: OLD NEW. */
  readonly files: string[];
  readonly watch: boolean;
  readonly failOnBreaking: boolean;
  readonly servers: string[];
  readonly dryRun: boolean;
  readonly quiet: boolean;
  readonly json: boolean;
  readonly summary: boolean;
  readonly typecheck: boolean;
  readonly bundle: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: mcpgen <command> [options]

Commands:
  init [SPEC]    Write a starter mcpgen.config.json for a spec and show what its server offers
  generate       Generate every server in the config (writes only when all succeed)
  check          Exit 1 when generated output is stale, missing or has extra files
  build          Bundle each generated server's entry points into <output>/dist (installs dependencies when missing)
  diff OLD NEW   The MCP-surface changelog between two versions of a spec, with a semver bump
  schema         Print the JSON Schema of mcpgen.config.json (for editors' "$schema")

Options:
  --config FILE    Config file (default ./mcpgen.config.json; init: the file to write;
                   diff: apply this config's mapping, default every operation)
  --server NAME    Only this server (repeatable)
  --dry-run        generate: list what would change, write nothing
  --watch          generate: regenerate whenever a spec, the config or a prompt template changes
  --fail-on-breaking  diff: exit 3 when a change breaks existing callers
  --summary        build: print servers, tools, folders and how to run them
  --typecheck      build: type-check again while compiling (generate already did)
  --no-bundle      build: one JavaScript file per source file instead of one per entry point
  --quiet          Print errors only
  --json           Print diagnostics and a summary as JSON on stdout
  -h, --help       Show this help
  -v, --version    Show the version

Exit codes: 0 success, 1 a problem in your input, 2 an internal error,
3 diff --fail-on-breaking found a breaking change.`;

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        watch: { type: 'boolean', default: false },
        'fail-on-breaking': { type: 'boolean', default: false },
        server: { type: 'string', multiple: true, default: [] },
        'dry-run': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        summary: { type: 'boolean', default: false },
        typecheck: { type: 'boolean', default: false },
        'no-bundle': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const first = positionals[0];
  let command: Command;
  if (values.help) command = 'help';
  else if (values.version) command = 'version';
  else if (COMMANDS.includes(first as Command)) command = first as Command;
  else if (first === undefined) command = 'help';
  else throw new UsageError(`Unknown command "${first}".`);
  const files = positionals.slice(1);
  const most = command === 'diff' ? 2 : command === 'init' ? 1 : 0;
  if (files.length > most) throw new UsageError(`Unexpected argument "${files[most]}".`);
  if (command === 'diff' && files.length < 2) throw new UsageError('diff needs two spec files: mcpgen diff OLD NEW.');
  if (values.watch && command !== 'generate') throw new UsageError('--watch is an option of generate.');
  if (values.watch && (values['dry-run'] || values.json)) throw new UsageError('--watch regenerates and prints for people: it does not combine with --dry-run or --json.');
  if (command === 'diff' && values.server.length && values.config === undefined) throw new UsageError('diff --server needs --config: it names a server of that config.');
  if (values['fail-on-breaking'] && command !== 'diff') throw new UsageError('--fail-on-breaking is an option of diff.');
  return {
    command,
    config: values.config ?? 'mcpgen.config.json',
    configGiven: values.config !== undefined,
    files,
    watch: values.watch,
    failOnBreaking: values['fail-on-breaking'],
    servers: values.server,
    dryRun: values['dry-run'],
    quiet: values.quiet,
    json: values.json,
    summary: values.summary,
    typecheck: values.typecheck,
    bundle: !values['no-bundle'],
  };
}
