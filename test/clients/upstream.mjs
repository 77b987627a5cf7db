// The upstream API the matrix's servers call: a small recording HTTP server on 127.0.0.1
// that answers the paths each target's call uses. Mode `spec` answers what the spec says;
// mode `drift` answers what real APIs do (a string where the spec says a number, an extra
// field, a missing field). Paths it does not know get a JSON object that only echoes the
// path, under a name no spec uses, so it fits any output schema that requires nothing
// (GitHub's and Stripe's, as generated).
import { createServer } from 'node:http';

const ACCOUNT = { id: 'acc_1', name: 'Cash', currency: 'EUR', type: 'asset', balance: 125000, status: 'open', tags: ['ops'] };
const ASSET = { id: 'sunset-01', title: 'Sunset', kind: 'video', caption: null, tags: ['sky'], durationSeconds: 12.5, schemaVersion: 2 };

/** The spec-conforming body and its drifted twin, per path pattern. */
const ROUTES = [
  {
    match: /^\/ledger\/v1\/accounts\/([^/]+)$/,
    spec: (id) => ({ ...ACCOUNT, id }),
    // balance: number in the spec, a string here; `name` missing; `legacy_code` not in the spec.
    drift: (id) => {
      const { name: _missing, ...rest } = ACCOUNT;
      return { ...rest, id, balance: String(ACCOUNT.balance), legacy_code: 7 };
    },
  },
  {
    match: /^\/media\/api\/assets\/([^/]+)$/,
    spec: (id) => ({ ...ASSET, id }),
    drift: (id) => {
      const { title: _missing, ...rest } = ASSET;
      // durationSeconds: number in the spec, a string here; `title` missing; `uploader` extra.
      return { ...rest, id, durationSeconds: String(ASSET.durationSeconds), uploader: { id: 9 } };
    },
  },
];

/** Starts the upstream; resolves with its URL, the requests it received, a mode switch and close(). */
export function startUpstream() {
  const requests = [];
  let mode = 'spec';
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      requests.push({ method: req.method, path, body: Buffer.concat(chunks).toString('utf8') });
      const route = ROUTES.find((r) => r.match.test(path));
      const id = route ? decodeURIComponent(route.match.exec(path)[1]) : undefined;
      const body = route ? route[mode](id) : { mcpgen_matrix_path: path };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        requests,
        setMode: (next) => (mode = next),
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
