// `mcpgen generate --watch`: regenerate whenever an input changes, until Ctrl-C or SIGTERM.
// chokidar does the watching: fs.watch alone misses editors' atomic saves (write a temporary
// file, rename it over the original) and reports one save as several events.
import { relative } from 'node:path';
import { watch } from 'chokidar';
import type { GenerateResult } from '../index.js';
import { io } from './output.js';

/** Saves arrive as bursts (an editor writes, renames, touches): one regeneration per burst. */
const DEBOUNCE_MS = 150;

const shown = (path: string) => relative(process.cwd(), path) || path;

/**
 * Generates once, then again after every burst of changes to the files the last run read
 * (config, every file of each spec, prompt templates). A failed run has written nothing, so
 * the last good output stays; its diagnostics are printed and the watch goes on. Resolves 0
 * on SIGINT or SIGTERM, after a generation under way has finished writing.
 */
export async function watchGenerate(generateOnce: () => Promise<GenerateResult>): Promise<number> {
  let result = await generateOnce();
  const watched = new Set(result.inputs);
  const watcher = watch([...watched], { ignoreInitial: true });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let pending = new Set<string>();
  let stopped = false;

  const announce = () => io.err(`mcpgen: watching ${watched.size} file${watched.size === 1 ? '' : 's'} for changes (Ctrl-C to stop)…`);
  const regenerate = async () => {
    const changed = [...pending].map(shown).sort();
    pending = new Set();
    io.err(`\nmcpgen: ${changed.join(', ')} changed; regenerating…`);
    result = await generateOnce();
    if (!result.ok) io.err('mcpgen: the last good output is kept; fix the input and save again.');
    // A spec that now reaches another file, or a new prompt template: watch it too.
    const fresh = result.inputs.filter((f) => !watched.has(f));
    for (const f of fresh) watched.add(f);
    if (fresh.length) watcher.add(fresh);
    announce();
  };
  const schedule = (path: string) => {
    if (stopped) return;
    pending.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running) return; // the run under way schedules the next one when it ends
      running = regenerate().finally(() => {
        running = undefined;
        if (pending.size && !stopped) schedule([...pending][0]!);
      });
    }, DEBOUNCE_MS);
  };
  watcher.on('all', (event, path) => {
    if (event === 'add' || event === 'change' || event === 'unlink') schedule(path);
  });
  watcher.on('error', (error) => io.err(`mcpgen: watching failed: ${(error as Error).message}`));

  await new Promise<void>((ready) => watcher.once('ready', ready));
  announce();
  await new Promise<void>((stop) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      stop();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  stopped = true;
  clearTimeout(timer);
  await watcher.close();
  await running;
  io.err('mcpgen: stopped watching.');
  return 0;
}
