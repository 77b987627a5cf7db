#!/usr/bin/env node
// Entry point: everything else lives in dist/cli/main.js (compiled from src/cli/main.ts).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`mcpgen: internal error (this is a bug in mcpgen, please report it):\n${error?.stack ?? error}\n`);
    process.exitCode = 2;
  },
);
