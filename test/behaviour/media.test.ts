// Behaviour of the generated `media-api` server (specs/media-api.json, OpenAPI 3.1.0),
// driven through the real MCP SDK client over stdio and Streamable HTTP, in both
// protocol eras, against a real HTTP fake of the upstream API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  connectHttp,
  connectStdio,
  generatedDir,
  initializeBody,
  killAllSpawned,
  rawRequest,
  startHttp,
  type Connection,
  type HttpServerHandle,
} from '../support/mcp.js';
import {
  MEDIA_ASSET,
  MEDIA_ASSET_PAGE,
  MEDIA_BASE_PATH,
  MEDIA_NOTES,
  MEDIA_PROBLEM_404,
  MEDIA_STATS,
  MEDIA_THUMBNAIL_PNG,
  startUpstream,
  type Upstream,
} from '../support/upstream.js';
import {
  MATRIX,
  admitsNull,
  credentials,
  deref,
  expectResult,
  onlyRequest,
  onlyText,
  prop,
  propertyNames,
  requiredOf,
  sortedQuery,
  type CallResult,
  type ToolInfo,
} from '../support/assertions.js';

const SERVER_DIR = generatedDir('media-api');
const TOKEN = 'media-bearer-xyz';
const BEARER = { 'header:authorization': `Bearer ${TOKEN}` };
const P = MEDIA_BASE_PATH;

/** name → [summary, method, path, operationId] */
const EXPECTED_TOOLS: Record<string, readonly [string, string, string, string]> = {
  list_assets: ['List assets', 'GET', '/assets', 'listAssets'],
  create_asset: ['Create an asset', 'POST', '/assets', 'createAsset'],
  get_asset: ['Get an asset', 'GET', '/assets/{assetId}', 'getAsset'],
  delete_asset: ['Delete an asset', 'DELETE', '/assets/{assetId}', 'deleteAsset'],
  get_asset_thumbnail: ['Asset thumbnail', 'GET', '/assets/{assetId}/thumbnail', 'getAssetThumbnail'],
  get_asset_notes: ['Asset notes', 'GET', '/assets/{assetId}/notes', 'getAssetNotes'],
  get_library_stats: ['Library statistics', 'GET', '/stats', 'getLibraryStats'],
};

const HINTS_BY_METHOD: Record<string, Record<string, boolean>> = {
  GET: { readOnlyHint: true, openWorldHint: true },
  POST: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  DELETE: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
};

const json = (value: unknown) => ({ type: 'text', text: JSON.stringify(value) });

let upstream: Upstream;

beforeAll(async () => {
  // Never skip: an unbuilt server is a failure with an actionable message.
  assertBuilt(SERVER_DIR);
  upstream = await startUpstream();
});

afterAll(async () => {
  await killAllSpawned();
  await upstream?.close();
});

function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { MEDIA_API_BASE_URL: upstream.url + P, MEDIA_API_BEARER_AUTH: TOKEN, ...extra };
}

describe.each(MATRIX)('media-api over %s, %s era', (transport, era) => {
  let conn: Connection;
  let http: HttpServerHandle | undefined;
  let tools: Map<string, ToolInfo>;

  beforeAll(async () => {
    if (transport === 'stdio') {
      conn = await connectStdio(SERVER_DIR, baseEnv(), era);
    } else {
      http = await startHttp(SERVER_DIR, baseEnv());
      conn = await connectHttp(http.mcpUrl, era);
    }
    const listed = await conn.client.listTools();
    tools = new Map(listed.tools.map((t) => [t.name, t]));
  });

  afterAll(async () => {
    await conn?.close();
    await http?.close();
  });

  beforeEach(() => upstream.reset());

  const call = (name: string, args: Record<string, unknown>): Promise<CallResult> =>
    conn.client.callTool({ name, arguments: args });

  function tool(name: string): ToolInfo {
    const t = tools.get(name);
    expect(t, `tool ${name} is listed`).toBeDefined();
    return t!;
  }

  it('negotiated the requested protocol era', () => {
    expect(conn.client.getProtocolEra()).toBe(era);
  });

  it('lists one tool per operation with title, annotations and _meta', () => {
    expect([...tools.keys()].sort()).toEqual(Object.keys(EXPECTED_TOOLS).sort());
    for (const [name, [summary, method, path, operationId]] of Object.entries(EXPECTED_TOOLS)) {
      const t = tool(name);
      expect(t.title, `${name}.title`).toBe(summary);
      expect(t.annotations, `${name}.annotations`).toMatchObject(HINTS_BY_METHOD[method]!);
      expect(t._meta?.['mcpgen/operation'], `${name}._meta`).toEqual({ method, path, operationId });
    }
  });

  it('list_assets: $ref enum, bounds and default survive into the inputSchema', () => {
    const s = tool('list_assets').inputSchema;
    expect(propertyNames(deref(s, s))).toEqual(['kind', 'limit']);
    expect(requiredOf(deref(s, s))).toEqual([]);
    expect(prop(s, 'kind')).toMatchObject({ enum: ['image', 'video', 'audio'] });
    expect(prop(s, 'limit')).toMatchObject({ type: 'integer', minimum: 1, maximum: 50, default: 10 });
    expect(tool('list_assets').outputSchema).toBeDefined();
  });

  it('create_asset: 3.1 type arrays and const in the body schema', () => {
    const s = tool('create_asset').inputSchema;
    expect(propertyNames(deref(s, s))).toEqual(['body']);
    expect(requiredOf(deref(s, s))).toEqual(['body']);
    expect(requiredOf(prop(s, 'body'))).toEqual(['kind', 'license', 'title']);
    const caption = prop(s, 'body', 'caption');
    expect(admitsNull(caption, s)).toBe(true);
    const license = prop(s, 'body', 'license');
    expect(license['const'] === 'CC-BY-4.0' || JSON.stringify(license['enum']) === '["CC-BY-4.0"]').toBe(true);
    expect(requiredOf(prop(s, 'body', 'dimensions'))).toEqual(['height', 'width']);
  });

  it('get_asset: the path parameter keeps its pattern', () => {
    const s = tool('get_asset').inputSchema;
    expect(requiredOf(deref(s, s))).toEqual(['assetId']);
    expect(prop(s, 'assetId')).toMatchObject({ type: 'string', pattern: '^[a-z0-9-]+$' });
    expect(tool('get_asset_thumbnail').outputSchema).toBeUndefined();
    expect(tool('get_asset_notes').outputSchema).toBeUndefined();
  });

  it('list_assets sends query parameters and the bearer token; nullable 3.1 fields validate', async () => {
    const result = await call('list_assets', { kind: 'image', limit: 2 });
    const req = onlyRequest(upstream);
    expect(req.method).toBe('GET');
    expect(req.path).toBe(`${P}/assets`);
    expect(sortedQuery(req)).toEqual([
      ['kind', 'image'],
      ['limit', '2'],
    ]);
    expect(credentials(req)).toEqual(BEARER);
    expectResult(result, { content: [json(MEDIA_ASSET_PAGE)], structuredContent: MEDIA_ASSET_PAGE });
  });

  it('get_asset returns the object as structuredContent', async () => {
    const result = await call('get_asset', { assetId: 'sunset-01' });
    const req = onlyRequest(upstream);
    expect(req.path).toBe(`${P}/assets/sunset-01`);
    expect(credentials(req)).toEqual(BEARER);
    expectResult(result, { content: [json(MEDIA_ASSET)], structuredContent: MEDIA_ASSET });
  });

  it('get_asset 404 is an error result with the status line and the problem body', async () => {
    const result = await call('get_asset', { assetId: 'missing' });
    expect(onlyRequest(upstream).path).toBe(`${P}/assets/missing`);
    expectResult(result, {
      content: [{ type: 'text', text: `HTTP 404 Not Found\n${JSON.stringify(MEDIA_PROBLEM_404)}` }],
      isError: true,
    });
  });

  it('create_asset posts the JSON body, including an explicit null', async () => {
    const body = {
      title: 'Harbour at night',
      kind: 'image',
      caption: null,
      license: 'CC-BY-4.0',
      tags: ['night', 'harbour'],
      dimensions: { width: 4000, height: 3000 },
    };
    const result = await call('create_asset', { body });
    const req = onlyRequest(upstream);
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`${P}/assets`);
    expect(req.headers['content-type']).toMatch(/^application\/json\b/);
    expect(credentials(req)).toEqual(BEARER);
    expect(JSON.parse(req.body)).toEqual(body);
    const created = Object.assign({ id: 'asset-new', caption: null, schemaVersion: 2 }, body);
    expectResult(result, { content: [json(created)], structuredContent: created });
  });

  it('delete_asset maps an empty 204 to a success text', async () => {
    const result = await call('delete_asset', { assetId: 'sunset-01' });
    const req = onlyRequest(upstream);
    expect(req.method).toBe('DELETE');
    expect(req.path).toBe(`${P}/assets/sunset-01`);
    expect(credentials(req)).toEqual(BEARER);
    expectResult(result, { content: [{ type: 'text', text: 'HTTP 204 No Content: success, empty body' }] });
  });

  it('get_asset_thumbnail returns image content', async () => {
    const result = await call('get_asset_thumbnail', { assetId: 'sunset-01', size: 64 });
    const req = onlyRequest(upstream);
    expect(req.path).toBe(`${P}/assets/sunset-01/thumbnail`);
    expect(sortedQuery(req)).toEqual([['size', '64']]);
    expectResult(result, {
      content: [{ type: 'image', data: MEDIA_THUMBNAIL_PNG.toString('base64'), mimeType: 'image/png' }],
    });
  });

  it('get_asset_notes returns text/markdown as text', async () => {
    const result = await call('get_asset_notes', { assetId: 'sunset-01' });
    expect(onlyRequest(upstream).path).toBe(`${P}/assets/sunset-01/notes`);
    expectResult(result, { content: [{ type: 'text', text: MEDIA_NOTES }] });
  });

  it('get_library_stats returns structured JSON', async () => {
    const result = await call('get_library_stats', {});
    const req = onlyRequest(upstream);
    expect(req.method).toBe('GET');
    expect(req.path).toBe(`${P}/stats`);
    expect(req.query).toEqual([]);
    expectResult(result, { content: [json(MEDIA_STATS)], structuredContent: MEDIA_STATS });
  });

  it.each([
    ['get_asset', { assetId: 'Bad/Id' }, 'assetId'],
    ['list_assets', { kind: 'document' }, 'kind'],
    ['list_assets', { limit: 0 }, 'limit'],
    ['get_asset_thumbnail', { assetId: 'sunset-01', size: 100 }, 'size'],
    ['create_asset', { body: { title: 'x', kind: 'image', license: 'MIT' } }, 'license'],
    ['create_asset', { body: { title: 'x', kind: 'image', license: 'CC-BY-4.0', caption: 42 } }, 'caption'],
  ] as const)('%s rejects bad arguments %j naming "%s", without calling upstream', async (name, args, field) => {
    const result = await call(name, args as Record<string, unknown>);
    expect(upstream.requests).toEqual([]);
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(onlyText(result)).toContain(field);
  });
});

describe('media-api HTTP endpoint guards', () => {
  const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  let server: HttpServerHandle;

  beforeAll(async () => {
    server = await startHttp(SERVER_DIR, baseEnv());
  });

  afterAll(async () => {
    await server?.close();
  });

  it('GET /healthz answers 200 and other paths 404', async () => {
    expect((await rawRequest({ port: server.port, path: '/healthz', method: 'GET' })).status).toBe(200);
    expect((await rawRequest({ port: server.port, path: '/assets', method: 'GET' })).status).toBe(404);
  });

  it('POST /mcp is served from localhost but rejected with 403 for a foreign Host or Origin', async () => {
    const ok = await rawRequest({ port: server.port, path: '/mcp', method: 'POST', headers: MCP_HEADERS, body: initializeBody() });
    expect(ok.status).toBe(200);
    const host = await rawRequest({
      port: server.port,
      path: '/mcp',
      method: 'POST',
      headers: { ...MCP_HEADERS, host: 'attacker.test' },
      body: initializeBody(),
    });
    expect(host.status).toBe(403);
    const origin = await rawRequest({
      port: server.port,
      path: '/mcp',
      method: 'POST',
      headers: { ...MCP_HEADERS, origin: 'https://attacker.test' },
      body: initializeBody(),
    });
    expect(origin.status).toBe(403);
  });
});
