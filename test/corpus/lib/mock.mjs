// Prism as a validating mock (--errors), behind a small recording proxy. The proxy sees every
// request the generated server sends and Prism's answer, including the `sl-violations` header,
// which the MCP tool result cannot show.
import { request as httpRequest, createServer } from 'node:http';
import { join } from 'node:path';
import { freePort, sleep, start } from './proc.mjs';

export async function startMock(repoRoot, specFile, { timeoutMs = 30_000, port = 0 } = {}) {
  const prismPort = await freePort();
  const prism = start(
    process.execPath,
    [join(repoRoot, 'node_modules/@stoplight/prism-cli/dist/index.js'), 'mock', '--errors', '-h', '127.0.0.1', '-p', String(prismPort), specFile],
    { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
  );
  const deadline = Date.now() + timeoutMs;
  let ready = false;
  let exited = false;
  prism.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    if (/Prism is listening/.test(prism.output()) && (await probe(prismPort))) {
      ready = true;
      break;
    }
    await sleep(200);
  }
  if (!ready) {
    const out = prism.output();
    await prism.stop();
    const err = new Error(exited ? `prism exited: ${lastLines(out)}` : `prism did not listen within ${timeoutMs / 1000} s: ${lastLines(out)}`);
    err.prismOutput = out;
    throw err;
  }
  const proxy = await startProxy(prismPort, port).catch(async (e) => {
    await prism.stop();
    throw e;
  });
  return {
    baseUrl: `http://127.0.0.1:${proxy.port}`,
    exchanges: proxy.exchanges,
    prismOutput: prism.output,
    async stop() {
      await proxy.close();
      await prism.stop();
    },
  };
}

function lastLines(text) {
  return text
    .replace(/\x1b\[[0-9;]*m/g, '')
    .trim()
    .split('\n')
    .slice(-6)
    .join(' | ')
    .slice(0, 1500);
}

function probe(port) {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'OPTIONS', path: '/', timeout: 2000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/** A pass-through proxy that records { method, url, headers, body, status, responseHeaders, responseBody }. */
export async function startProxy(targetPort, port = 0) {
  const exchanges = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const exchange = { method: req.method, url: req.url, headers: req.headers, body: body.toString('utf8').slice(0, 4000) };
      exchanges.push(exchange);
      const upstream = httpRequest(
        { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers, timeout: 20_000 },
        (up) => {
          const out = [];
          up.on('data', (c) => out.push(c));
          up.on('end', () => {
            const responseBody = Buffer.concat(out);
            exchange.status = up.statusCode;
            exchange.responseHeaders = up.headers;
            exchange.responseBody = responseBody.toString('utf8').slice(0, 8000);
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(responseBody);
          });
        },
      );
      upstream.on('timeout', () => upstream.destroy(new Error('prism timed out')));
      upstream.on('error', (e) => {
        exchange.status = 502;
        exchange.proxyError = String(e);
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy: ${e}`);
      });
      upstream.end(body);
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port: server.address().port,
    exchanges,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}

const REJECTING_PROBLEMS = new Set([
  'UNPROCESSABLE_ENTITY',
  'UNAUTHORIZED',
  'INVALID_CONTENT_TYPE',
  'NO_PATH_MATCHED_ERROR',
  'NO_METHOD_MATCHED_ERROR',
  'NO_SERVER_MATCHED_ERROR',
  'NO_RESOURCE_PROVIDED_ERROR',
  'NOT_ACCEPTABLE',
]);

/**
 * Did Prism accept the request? Prism (5.x, --errors) validates the request first:
 * - invalid request and the spec has a 422/400 (or 401 for security) response: that response is
 *   mocked and the violations are sent in the `sl-violations` header, location prefixed `request`;
 * - invalid request and no such response: a problem+json with type UNPROCESSABLE_ENTITY (422,
 *   `validation` lists the violations), UNAUTHORIZED (401) or INVALID_CONTENT_TYPE (415);
 * - unknown path/method: problem+json NO_PATH_MATCHED_ERROR (404) / NO_METHOD_MATCHED_ERROR (405);
 * - no response media type matches Accept: NOT_ACCEPTABLE (406).
 * A valid request whose mocked *response* breaks the spec gives 500 VIOLATIONS: the request was
 * accepted (the defect is the spec's example), so it counts as accepted.
 * Only request violations of severity Error reject: warnings (e.g. deprecated) do not.
 */
export function judgeExchange(exchange) {
  if (exchange.proxyError) return { accepted: false, reason: `mock unreachable: ${exchange.proxyError}` };
  const violations = [];
  const header = exchange.responseHeaders?.['sl-violations'];
  if (header) {
    const text = String(header).replace(/^Too many violations! /, '');
    try {
      for (const v of JSON.parse(text)) if (v.location?.[0] === 'request' && v.severity === 'Error') violations.push(v);
    } catch {
      if (/"request"/.test(text)) violations.push({ location: ['request'], message: text.slice(0, 500) });
    }
  }
  let problem;
  if (/problem\+json/.test(String(exchange.responseHeaders?.['content-type'] ?? ''))) {
    try {
      problem = JSON.parse(exchange.responseBody);
    } catch {
      /* not JSON */
    }
  }
  const type = problem?.type ? String(problem.type).replace(/^https:\/\/stoplight\.io\/prism\/errors#/, '') : undefined;
  if (type && REJECTING_PROBLEMS.has(type)) {
    for (const v of problem.validation ?? []) if (v.severity !== 'Warning' && v.severity !== 'Information') violations.push({ location: ['request', ...(v.location ?? [])], message: v.message, code: v.code });
    if (!violations.length) violations.push({ location: ['request'], message: `${type}: ${problem.detail ?? problem.title ?? ''}`.trim() });
  }
  if (violations.length) {
    return {
      accepted: false,
      reason: violations.map((v) => `${(v.location ?? []).join('.')} ${v.message}`.trim()).join('; ').slice(0, 1000),
      problemType: type,
    };
  }
  return { accepted: true, problemType: type };
}
