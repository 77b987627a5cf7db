// Starting an entry point. The server module reads its settings and tables as it loads; a
// setting that must stop the start (a base URL holding credentials, a number out of range)
// becomes one line on stderr and exit code 1, never a stack trace around the message.

/** The exit code of a start or serve that failed (a constant: spec-derived text never reads as code). */
export const EXIT_FAILURE = 1;

export async function startOrExit(name: string, start: () => Promise<unknown>): Promise<void> {
  try {
    await start();
  } catch (error) {
    process.stderr.write(`${name} MCP server cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EXIT_FAILURE);
  }
}
