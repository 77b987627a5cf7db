// Every environment variable a generated server reads means one thing (MCPGEN_ENV_COLLISION,
// MCPGEN_SECURITY_CONFIG), and header names that cannot be sent never reach a tool
// (MCPGEN_HEADER_NAME_INVALID). Planned through the real pipeline, without the type-check.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { runPipeline } from '../../src/pipeline.js';
import type { ServerPlan } from '../../src/plan/types.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Planned {
  readonly plan?: ServerPlan;
  readonly diagnostics: readonly Diagnostic[];
}

async function planOf(spec: object, server: object = {}): Promise<Planned> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mcpgen-env-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec, null, 2));
  writeFileSync(path.join(dir, 'mcpgen.config.json'), JSON.stringify({ servers: [{ name: 'pets', spec: 'spec.json', output: 'out', ...server }] }, null, 2));
  const result = await runPipeline({ configPath: path.join(dir, 'mcpgen.config.json'), cwd: dir, verify: false });
  return { plan: result.servers[0]?.plan, diagnostics: result.diagnostics };
}

function specWith(securitySchemes: Record<string, object>, operation: object = {}): object {
  return {
    openapi: '3.0.3',
    info: { title: 'Pets', version: '1' },
    servers: [{ url: 'https://pets.example.com' }],
    components: { securitySchemes },
    security: Object.keys(securitySchemes).map((name) => ({ [name]: [] })),
    paths: { '/pets': { get: { operationId: 'listPets', responses: { '200': { description: 'ok' } }, ...operation } } },
  };
}

const headerKey = { type: 'apiKey', in: 'header', name: 'X-Api-Key' };
const queryKey = { type: 'apiKey', in: 'query', name: 'api_key' };
const bearer = { type: 'http', scheme: 'bearer' };
const basic = { type: 'http', scheme: 'basic' };
const clientCredentials = { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: { write: 'w', read: 'r' } } } };

function errors(planned: Planned, code: string): Diagnostic[] {
  return planned.diagnostics.filter((d) => d.code === code);
}

describe('environment variable collisions', () => {
  it.each([
    ['apiKey and api_key both map to PETS_API_KEY', { apiKey: headerKey, api_key: queryKey }, {}, 'PETS_API_KEY', ['"api_key"', '"apiKey"'], 'spec.json'],
    ['a scheme called base_url maps onto the base-URL override', { base_url: bearer }, {}, 'PETS_BASE_URL', ['"base_url"', 'base-URL override'], 'spec.json'],
    ['a basic scheme\'s user name variable and an apiKey scheme', { svc: basic, svc_username: headerKey }, {}, 'PETS_SVC_USERNAME', ['"svc_username"', '"svc" (user name)'], 'spec.json'],
    ['a configured variable that another scheme reads by default', { key: headerKey, token: bearer }, { security: { token: { env: 'PETS_KEY' } } }, 'PETS_KEY', ['"token"', '"key"'], 'mcpgen.config.json'],
    ['a configured variable the runtime reads', { key: headerKey }, { security: { key: { env: 'PORT' } } }, 'PORT', ['"key"', 'the runtime'], 'mcpgen.config.json'],
    ['two configured variables alike', { key: headerKey, token: bearer }, { security: { key: { env: 'SECRET' }, token: { env: 'SECRET' } } }, 'SECRET', ['"token"', '"key"'], 'mcpgen.config.json'],
    ['basic user name and password configured alike', { svc: basic }, { security: { svc: { usernameEnv: 'SVC', passwordEnv: 'SVC' } } }, 'SVC', ['(password)', '(user name)'], 'mcpgen.config.json'],
    ['a client credentials client id and an apiKey scheme', { cc: clientCredentials, cc_client_id: headerKey }, {}, 'PETS_CC_CLIENT_ID', ['"cc_client_id"', '"cc" (client id)'], 'spec.json'],
    ['a configured variable and a client secret', { cc: clientCredentials, key: headerKey }, { security: { key: { env: 'PETS_CC_CLIENT_SECRET' } } }, 'PETS_CC_CLIENT_SECRET', ['"key"', '"cc" (client secret)'], 'mcpgen.config.json'],
  ])('%s is an error naming both', async (_name, schemes, server, variable, names, file) => {
    const planned = await planOf(specWith(schemes), server);
    const found = errors(planned, 'MCPGEN_ENV_COLLISION');
    expect(found, JSON.stringify(planned.diagnostics)).toHaveLength(1);
    const [d] = found;
    expect(d!.severity).toBe('error');
    expect(d!.message).toContain(variable);
    for (const name of names) expect(d!.message).toContain(name);
    expect(d!.file).toBe(file);
    expect(d!.line).toBeGreaterThan(0);
    expect(d!.help).toContain('"security"');
    expect(planned.plan).toBeUndefined();
  });

  it('renaming one scheme in the config resolves the collision, and the plan reads the new variable', async () => {
    const planned = await planOf(specWith({ apiKey: headerKey, api_key: queryKey }), { security: { api_key: { env: 'PETS_QUERY_KEY' } } });
    expect(planned.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const schemes = Object.fromEntries(planned.plan!.securitySchemes.map((s) => [s.name, s.definition]));
    expect(schemes).toEqual({
      apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', env: 'PETS_API_KEY' },
      api_key: { type: 'apiKey', in: 'query', name: 'api_key', env: 'PETS_QUERY_KEY' },
    });
  });

  it('basic takes usernameEnv and passwordEnv', async () => {
    const planned = await planOf(specWith({ svc: basic }), { security: { svc: { usernameEnv: 'SVC_USER', passwordEnv: 'SVC_PASS' } } });
    expect(planned.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(planned.plan!.securitySchemes[0]!.definition).toEqual({ type: 'basic', usernameEnv: 'SVC_USER', passwordEnv: 'SVC_PASS' });
    expect(planned.plan!.securitySchemes[0]!.envVars).toEqual(['SVC_USER', 'SVC_PASS']);
  });

  it.each([
    ['a scheme the spec does not declare, with a did-you-mean', { apiKey: headerKey }, { apiKye: { env: 'X' } }, /apiKye.*no security scheme/, 'Did you mean "apiKey"?', '#/servers/0/security/apiKye'],
    ['env on a basic scheme', { svc: basic }, { svc: { env: 'X' } }, /HTTP basic/, 'usernameEnv', '#/servers/0/security/svc/env'],
    ['usernameEnv on a bearer scheme', { tok: bearer }, { tok: { usernameEnv: 'X' } }, /single credential/, '"env"', '#/servers/0/security/tok/usernameEnv'],
    ['an unsupported scheme', { tls: { type: 'http', scheme: 'digest' } }, { tls: { env: 'X' } }, /not one the server sends/, '', '#/servers/0/security/tls'],
  ])('a security entry for %s is MCPGEN_SECURITY_CONFIG', async (_name, schemes, security, message, help, pointer) => {
    const planned = await planOf(specWith(schemes), { security });
    const found = errors(planned, 'MCPGEN_SECURITY_CONFIG');
    expect(found, JSON.stringify(planned.diagnostics)).toHaveLength(1);
    expect(found[0]!.severity).toBe('error');
    expect(found[0]!.message).toMatch(message);
    expect(found[0]!.help).toContain(help);
    expect(found[0]!.pointer).toBe(pointer);
    expect(found[0]!.file).toBe('mcpgen.config.json');
  });

  it.each(['lower_case', '1STARTS_WITH_DIGIT', 'HAS-DASH', ''])('a configured variable %j must be [A-Z_][A-Z0-9_]*', async (env) => {
    const planned = await planOf(specWith({ key: headerKey }), { security: { key: { env } } });
    const found = errors(planned, 'MCPGEN_CONFIG_INVALID');
    expect(found).toHaveLength(1);
    expect(found[0]!.pointer).toBe('#/servers/0/security/key/env');
  });
});

describe('header names that cannot be sent', () => {
  const header = (name: string, required = false) => ({ name, in: 'header', required, schema: { type: 'string' } });

  it.each([
    ['a space', 'Bad Name'],
    ['a colon', 'X-Bad:Name'],
    ['a control character', 'X-\u001b[2J'],
    ['non-ASCII', 'X-Ünicode'],
    ['Connection', 'Connection'],
    ['keep-alive (any case)', 'keep-alive'],
    ['Transfer-Encoding', 'Transfer-Encoding'],
    ['TE', 'TE'],
    ['Trailer', 'Trailer'],
    ['Upgrade', 'Upgrade'],
    ['Proxy-Connection', 'Proxy-Connection'],
    ['Host', 'Host'],
    ['Content-Length', 'content-length'],
    ['Expect', 'Expect'],
  ])('an optional header parameter with %s is left out with a warning', async (_name, name) => {
    const planned = await planOf(specWith({}, { parameters: [header(name), header('X-Fine')] }));
    const found = errors(planned, 'MCPGEN_HEADER_NAME_INVALID');
    expect(found).toHaveLength(1);
    expect(found[0]!.severity).toBe('warning');
    expect(found[0]!.message).toContain(JSON.stringify(name));
    expect(found[0]!.message).toContain('left out');
    expect(found[0]!.pointer).toBe('#/paths/~1pets/get/parameters/0');
    const tool = planned.plan!.tools[0]!.definition;
    expect(tool.operation.parameters.map((p) => p.name)).toEqual(['X-Fine']);
    expect(Object.keys(tool.inputSchema.properties as object)).toEqual(['X-Fine']);
  });

  it('every RFC 9110 token character is a valid name', async () => {
    const name = "X-!#$%&'*+.^_`|~09az";
    const planned = await planOf(specWith({}, { parameters: [header(name)] }));
    expect(errors(planned, 'MCPGEN_HEADER_NAME_INVALID')).toEqual([]);
    expect(planned.plan!.tools[0]!.definition.operation.parameters.map((p) => p.name)).toEqual([name]);
  });

  it('an operation that requires such a header is skipped with a warning; the others are generated', async () => {
    const spec = specWith({}, { parameters: [header('Transfer-Encoding', true), header('Bad Name')] }) as { paths: Record<string, object> };
    spec.paths['/health'] = { get: { operationId: 'health', responses: { '200': { description: 'ok' } } } };
    const planned = await planOf(spec);
    const found = errors(planned, 'MCPGEN_HEADER_NAME_INVALID');
    expect(found.map((d) => d.severity)).toEqual(['warning', 'warning']);
    expect(found[0]!.message).toMatch(/"Transfer-Encoding".*GET \/pets is skipped: it is required/);
    expect(found[1]!.message).toMatch(/"Bad Name".*GET \/pets is skipped: its required header "Transfer-Encoding"/);
    expect(planned.plan!.tools.map((t) => t.definition.name)).toEqual(['health']);
  });

  it('an apiKey scheme in such a header is unsupported, with a warning', async () => {
    const planned = await planOf(specWith({ hostKey: { type: 'apiKey', in: 'header', name: 'Host' }, good: headerKey }));
    const found = errors(planned, 'MCPGEN_HEADER_NAME_INVALID');
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain('"hostKey"');
    expect(planned.plan!.securitySchemes.map((s) => s.name)).toEqual(['good']);
  });
});

describe('OAuth 2.0 client credentials', () => {
  const swagger = {
    swagger: '2.0',
    info: { title: 'Pets', version: '1' },
    host: 'pets.example.com',
    schemes: ['https'],
    securityDefinitions: { cc: { type: 'oauth2', flow: 'application', tokenUrl: 'https://auth.example.com/token', scopes: { read: 'r', write: 'w' } } },
    paths: { '/pets': { get: { operationId: 'listPets', security: [{ cc: ['read'] }], responses: { '200': { description: 'ok' } } } } },
  };

  it.each([
    ['an OpenAPI 3 clientCredentials flow (relative token URL kept for the runtime)', specWith({ cc: clientCredentials }, { security: [{ cc: ['read'] }, { cc: ['write', 'read'] }] }), '/oauth/token', { cc: ['read', 'write'] }],
    ['a Swagger 2.0 application flow', swagger, 'https://auth.example.com/token', { cc: ['read'] }],
  ])('%s plans the client variables and the operation\'s scopes', async (_name, spec, tokenUrl, scopes) => {
    const planned = await planOf(spec);
    expect(planned.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const [scheme] = planned.plan!.securitySchemes;
    expect(scheme!.definition).toEqual({
      type: 'bearer',
      env: 'PETS_CC',
      clientCredentials: { tokenUrl, tokenUrlEnv: 'PETS_CC_TOKEN_URL', clientIdEnv: 'PETS_CC_CLIENT_ID', clientSecretEnv: 'PETS_CC_CLIENT_SECRET' },
    });
    expect(scheme!.envVars).toEqual(['PETS_CC_CLIENT_ID', 'PETS_CC_CLIENT_SECRET', 'PETS_CC_TOKEN_URL', 'PETS_CC']);
    expect(planned.plan!.tools[0]!.definition.operation.scopes).toEqual(scopes);
  });

  it('an oauth2 scheme without a client credentials flow takes a token from its variable only', async () => {
    const code = { type: 'oauth2', flows: { authorizationCode: { authorizationUrl: 'https://a.example.com/auth', tokenUrl: 'https://a.example.com/token', scopes: { read: 'r' } } } };
    const planned = await planOf(specWith({ user: code }, { security: [{ user: ['read'] }] }));
    expect(planned.plan!.securitySchemes[0]!.definition).toEqual({ type: 'bearer', env: 'PETS_USER' });
    expect(planned.plan!.tools[0]!.definition.operation.scopes).toBeUndefined();
  });
});

describe('declared idempotency', () => {
  const post = (extra: object) => ({ openapi: '3.0.3', info: { title: 'Pets', version: '1' }, servers: [{ url: 'https://pets.example.com' }], paths: { '/pets': { post: { operationId: 'createPet', responses: { '201': { description: 'ok' } }, ...extra } } } });

  it.each([
    ['x-idempotent: true', post({ 'x-idempotent': true }), {}, true],
    ['the mapping\'s idempotentHint: true', post({}), { tools: { createPet: { annotations: { idempotentHint: true } } } }, true],
    ['neither', post({}), {}, false],
    ['x-idempotent overruled by the mapping', post({ 'x-idempotent': true }), { tools: { createPet: { annotations: { idempotentHint: false } } } }, false],
  ])('a POST with %s', async (_name, spec, server, idempotent) => {
    const planned = await planOf(spec, server);
    const tool = planned.plan!.tools[0]!.definition;
    expect(tool.operation.idempotent === true).toBe(idempotent);
    expect(tool.annotations.idempotentHint).toBe(idempotent);
  });
});
