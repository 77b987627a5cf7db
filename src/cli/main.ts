// The command dispatcher. Each command's module (and the pipeline behind it) is imported only
// when that command runs, so `--version`, `--help` and `schema` start without loading the compiler.
import { readFileSync } from 'node:fs';
import { parseCliArgs, USAGE, UsageError, type CliArgs } from './args.js';
import { io } from './output.js';

/** The only module that prints and sets exit codes. */

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`mcpgen: ${error.message}\n\n${USAGE}`);
      return 1;
    }
    throw error;
  }
  switch (args.command) {
    case 'help':
      io.out(USAGE);
      return 0;
    case 'version':
      io.out(version());
      return 0;
    case 'schema':
      io.out(JSON.stringify((await import('../config/schema.js')).configJsonSchema(), null, 2));
      return 0;
    case 'generate':
      return (await import('./generate-command.js')).runGenerate(args);
    case 'check':
      return (await import('./check-command.js')).runCheck(args);
    case 'build':
      return (await import('./build-command.js')).runBuild(args);
    case 'init':
      return (await import('./init-command.js')).runInit(args);
    case 'diff':
      return (await import('./diff-command.js')).runDiff(args);
  }
}
