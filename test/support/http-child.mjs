// A generated HTTP server run as a child process by the harnesses (test/clients/run.mjs,
// test/conformance/run.mjs): waiting until it says where it listens, and stopping it.

/**
 * Resolves with the /mcp URL the child prints ("listening on http://…/mcp") and a reader of
 * its stderr so far; rejects when it exits, fails to spawn or stays silent for `timeoutMs`.
 * The child must have been spawned with stderr piped.
 */
export function untilListening(child, name, timeoutMs) {
  let stderr = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not start within ${timeoutMs / 1000} s:\n${stderr}`)), timeoutMs);
    const fail = (error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const exited = (code) => fail(new Error(`${name} exited with ${code} before listening:\n${stderr}`));
    child.once('error', fail);
    child.once('exit', exited);
    child.stderr.setEncoding('utf8');
    let listening = false;
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = listening ? null : /listening on (http:\/\/\S+\/mcp)/.exec(stderr);
      if (match === null) return;
      // Once only: lines the server writes later (its shutdown line) must not run this again,
      // since removing 'exit' listeners then would also remove the one stopChild() waits on.
      listening = true;
      clearTimeout(timer);
      child.removeListener('exit', exited);
      resolvePromise({ url: match[1].replace('//localhost:', '//127.0.0.1:'), stderr: () => stderr });
    });
  });
}

/** SIGTERM, then SIGKILL after 6 s; resolves once the child has exited. */
export function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 6_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}
