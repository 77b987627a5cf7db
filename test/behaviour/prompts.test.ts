// Prompts and prompt-argument completion of the generated `ledger-api` server (the
// prompts declared in mcpgen.config.json with templates in templates/prompts/), driven
// through the real MCP SDK client over stdio and Streamable HTTP in both protocol eras,
// against the recording fake of the upstream API.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  assertBuilt,
  connectHttp,
  connectStdio,
  generatedDir,
  killAllSpawned,
  startHttp,
  type Connection,
  type HttpServerHandle,
} from '../support/mcp.js';
import { LEDGER_ACCOUNTS, LEDGER_BASE_PATH, startUpstream, type Upstream } from '../support/upstream.js';
import { MATRIX, credentials, onlyRequest } from '../support/assertions.js';
import { renderRoleBlocks, rpcError } from '../support/resources.js';

const SERVER_DIR = generatedDir('ledger-api');
const P = LEDGER_BASE_PATH;
const INVALID_PARAMS = -32602;

const CREDS = {
  LEDGER_API_API_KEY: 'hdr-key-123',
  LEDGER_API_QUERY_KEY: 'q-key-456',
  LEDGER_API_COOKIE_KEY: 'sess-789',
  LEDGER_API_BEARER_AUTH: 'bearer-tok-abc',
  LEDGER_API_BASIC_AUTH_USERNAME: 'ada',
  LEDGER_API_BASIC_AUTH_PASSWORD: 's3cr:et pw',
} as const;

interface ConfiguredPrompt {
  name: string;
  title?: string;
  description?: string;
  template: string;
  arguments?: Array<{ name: string; description?: string; required?: boolean; enum?: string[] }>;
}

/** The prompts as the config declares them (the source of truth for prompts/list). */
const CONFIGURED: ConfiguredPrompt[] = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'mcpgen.config.json'), 'utf8')) as { servers: Array<{ name: string; prompts?: ConfiguredPrompt[] }> }
).servers.find((s) => s.name === 'ledger-api')!.prompts!;

let upstream: Upstream;

beforeAll(async () => {
  assertBuilt(SERVER_DIR);
  upstream = await startUpstream();
});

afterAll(async () => {
  await killAllSpawned();
  await upstream?.close();
});

function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { LEDGER_API_BASE_URL: upstream.url + P, ...CREDS, ...extra };
}

describe('expectations derived from the config and templates', () => {
  it('the config declares the two prompts this suite exercises', () => {
    expect(CONFIGURED.map((p) => p.name)).toEqual(['account-review', 'ledger-overview']);
  });

  it('the reference rendering of account-review reads the template file (guards the oracle)', () => {
    expect(renderRoleBlocks('account-review.hbs', { accountId: 'acc_1', period: 'quarter' })).toEqual([
      {
        role: 'user',
        text:
          'Review the ledger account acc_1 for the quarter period.\n' +
          'Use the list_transactions tool to read its transactions and export_transactions for a CSV copy.\n' +
          'Flag anything unusual in plain language.',
      },
      { role: 'assistant', text: 'I will read account acc_1 first, then its quarter transactions.' },
    ]);
  });
});

describe.each(MATRIX)('ledger-api prompts over %s, %s era', (transport, era) => {
  let conn: Connection;
  let http: HttpServerHandle | undefined;

  beforeAll(async () => {
    if (transport === 'stdio') {
      conn = await connectStdio(SERVER_DIR, baseEnv(), era);
    } else {
      http = await startHttp(SERVER_DIR, baseEnv());
      conn = await connectHttp(http.mcpUrl, era);
    }
  });

  afterAll(async () => {
    await conn?.close();
    await http?.close();
  });

  beforeEach(() => upstream.reset());

  const get = (name: string, args?: Record<string, string>) =>
    conn.client.getPrompt(args === undefined ? { name } : { name, arguments: args });

  it('negotiated the requested protocol era and advertises prompts and completions', () => {
    expect(conn.client.getProtocolEra()).toBe(era);
    const caps = conn.client.getServerCapabilities();
    expect(caps?.prompts).toBeDefined();
    expect(caps?.completions).toBeDefined();
  });

  // -------------------------------------------------------------------------
  // prompts/list
  // -------------------------------------------------------------------------

  it('prompts/list: names, titles, descriptions and arguments exactly as configured', async () => {
    const { prompts } = await conn.client.listPrompts();
    expect(prompts).toEqual(
      CONFIGURED.map((p) => ({
        name: p.name,
        ...(p.title === undefined ? {} : { title: p.title }),
        ...(p.description === undefined ? {} : { description: p.description }),
        arguments: (p.arguments ?? []).map((a) => ({
          name: a.name,
          ...(a.description === undefined ? {} : { description: a.description }),
          required: a.required ?? false,
        })),
      })),
    );
    // Spelled out once, so a config edit that also breaks the above is noticed.
    expect(prompts.find((p) => p.name === 'account-review')).toEqual({
      name: 'account-review',
      title: 'Review an account',
      description: "Walk through one account's transactions and flag anything unusual.",
      arguments: [
        { name: 'accountId', description: 'The account to review', required: true },
        { name: 'period', description: 'Which period', required: false },
      ],
    });
    expect(upstream.requests).toEqual([]);
  });

  // -------------------------------------------------------------------------
  // prompts/get
  // -------------------------------------------------------------------------

  it('account-review: user and assistant messages composed from the template with the arguments', async () => {
    const args = { accountId: 'acc_1', period: 'quarter' };
    const result = await get('account-review', args);
    expect(result.messages).toEqual(
      renderRoleBlocks('account-review.hbs', args).map(({ role, text }) => ({ role, content: { type: 'text', text } })),
    );
    expect(result.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(result.description).toBe("Walk through one account's transactions and flag anything unusual.");
    expect(upstream.requests).toEqual([]);
  });

  it('account-review substitutes argument values verbatim (no HTML escaping, no template re-evaluation)', async () => {
    const args = { accountId: 'a<b>&"c" {{period}}', period: 'year' };
    const result = await get('account-review', args);
    expect(result.messages).toEqual(
      renderRoleBlocks('account-review.hbs', args).map(({ role, text }) => ({ role, content: { type: 'text', text } })),
    );
    expect((result.messages[0]!.content as { text: string }).text).toContain('account a<b>&"c" {{period}} for the year period.');
  });

  it('account-review: the optional period may be omitted', async () => {
    const result = await get('account-review', { accountId: 'acc_2' });
    expect(result.messages).toEqual(
      renderRoleBlocks('account-review.hbs', { accountId: 'acc_2' }).map(({ role, text }) => ({ role, content: { type: 'text', text } })),
    );
  });

  it.each([
    ['no arguments at all', undefined],
    ['an empty arguments object', {}],
    ['only the optional argument', { period: 'month' }],
    ['an empty required value', { accountId: '' }],
  ])('account-review with %s is invalid params naming accountId', async (_what, args) => {
    const error = await rpcError(get('account-review', args));
    expect(error.code).toBe(INVALID_PARAMS);
    expect(error.message).toContain('accountId');
    expect(upstream.requests).toEqual([]);
  });

  it.each([
    ['account-review', { accountId: 'acc_1', period: 'decade' }, 'period'],
    ['account-review', { accountId: 'acc_1', period: 'Quarter' }, 'period'],
    ['ledger-overview', { audience: 'sales' }, 'audience'],
  ])('%s with %j outside the enum is invalid params naming %s', async (name, args, argument) => {
    const error = await rpcError(get(name, args));
    expect(error.code).toBe(INVALID_PARAMS);
    expect(error.message).toContain(argument);
    expect(upstream.requests).toEqual([]);
  });

  it('an unknown prompt is invalid params', async () => {
    const error = await rpcError(get('no-such-prompt', {}));
    expect(error.code).toBe(INVALID_PARAMS);
    expect(error.message).toContain('no-such-prompt');
  });

  it('ledger-overview embeds the ledger-api://accounts resource with the upstream body', async () => {
    const result = await get('ledger-overview', { audience: 'finance' });
    expect(result.messages).toEqual([
      { role: 'user', content: { type: 'text', text: 'Here is every account in the ledger:' } },
      {
        role: 'user',
        content: {
          type: 'resource',
          resource: { uri: 'ledger-api://accounts', mimeType: 'application/json', text: JSON.stringify(LEDGER_ACCOUNTS) },
        },
      },
      { role: 'user', content: { type: 'text', text: 'Summarise the accounts above for finance.' } },
    ]);
    const req = onlyRequest(upstream);
    expect(req.method).toBe('GET');
    expect(req.path).toBe(`${P}/accounts`);
    expect(req.rawQuery).toBe('');
    expect(credentials(req)).toEqual({ 'header:x-api-key': CREDS.LEDGER_API_API_KEY });
  });

  // -------------------------------------------------------------------------
  // completion/complete for prompt arguments
  // -------------------------------------------------------------------------

  const completePrompt = (name: string, argument: string, value: string) =>
    conn.client.complete({ ref: { type: 'ref/prompt', name }, argument: { name: argument, value } });

  it.each([
    ['account-review', 'period', 'q', ['quarter']],
    ['account-review', 'period', '', ['month', 'quarter', 'year']],
    ['account-review', 'period', 'z', []],
    ['ledger-overview', 'audience', 'f', ['finance']],
    ['ledger-overview', 'audience', '', ['finance', 'engineering']],
    // No enum and no collection behind it: nothing to offer.
    ['account-review', 'accountId', '', []],
    // Unknown refs.
    ['no-such-prompt', 'period', 'q', []],
    ['account-review', 'no-such-argument', '', []],
  ] as const)('completes %s.%s with prefix %j → %j', async (name, argument, prefix, expected) => {
    const result = await completePrompt(name, argument, prefix);
    expect(result.completion.values).toEqual(expected);
    expect(result.completion.hasMore ?? false).toBe(false);
    expect(upstream.requests).toEqual([]);
  });
});
