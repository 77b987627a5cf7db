import { describe, expect, it } from 'vitest';
import { ACCEPT, buildRequest, checkBaseUrls, RequestBuildError } from '../../templates/runtime/upstream/request.js';
import type { OperationDef, ParameterDef } from '../../templates/runtime/types.js';
import { api, body, jsonBody, operation } from './support/fixtures.js';

const param = (p: Partial<ParameterDef> & Pick<ParameterDef, 'name' | 'in'>): ParameterDef => ({
  arg: p.name,
  required: p.in === 'path',
  style: p.in === 'path' || p.in === 'header' ? 'simple' : 'form',
  explode: p.in === 'query' || p.in === 'cookie',
  ...p,
});

const getAccount = operation({
  path: '/accounts/{accountId}',
  parameters: [
    param({ name: 'accountId', in: 'path' }),
    param({ name: 'limit', in: 'query' }),
    param({ name: 'X-Request-Id', in: 'header', arg: 'requestId' }),
    param({ name: 'pref', in: 'cookie' }),
  ],
});

describe('base URL', () => {
  it.each([
    ['default', {}, 'https://api.example.test/v1/accounts/a1'],
    ['env override', { TEST_API_BASE_URL: 'http://127.0.0.1:9999' }, 'http://127.0.0.1:9999/accounts/a1'],
    ['override trailing slashes stripped', { TEST_API_BASE_URL: 'http://localhost:1/base///' }, 'http://localhost:1/base/accounts/a1'],
    ['empty override ignored', { TEST_API_BASE_URL: '' }, 'https://api.example.test/v1/accounts/a1'],
  ])('%s', (_name, env, url) => {
    expect(buildRequest(api(), getAccount, { accountId: 'a1' }, env).url).toBe(url);
  });

  it.each([
    ['not a URL', 'not a url', /base URL from TEST_API_BASE_URL is not a valid URL \(set TEST_API_BASE_URL/],
    ['not http', 'file:///etc', /must use http or https/],
    ['holding credentials', 'https://user:hunter22@api.example.test/', /contains credentials/],
  ])('rejects a base URL that is %s, without quoting it', (_name, value, message) => {
    expect(() => buildRequest(api(), getAccount, { accountId: 'a1' }, { TEST_API_BASE_URL: value })).toThrow(message);
    try {
      buildRequest(api(), getAccount, { accountId: 'a1' }, { TEST_API_BASE_URL: value });
    } catch (error) {
      expect((error as Error).message).not.toContain(value);
    }
  });

  it('keeps the base URL query before the operation query, and masks it for display', () => {
    const built = buildRequest(api(), getAccount, { accountId: 'a1', limit: 3 }, { TEST_API_BASE_URL: 'http://127.0.0.1:9/base/?key=s3cret&v=2' });
    expect(built.url).toBe('http://127.0.0.1:9/base/accounts/a1?key=s3cret&v=2&limit=3');
    expect(built.displayUrl).toBe('http://127.0.0.1:9/base/accounts/a1?key=***&v=***&limit=3');
  });

  it('checkBaseUrls stops the start on credentials, naming the variable only', () => {
    expect(() => checkBaseUrls(api(), { TEST_API_BASE_URL: 'https://u:pw-secret@x.test' })).toThrow(/TEST_API_BASE_URL.*contains credentials/);
    expect(() => checkBaseUrls(api(), { TEST_API_BASE_URL: 'https://u:pw-secret@x.test' })).not.toThrow(/pw-secret/);
    expect(() => checkBaseUrls(api(), {})).not.toThrow();
  });
});

describe('parameters', () => {
  it('places every location', () => {
    const { url, init } = buildRequest(
      api(),
      getAccount,
      { accountId: 'a/1', limit: 10, requestId: 'r-1', pref: 'dark mode' },
      {},
    );
    expect(url).toBe('https://api.example.test/v1/accounts/a%2F1?limit=10');
    expect(init).toEqual({
      method: 'GET',
      headers: { accept: ACCEPT, 'x-request-id': 'r-1', cookie: 'pref=dark%20mode' },
    });
  });

  it('omits optional parameters that are absent', () => {
    const { url, init } = buildRequest(api(), getAccount, { accountId: 'a1' }, {});
    expect(url).toBe('https://api.example.test/v1/accounts/a1');
    expect(init.headers).toEqual({ accept: ACCEPT });
  });

  it.each([
    ['missing', {}, 'missing required path parameter "accountId"'],
    ['null', { accountId: null }, 'missing required path parameter "accountId"'],
    ['empty', { accountId: '' }, 'path parameter "accountId" must not be empty'],
    ['dot-dot', { accountId: '..' }, 'which URLs cannot carry'],
    ['dot', { accountId: '.' }, 'which URLs cannot carry'],
  ])('path parameter %s is an error', (_name, args, message) => {
    expect(() => buildRequest(api(), getAccount, args, {})).toThrow(RequestBuildError);
    expect(() => buildRequest(api(), getAccount, args, {})).toThrow(message);
  });

  it('label style cannot smuggle a dot segment either', () => {
    const op = operation({ path: '/files/{name}', parameters: [param({ name: 'name', in: 'path', style: 'label' })] });
    expect(() => buildRequest(api(), op, { name: '.' }, {})).toThrow('which URLs cannot carry');
    expect(buildRequest(api(), op, { name: 'x' }, {}).url).toBe('https://api.example.test/v1/files/.x');
  });

  it.each(['Accept', 'Content-Type', 'Authorization'])('ignores a header parameter named %s', (name) => {
    const op = operation({ parameters: [param({ name, in: 'header', arg: 'h' })] });
    expect(buildRequest(api(), op, { h: 'evil' }, {}).init.headers).toEqual({ accept: ACCEPT });
  });

  it.each([
    ['CRLF injection', 'a\r\nX-Evil: 1'],
    ['NUL', 'a\0b'],
    ['beyond Latin-1', '☕'],
  ])('rejects a header value with %s', (_name, value) => {
    const op = operation({ parameters: [param({ name: 'X-Note', in: 'header', arg: 'note' })] });
    expect(() => buildRequest(api(), op, { note: value }, {})).toThrow('not allowed in an HTTP header');
  });
});

describe('authentication', () => {
  const secured = (security: OperationDef['security']): OperationDef => operation({ security });
  const allEnv = {
    TEST_API_KEY: 'k3y',
    TEST_SESSION: 's&s',
    TEST_TOKEN: 'tok',
    TEST_USER: 'aladdin',
    TEST_PASSWORD: 'open sesame',
  };

  it.each([
    ['apiKey in header', [['headerKey']], allEnv, '', { 'x-api-key': 'k3y' }],
    ['apiKey in query', [['queryKey']], allEnv, '?api_key=k3y', {}],
    ['apiKey in cookie', [['cookieKey']], allEnv, '', { cookie: 'session=s%26s' }],
    ['bearer', [['bearer']], allEnv, '', { authorization: 'Bearer tok' }],
    ['basic', [['basic']], allEnv, '', { authorization: 'Basic YWxhZGRpbjpvcGVuIHNlc2FtZQ==' }],
    ['security: [] sends nothing', [], allEnv, '', {}],
    ['first satisfiable alternative wins', [['bearer'], ['headerKey']], { TEST_API_KEY: 'k3y' }, '', { 'x-api-key': 'k3y' }],
    ['earlier alternative preferred', [['bearer'], ['headerKey']], allEnv, '', { authorization: 'Bearer tok' }],
    ['AND of schemes', [['bearer', 'queryKey']], allEnv, '?api_key=k3y', { authorization: 'Bearer tok' }],
    ['AND needs all of them', [['bearer', 'queryKey'], []], { TEST_TOKEN: 'tok' }, '', {}],
    ['empty env value is absent', [['bearer']], { TEST_TOKEN: '' }, '', {}],
    ['basic needs a username', [['basic']], { TEST_PASSWORD: 'p' }, '', {}],
    ['nothing satisfiable sends nothing', [['bearer']], {}, '', {}],
    ['unknown scheme name is unsatisfiable', [['nope'], ['bearer']], allEnv, '', { authorization: 'Bearer tok' }],
  ] as const)('%s', (_name, security, env, query, headers) => {
    const built = buildRequest(api(), secured(security as unknown as OperationDef['security']), {}, env);
    expect(built.url).toBe(`https://api.example.test/v1/items${query}`);
    expect(built.init.headers).toEqual({ accept: ACCEPT, ...headers });
  });

  it('never reads credentials from arguments', () => {
    const built = buildRequest(api(), secured([['bearer']]), { TEST_TOKEN: 'from-model', authorization: 'x' }, {});
    expect(built.init.headers).toEqual({ accept: ACCEPT });
  });

  it('masks query credentials in displayUrl', () => {
    const built = buildRequest(api(), secured([['queryKey']]), {}, { TEST_API_KEY: 'secret' });
    expect(built.url).toContain('api_key=secret');
    expect(built.displayUrl).toBe('https://api.example.test/v1/items?api_key=***');
  });

  it('combines cookie parameters with a cookie credential', () => {
    const op = operation({ security: [['cookieKey']], parameters: [param({ name: 'pref', in: 'cookie' })] });
    expect(buildRequest(api(), op, { pref: 'x' }, { TEST_SESSION: 's' }).init.headers['cookie']).toBe('pref=x; session=s');
  });

  it('refuses a credential that would break the header, without echoing it', () => {
    const attempt = (): unknown => buildRequest(api(), secured([['bearer']]), {}, { TEST_TOKEN: 'sec\nret' });
    expect(attempt).toThrow('the credential in TEST_TOKEN contains characters not allowed');
    expect(attempt).not.toThrow(/sec/);
  });
});

describe('body', () => {
  it.each([
    ['application/json', { a: 1, b: ['x'] }],
    ['application/merge-patch+json', { a: null }],
    ['application/json', [1, 2]],
    ['application/json', 'a string'],
  ])('JSON body sent as %s', (mediaType, value) => {
    const op = operation({ method: 'POST', body: jsonBody(mediaType) });
    const { init } = buildRequest(api(), op, { body: value }, {});
    expect(init.headers['content-type']).toBe(mediaType);
    expect(init.body).toBe(JSON.stringify(value));
  });

  it('optional body absent: no body, no content-type', () => {
    const op = operation({ method: 'POST', body: jsonBody('application/json', { required: false }) });
    const { init } = buildRequest(api(), op, {}, {});
    expect(init.body).toBeUndefined();
    expect(init.headers).toEqual({ accept: ACCEPT });
  });

  it('required body absent is an error', () => {
    const op = operation({ method: 'POST', body: jsonBody('application/json', { arg: 'payload' }) });
    expect(() => buildRequest(api(), op, {}, {})).toThrow(RequestBuildError);
    expect(() => buildRequest(api(), op, {}, {})).toThrow('missing required request body "payload"');
  });

  it.each([
    ['form', { mediaType: 'application/x-www-form-urlencoded', kind: 'form' }, { a: 'x y' }, 'application/x-www-form-urlencoded', 'a=x%20y'],
    ['text', { mediaType: 'text/csv', kind: 'text' }, 'a,b', 'text/csv', 'a,b'],
  ] as const)('%s body', (_name, media, value, contentType, payload) => {
    const { init } = buildRequest(api(), operation({ method: 'POST', body: body(media) }), { body: value }, {});
    expect(init.headers).toEqual({ accept: ACCEPT, 'content-type': contentType });
    expect(init.body).toBe(payload);
  });

  it('multipart body: FormData, content-type left to fetch (it owns the boundary)', () => {
    const op = operation({ method: 'POST', body: body({ mediaType: 'multipart/form-data', kind: 'multipart' }) });
    const { init } = buildRequest(api(), op, { body: { a: 'x' } }, {});
    expect(init.body).toBeInstanceOf(FormData);
    expect(init.headers).toEqual({ accept: ACCEPT });
  });

  it('the media type argument is not sent anywhere else', () => {
    const op = operation({
      method: 'POST',
      body: body(
        [
          { mediaType: 'application/json', kind: 'json' },
          { mediaType: 'text/plain', kind: 'text' },
        ],
        { mediaTypeArg: 'contentType' },
      ),
    });
    const built = buildRequest(api(), op, { body: 'hi', contentType: 'text/plain' }, {});
    expect(built.url).toBe('https://api.example.test/v1/items');
    expect(built.init).toEqual({ method: 'POST', headers: { accept: ACCEPT, 'content-type': 'text/plain' }, body: 'hi' });
  });

  it('a wrong media type argument is an error', () => {
    const op = operation({ method: 'POST', body: jsonBody('application/json', { mediaTypeArg: 'contentType' }) });
    expect(() => buildRequest(api(), op, { body: {}, contentType: 'text/plain' }, {})).toThrow('"contentType" must be one of: "application/json"');
  });
});

describe('parameters declared with content', () => {
  // Header values must be Latin-1, so the document stays ASCII; it still needs encoding elsewhere.
  const filter = { status: ['open', 'held'], q: 'a b/c;d' };
  const json = JSON.stringify(filter);

  it.each([
    ['path', '/items/{filter}', `/items/${encodeURIComponent(json)}`, {}],
    ['query', '/items', `/items?filter=${encodeURIComponent(json)}`, {}],
    ['header', '/items', '/items', { filter: json }],
    ['cookie', '/items', '/items', { cookie: `filter=${encodeURIComponent(json)}` }],
  ] as const)('%s: the JSON text travels as one string', (location, path, urlPath, headers) => {
    const op = operation({
      path,
      parameters: [param({ name: 'filter', in: location, explode: true, contentType: 'application/json' })],
    });
    const built = buildRequest(api(), op, { filter }, {});
    expect(built.url).toBe(`https://api.example.test/v1${urlPath}`);
    expect(built.init.headers).toEqual({ accept: ACCEPT, ...headers });
  });

  it.each([
    ['string', 'x', '%22x%22'],
    ['number', 5, '5'],
    ['null', null, 'null'],
    ['array', [1, 2], encodeURIComponent('[1,2]')],
  ])('a JSON %s is JSON text, not a style-table value', (_name, value, encoded) => {
    const op = operation({ parameters: [param({ name: 'f', in: 'query', contentType: 'application/json' })] });
    expect(buildRequest(api(), op, { f: value }, {}).url).toBe(`https://api.example.test/v1/items?f=${encoded}`);
  });

  it('absent: nothing sent', () => {
    const op = operation({ parameters: [param({ name: 'f', in: 'query', contentType: 'application/json' })] });
    expect(buildRequest(api(), op, {}, {}).url).toBe('https://api.example.test/v1/items');
  });

  it('a non-JSON content type sends a string as it is', () => {
    const op = operation({ parameters: [param({ name: 'f', in: 'query', contentType: 'text/plain' })] });
    expect(buildRequest(api(), op, { f: 'a b' }, {}).url).toBe('https://api.example.test/v1/items?f=a%20b');
  });
});

describe('operation server', () => {
  const op = operation({ server: 'https://uploads.example.test/v2/', path: '/files' });

  it.each([
    ['operation server replaces the API default', {}, 'https://uploads.example.test/v2/files'],
    ['env override still wins (the deployment decides)', { TEST_API_BASE_URL: 'http://127.0.0.1:9' }, 'http://127.0.0.1:9/files'],
    ['empty env override ignored', { TEST_API_BASE_URL: ' ' }, 'https://uploads.example.test/v2/files'],
  ])('%s', (_name, env, url) => {
    expect(buildRequest(api(), op, {}, env).url).toBe(url);
  });

  it('an invalid operation server is an error', () => {
    expect(() => buildRequest(api(), operation({ server: 'ftp://x.test' }), {}, {})).toThrow("the base URL from the spec's server URL must use http or https");
  });
});
