// The local upstream: answers {"ok":true} to any request on 127.0.0.1. Run as its own process
// (`node bench/lib/upstream.mjs`) so it does not share an event loop with the load generator;
// it prints its port on stdout.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { stop } from './measure.mjs';

const BODY = Buffer.from('{"ok":true}');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': BODY.length });
      res.end(BODY);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
  process.on('SIGTERM', () => process.exit(0));
}

/** Starts the upstream process; resolves { url, close }. */
export function startUpstream() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => reject(new Error('upstream did not start')), 10_000);
    child.stdout.once('data', (chunk) => {
      clearTimeout(timer);
      resolve({ url: `http://127.0.0.1:${String(chunk).trim()}`, close: () => stop(child) });
    });
    child.once('error', reject);
  });
}
