// Per-caller permissions on resources: an operation a "scopes" rule covers cannot be read as a
// resource or resource template by a token that lacks its scopes, nor seen in the resource
// lists. A generated server runs as a real process with inbound auth against a real RFC 7662
// introspection endpoint on 127.0.0.1; a refused read is the same 403 insufficient_scope as a
// refused tool call, and nothing reaches the upstream.
import { InsufficientScopeError, type Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir } from '../cli/helpers.js';
import { ERAS, killAllSpawned, rawRequest, startHttp, type Era, type HttpServerHandle } from '../support/mcp.js';
import { connectWithToken, inboundAuthEnv, introspectScopes, type IntrospectionEndpoint } from './inbound-support.js';
import { generateFixture, json, startRecordingUpstream, type GeneratedServer, type RecordingUpstream } from './support/recording.js';

const TOKENS: Record<string, string> = { anon: 'mcp', reader: 'mcp docs', lister: 'mcp docs list', admin: 'mcp docs list admin' };

let server: GeneratedServer;
let upstream: RecordingUpstream;
let introspection: IntrospectionEndpoint;
let http: HttpServerHandle;
const clients: Client[] = [];

beforeAll(async () => {
  server = generateFixture('documents.yaml', 'vault', {
    discovery: 'off',
    resources: {
      rules: [
        { select: 'getDocument', as: 'tool+resourceTemplate', list: { operation: 'listDocuments', name: 'title' } },
        { select: 'getStatus', as: 'tool+resource' },
      ],
    },
    scopes: [
      { select: 'getDocument', require: ['docs'] },
      { select: 'listDocuments', require: ['docs', 'list'] },
      { select: 'getAudit', require: ['admin'] },
    ],
    prompts: [
      { name: 'status_brief', description: 'Embeds the unscoped status', template: 'status.hbs' },
      { name: 'plan_brief', description: 'Embeds the document list (scopes docs and list)', template: 'plan.hbs' },
      { name: 'audit_brief', description: 'Embeds the audit log (scope admin)', template: 'audit.hbs' },
    ],
  }, {
    'templates/prompts/status.hbs': '{{resource "vault://status"}}\n\nSummarise the status above.\n',
    'templates/prompts/plan.hbs': '{{resource "vault://documents"}}\n\nSummarise the documents above.\n',
    'templates/prompts/audit.hbs': '{{resource "vault://audit"}}\n\nWho did what?\n',
  });
  upstream = await startRecordingUpstream();
  upstream.answer = (req, res) => {
    if (req.url === '/status') return json(res, 200, { ok: true });
    if (req.url === '/audit') return json(res, 200, { entries: [{ who: 'ada' }] });
    if (req.url === '/documents') return json(res, 200, { documents: [{ id: 'd1', title: 'Plan' }] });
    return json(res, 200, { id: req.url.split('/').pop(), title: 'Plan', body: 'secret' });
  };
  introspection = await introspectScopes(TOKENS);
  http = await startHttp(server.out, { VAULT_BASE_URL: upstream.origin, ...inboundAuthEnv(introspection) });
}, 240_000);

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await killAllSpawned();
  await introspection?.close();
  await upstream?.close();
  if (server) removeDir(server.dir);
});

const connect = (token: string, era: Era): Promise<Client> => connectWithToken(http.mcpUrl, token, era, clients);

const uris = async (client: Client) => (await client.listResources()).resources.map((r) => r.uri).sort();
const templates = async (client: Client) => (await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe.each(ERAS)('per-caller resources (%s era)', (era) => {
  it('each token sees only the resources and templates it has the scopes of', async () => {
    const anon = await connect('anon', era);
    expect(await uris(anon)).toEqual(['vault://status']);
    expect(await templates(anon)).toEqual([]);
    const reader = await connect('reader', era);
    // The template, but not the collection's items: listing them needs the collection's scopes.
    expect(await uris(reader)).toEqual(['vault://status']);
    expect(await templates(reader)).toEqual(['vault://documents/{id}']);
    const lister = await connect('lister', era);
    expect(await uris(lister)).toEqual(['vault://documents', 'vault://documents/d1', 'vault://status']);
    const admin = await connect('admin', era);
    expect(await uris(admin)).toEqual(['vault://audit', 'vault://documents', 'vault://documents/d1', 'vault://status']);
  });

  it('a read without the scopes is refused with 403 insufficient_scope naming them, and nothing reaches the API', async () => {
    const anon = await connect('anon', era);
    const before = upstream.seen.length;
    const template = await refusal(anon.readResource({ uri: 'vault://documents/d1' }));
    expect(template).toBeInstanceOf(InsufficientScopeError);
    expect((template as InsufficientScopeError).requiredScope).toBe('docs');
    const fixed = await refusal(anon.readResource({ uri: 'vault://audit' }));
    expect(fixed).toBeInstanceOf(InsufficientScopeError);
    expect((fixed as InsufficientScopeError).requiredScope).toBe('admin');
    const reader = await connect('reader', era);
    const collection = await refusal(reader.readResource({ uri: 'vault://documents' }));
    expect(collection).toBeInstanceOf(InsufficientScopeError);
    expect((collection as InsufficientScopeError).requiredScope).toBe('docs list');
    // Completing the template's variable would call the collection: nothing offered, nothing sent.
    const completed = await reader.complete({ ref: { type: 'ref/resource', uri: 'vault://documents/{id}' }, argument: { name: 'id', value: '' } });
    expect(completed.completion.values).toEqual([]);
    expect(upstream.seen.length).toBe(before);
  });

  it('prompts that embed a resource a token may not read are not listed to it, and getting one is refused', async () => {
    const prompts = async (client: Client) => (await client.listPrompts()).prompts.map((p) => p.name).sort();
    const anon = await connect('anon', era);
    expect(await prompts(anon)).toEqual(['status_brief']);
    const reader = await connect('reader', era);
    expect(await prompts(reader)).toEqual(['status_brief']);
    const lister = await connect('lister', era);
    expect(await prompts(lister)).toEqual(['plan_brief', 'status_brief']);
    const admin = await connect('admin', era);
    expect(await prompts(admin)).toEqual(['audit_brief', 'plan_brief', 'status_brief']);
    const before = upstream.seen.length;
    expect(await refusal(reader.getPrompt({ name: 'plan_brief' }))).toBeInstanceOf(Error);
    expect(upstream.seen.length).toBe(before);
    const got = await lister.getPrompt({ name: 'plan_brief' });
    expect(got.messages.map((m) => m.content.type)).toEqual(['resource', 'text']);
  });

  it('a token with the scopes reads them; an unscoped resource is read by any token', async () => {
    const reader = await connect('reader', era);
    const read = await reader.readResource({ uri: `vault://documents/d-${era}` });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toMatchObject({ id: `d-${era}` });
    expect(upstream.seen.at(-1)).toMatchObject({ method: 'GET', url: `/documents/d-${era}` });
    const anon = await connect('anon', era);
    const status = await anon.readResource({ uri: 'vault://status' });
    expect(JSON.parse((status.contents[0] as { text: string }).text)).toEqual({ ok: true });
  });
});

describe('on the wire', () => {
  it('a refused read is a 403 with the RFC 6750 challenge; the metadata lists the resource scopes too', async () => {
    const res = await rawRequest({
      port: http.port,
      path: '/mcp',
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: 'Bearer reader', 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'resources/read', params: { uri: 'vault://audit' } }),
    });
    expect(res.status).toBe(403);
    const challenge = String(res.headers['www-authenticate']);
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="admin"');
    expect(challenge).toContain('needs the scope admin');
    expect(challenge).toContain('resource_metadata="https://mcp.example.test/.well-known/oauth-protected-resource/mcp"');
    const metadata = await rawRequest({ port: http.port, path: '/.well-known/oauth-protected-resource/mcp', method: 'GET' });
    expect(JSON.parse(metadata.body)).toMatchObject({ scopes_supported: ['admin', 'docs', 'list'] });
  });
});
