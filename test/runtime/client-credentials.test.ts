// Where the token request goes (client-credentials.ts tokenEndpoint), and when the server fetches
// a token at all (configuredClient): pure functions of the API and the environment. The token
// exchange itself is tested end to end in test/security/client-credentials.test.ts.
import { describe, expect, it } from 'vitest';
import { checkTokenEndpoints, configuredClient, tokenEndpoint } from '../../templates/runtime/upstream/client-credentials.js';
import type { ClientCredentialsDef, SecuritySchemeDef } from '../../templates/runtime/types.js';
import { api } from './support/fixtures.js';

const flow = (tokenUrl: string): ClientCredentialsDef => ({ tokenUrl, tokenUrlEnv: 'TEST_CC_TOKEN_URL', clientIdEnv: 'TEST_CC_CLIENT_ID', clientSecretEnv: 'TEST_CC_CLIENT_SECRET' });
const client = { TEST_CC_CLIENT_ID: 'id', TEST_CC_CLIENT_SECRET: 'secret-1234' };

describe('tokenEndpoint', () => {
  it.each([
    ['an absolute spec URL as is', 'https://auth.example.test/token', {}, 'https://auth.example.test/token'],
    ['a root-relative spec URL against the spec server', '/oauth/token', {}, 'https://api.example.test/oauth/token'],
    ['a path-relative spec URL against the spec server (RFC 3986)', 'oauth/token', {}, 'https://api.example.test/oauth/token'],
    ['a relative spec URL against the base URL override', '/oauth/token', { TEST_API_BASE_URL: 'http://127.0.0.1:8080/v1' }, 'http://127.0.0.1:8080/oauth/token'],
    ['the override variable over the spec', '/oauth/token', { TEST_CC_TOKEN_URL: 'https://other.example.test/t' }, 'https://other.example.test/t'],
    ['http on localhost', 'http://localhost:9000/token', {}, 'http://localhost:9000/token'],
    ['http on ::1', 'http://[::1]:9000/token', {}, 'http://[::1]:9000/token'],
  ])('takes %s', (_name, tokenUrl, env, expected) => {
    expect(tokenEndpoint(api(), flow(tokenUrl), env).href).toBe(expected);
  });

  it.each([
    ['http to another host', 'http://auth.example.test/token', /must use https \(http only on a loopback host\)/],
    ['another scheme', 'ftp://auth.example.test/token', /must use https/],
    ['credentials in the URL', 'https://user:pw@auth.example.test/token', /contains credentials/],
  ])('refuses %s, naming where the URL came from and never its text', (_name, tokenUrl, message) => {
    expect(() => tokenEndpoint(api(), flow(tokenUrl), {})).toThrow(message);
    expect(() => tokenEndpoint(api(), flow('/t'), { TEST_CC_TOKEN_URL: tokenUrl })).toThrow(/from TEST_CC_TOKEN_URL /);
    try {
      tokenEndpoint(api(), flow(tokenUrl), {});
    } catch (error) {
      expect((error as Error).message).not.toContain('pw@');
    }
  });

  it('refuses a relative URL when there is no base URL to resolve it against', () => {
    expect(() => tokenEndpoint(api({ defaultBaseUrl: '' }), flow('/oauth/token'), {})).toThrow(/not a valid URL/);
  });

  it('is checked at start only for schemes whose client is configured', () => {
    const withFlow = api({ securitySchemes: { cc: { type: 'bearer', env: 'TEST_CC', clientCredentials: flow('http://auth.example.test/token') } } });
    expect(() => checkTokenEndpoints(withFlow, {})).not.toThrow();
    expect(() => checkTokenEndpoints(withFlow, client)).toThrow(/must use https/);
  });
});

describe('configuredClient', () => {
  const scheme: SecuritySchemeDef = { type: 'bearer', env: 'TEST_CC', clientCredentials: flow('/t') };
  it.each([
    ['id and secret', client, true],
    ['a static token as well (it wins)', { ...client, TEST_CC: 'static-token' }, false],
    ['no secret', { TEST_CC_CLIENT_ID: 'id' }, false],
    ['an empty id', { ...client, TEST_CC_CLIENT_ID: '' }, false],
  ])('with %s: %s', (_name, env, fetches) => {
    expect(configuredClient(scheme, env) !== undefined).toBe(fetches);
  });

  it('a bearer scheme without a flow never fetches', () => {
    expect(configuredClient({ type: 'bearer', env: 'TEST_TOKEN' }, client)).toBeUndefined();
  });
});
