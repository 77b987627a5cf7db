// Start-up checks of the generated HTTP server, as a real process: it will not listen beyond
// loopback without inbound auth unless told a gateway authenticates, and numeric settings out
// of range stop it with the variable, the value and the range (no silent fallback).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, connectHttp, generatedDir, initializeBody, killAllSpawned, rawRequest, startHttp } from '../support/mcp.js';
import { LEDGER_BASE_PATH, LEDGER_HEALTH, startUpstream, type Upstream } from '../support/upstream.js';
import { runUntilExit, startIntrospection, type IntrospectionEndpoint } from './inbound-support.js';

const SERVER_DIR = generatedDir('ledger-api');
let upstream: Upstream;
let introspection: IntrospectionEndpoint;
let base: Record<string, string>;

beforeAll(async () => {
  assertBuilt(SERVER_DIR);
  upstream = await startUpstream();
  introspection = await startIntrospection(() => ({ active: false }));
  base = { LEDGER_API_BASE_URL: upstream.url + LEDGER_BASE_PATH };
}, 60_000);

afterAll(async () => {
  await killAllSpawned();
  await upstream?.close();
  await introspection?.close();
});

const initialize = (port: number, headers: Record<string, string> = {}) =>
  rawRequest({
    port,
    path: '/mcp',
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: initializeBody(),
  });

describe('a non-loopback HOST', () => {
  it.each(['0.0.0.0', '::', '[::]', '192.0.2.10', 'mcp.example.com'])('HOST=%s without inbound auth: exits 1 naming the variables to set', async (host) => {
    const { code, stderr } = await runUntilExit(SERVER_DIR, { ...base, HOST: host });
    expect(code).toBe(1);
    expect(stderr).toContain(`ledger-api MCP server cannot start: HOST=${host} is reachable from other machines, and inbound auth is off.`);
    expect(stderr).toContain('MCP_AUTH_ISSUER and MCP_AUTH_INTROSPECTION_URL');
    expect(stderr).toContain('set MCP_ALLOW_UNAUTHENTICATED=1');
    expect(stderr).not.toContain('listening on');
  });

  it.each(['0', 'false', ''])('MCP_ALLOW_UNAUTHENTICATED=%j does not opt in', async (value) => {
    const { code, stderr } = await runUntilExit(SERVER_DIR, { ...base, HOST: '0.0.0.0', MCP_ALLOW_UNAUTHENTICATED: value });
    expect(code).toBe(1);
    expect(stderr).toContain('HOST=0.0.0.0 is reachable from other machines');
  });

  it('refuses an opt-in value it cannot read rather than guess', async () => {
    const { code, stderr } = await runUntilExit(SERVER_DIR, { ...base, HOST: '0.0.0.0', MCP_ALLOW_UNAUTHENTICATED: 'yes please' });
    expect(code).toBe(1);
    expect(stderr).toContain('MCP_ALLOW_UNAUTHENTICATED must be 1 or true (or 0, false, unset), got "yes please"');
  });

  // These two bind 0.0.0.0 (as the Docker image does) for the moment it takes to probe them on 127.0.0.1.
  it('starts behind a gateway with MCP_ALLOW_UNAUTHENTICATED=1, and says so on stderr', async () => {
    const http = await startHttp(SERVER_DIR, { ...base, HOST: '0.0.0.0', MCP_ALLOW_UNAUTHENTICATED: '1' });
    try {
      expect(http.stderr()).toContain('Serving without inbound auth on 0.0.0.0 (MCP_ALLOW_UNAUTHENTICATED=1)');
      expect((await initialize(http.port)).status).toBe(200);
    } finally {
      await http.close();
    }
  });

  it('starts with inbound auth, which then guards /mcp', async () => {
    const http = await startHttp(SERVER_DIR, {
      ...base,
      HOST: '0.0.0.0',
      MCP_AUTH_ISSUER: introspection.url,
      MCP_AUTH_INTROSPECTION_URL: `${introspection.url}/introspect`,
    });
    try {
      expect(http.stderr()).not.toContain('Serving without inbound auth');
      expect((await initialize(http.port)).status).toBe(401);
    } finally {
      await http.close();
    }
  });
});

describe('numeric settings', () => {
  it.each([
    ['MCPGEN_TIMEOUT_MS', '2147483648', 'MCPGEN_TIMEOUT_MS must be an integer between 1 and 2147483647 (milliseconds), got "2147483648"'],
    ['MCPGEN_TIMEOUT_MS', '0', 'MCPGEN_TIMEOUT_MS must be an integer between 1 and 2147483647 (milliseconds), got "0"'],
    ['MCPGEN_TIMEOUT_MS', '30s', 'MCPGEN_TIMEOUT_MS must be an integer between 1 and 2147483647 (milliseconds), got "30s"'],
    ['MCPGEN_TIMEOUT_MS', '1e4', 'MCPGEN_TIMEOUT_MS must be an integer between 1 and 2147483647 (milliseconds), got "1e4"'],
    ['MCPGEN_MAX_RESPONSE_BYTES', '-1', 'MCPGEN_MAX_RESPONSE_BYTES must be an integer between 1 and 9007199254740991 (bytes), got "-1"'],
    ['MCPGEN_MAX_RESPONSE_BYTES', '9007199254740992', 'MCPGEN_MAX_RESPONSE_BYTES must be an integer between 1 and 9007199254740991 (bytes), got "9007199254740992"'],
    ['MCPGEN_LIST_PAGE_BYTES', '1.5', 'MCPGEN_LIST_PAGE_BYTES must be an integer between 1 and 9007199254740991 (bytes), got "1.5"'],
    ['PORT', '65536', 'PORT must be an integer between 0 and 65535, got "65536"'],
    ['PORT', '0x50', 'PORT must be an integer between 0 and 65535, got "0x50"'],
  ])('%s=%s stops the start', async (variable, value, message) => {
    const { code, stderr } = await runUntilExit(SERVER_DIR, { ...base, HOST: '127.0.0.1', [variable]: value });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toContain(message);
    expect(stderr).not.toContain('listening on');
  });

  it('accepts the largest timeout a timer can hold, and calls still wait for the answer', async () => {
    const http = await startHttp(SERVER_DIR, { ...base, MCPGEN_TIMEOUT_MS: '2147483647', MCPGEN_MAX_RESPONSE_BYTES: ' ', MCPGEN_LIST_PAGE_BYTES: '4000000' });
    const connection = await connectHttp(http.mcpUrl, 'legacy');
    try {
      const result = await connection.client.callTool({ name: 'get_health', arguments: {} });
      expect(result.isError ?? false).toBe(false);
      expect(result.structuredContent).toEqual(LEDGER_HEALTH);
      expect(http.stderr()).not.toMatch(/invalid|must be/i);
    } finally {
      await connection.close();
      await http.close();
    }
  });
});
