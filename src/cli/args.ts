import { parseArgs } from 'node:util';

export type Command = 'generate' | 'check' | 'build' | 'schema' | 'help' | 'version';

export interface CliArgs {
  readonly command: Command;
  readonly config: string;
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
  generate   Generate every server in the config (writes only when all succeed)
  check      Exit 1 when generated output is stale, missing or has extra files
  build      Bundle each generated server's entry points into <output>/dist (installs dependencies when missing)
  schema     Print the JSON Schema of mcpgen.config.json (for editors' "$schema")

Options:
  --config FILE    Config file (default ./mcpgen.config.json)
  --server NAME    Only this server (repeatable)
  --dry-run        generate: list what would change, write nothing
  --summary        build: print servers, tools, folders and how to run them
  --typecheck      build: type-check again while compiling (generate already did)
  --no-bundle      build: one JavaScript file per source file instead of one per entry point
  --quiet          Print errors only
  --json           Print diagnostics and a summary as JSON on stdout
  -h, --help       Show this help
  -v, --version    Show the version

Exit codes: 0 success, 1 a problem in your input, 2 an internal error.`;

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string', default: 'mcpgen.config.json' },
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
  else if (first === 'generate' || first === 'check' || first === 'build' || first === 'schema') command = first;
  else if (first === undefined) command = 'help';
  else throw new UsageError(`Unknown command "${first}".`);
  if (positionals.length > 1) throw new UsageError(`Unexpected argument "${positionals[1]}".`);
  return {
    command,
    config: values.config,
    servers: values.server,
    dryRun: values['dry-run'],
    quiet: values.quiet,
    json: values.json,
    summary: values.summary,
    typecheck: values.typecheck,
    bundle: !values['no-bundle'],
  };
}
