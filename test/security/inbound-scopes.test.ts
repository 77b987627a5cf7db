// Per-caller permissions: a server generated with "scopes" rules, run as a real process with
// inbound auth against a real RFC 7662 introspection endpoint on 127.0.0.1, gives each token
// its own tool list and refuses calls its token lacks scopes for with the MCP authorization
// spec's 403 insufficient_scope, before anything reaches the upstream.
import { InsufficientScopeError, type Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir } from '../cli/helpers.js';
import { onlyText } from '../support/assertions.js';
import { ERAS, killAllSpawned, rawRequest, startHttp, type Era, type HttpServerHandle } from '../support/mcp.js';
import { connectWithToken, inboundAuthEnv, introspectScopes, type IntrospectionEndpoint } from './inbound-support.js';
import { generateFixture, json, startRecordingUpstream, type GeneratedServer, type RecordingUpstream } from './support/recording.js';

const TOKENS: Record<string, string> = { reader: 'mcp', writer: 'mcp write', admin: 'mcp write admin' };
const SCOPES = [
  { select: 'DELETE /notes/*', require: ['write'] },
  { select: 'createNote', require: ['write'] },
  { select: 'tag:admin', require: ['admin', 'write'] },
];

let server: GeneratedServer;
let upstream: RecordingUpstream;
let introspection: IntrospectionEndpoint;
let http: HttpServerHandle;
const clients: Client[] = [];

beforeAll(async () => {
  server = generateFixture('notes.yaml', 'notes-api', { scopes: SCOPES, discovery: 'off', resources: { defaults: false } });
  upstream = await startRecordingUpstream();
  upstream.answer = (req, res) => (req.method === 'GET' ? json(res, 200, { value: new URL(req.url, 'http://x').searchParams.get('value'), notes: [] }) : json(res, 200, { ok: true }));
  introspection = await introspectScopes(TOKENS);
  http = await startHttp(server.out, { NOTES_API_BASE_URL: upstream.origin, ...inboundAuthEnv(introspection) });
}, 240_000);

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await killAllSpawned();
  await introspection?.close();
  await upstream?.close();
  if (server) removeDir(server.dir);
});

const connect = (token: string, era: Era, query = ''): Promise<Client> => connectWithToken(`${http.mcpUrl}${query}`, token, era, clients);

const names = async (client: Client) => (await client.listTools()).tools.map((tool) => tool.name).sort();

describe.each(ERAS)('per-caller tool lists (%s era)', (era) => {
  it('two tokens see two different tool lists', async () => {
    expect(await names(await connect('reader', era))).toEqual(['echo', 'list_notes']);
    expect(await names(await connect('writer', era))).toEqual(['create_note', 'delete_note', 'echo', 'list_notes']);
    expect(await names(await connect('admin', era))).toEqual(['create_note', 'delete_note', 'echo', 'list_notes', 'purge_notes']);
  });

  it('a token without the scope cannot call the tool: 403 insufficient_scope naming the scope, and nothing reaches the API', async () => {
    const reader = await connect('reader', era);
    const before = upstream.seen.length;
    const error = await reader.callTool({ name: 'delete_note', arguments: { id: 'n1' } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InsufficientScopeError);
    expect((error as InsufficientScopeError).requiredScope).toBe('write');
    expect(String((error as Error).message) + String((error as InsufficientScopeError).errorDescription)).toContain('delete_note needs the scope write');
    expect(upstream.seen.length).toBe(before);
  });

  it('a token with the scope calls it', async () => {
    const writer = await connect('writer', era);
    const result = await writer.callTool({ name: 'delete_note', arguments: { id: `n-${era}` } });
    expect(result.isError).toBeFalsy();
    expect(upstream.seen.at(-1)).toMatchObject({ method: 'DELETE', url: `/notes/n-${era}` });
  });

  it('discovery mode hides the tool from search_tools and describe_tools, and call_tool is refused the same way', async () => {
    const reader = await connect('reader', era, '?discovery=on');
    const found = await reader.callTool({ name: 'search_tools', arguments: { query: 'delete a note' } });
    const foundNames = (found.structuredContent as { tools: { name: string }[] }).tools.map((tool) => tool.name);
    expect(foundNames).not.toContain('delete_note');
    expect(foundNames).toContain('list_notes');
    const described = await reader.callTool({ name: 'describe_tools', arguments: { names: ['delete_note'] } });
    expect(described.isError).toBe(true);
    expect(onlyText(described)).toContain('unknown tool "delete_note"');
    await expect(reader.callTool({ name: 'call_tool', arguments: { name: 'delete_note', arguments: { id: 'n1' } } })).rejects.toBeInstanceOf(InsufficientScopeError);

    const writer = await connect('writer', era, '?discovery=on');
    const writerFound = await writer.callTool({ name: 'search_tools', arguments: { query: 'delete a note' } });
    expect((writerFound.structuredContent as { tools: { name: string }[] }).tools.map((tool) => tool.name)).toContain('delete_note');
  });
});

describe('on the wire', () => {
  it('the refusal is a 403 with the RFC 6750 challenge and the metadata URL; the metadata lists the tool scopes', async () => {
    const res = await rawRequest({
      port: http.port,
      path: '/mcp',
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: 'Bearer reader', 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'purge_notes', arguments: {} } }),
    });
    expect(res.status).toBe(403);
    const challenge = String(res.headers['www-authenticate']);
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="admin write"');
    expect(challenge).toContain('resource_metadata="https://mcp.example.test/.well-known/oauth-protected-resource/mcp"');
    const metadata = await rawRequest({ port: http.port, path: '/.well-known/oauth-protected-resource/mcp', method: 'GET' });
    expect(JSON.parse(metadata.body)).toMatchObject({ scopes_supported: ['admin', 'write'] });
  });
});
