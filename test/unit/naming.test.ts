import { describe, expect, it } from 'vitest';
import {
  closestMatch,
  titleFromName,
  toolNameBudget,
  envPrefix,
  MAX_TOOL_NAME,
  shortenName,
  toArgumentName,
  toEnvName,
  toolNameFromOperation,
  toSlug,
  toSnakeCase,
  TOOL_NAME_PATTERN,
} from '../../src/plan/naming.js';

describe('toSnakeCase', () => {
  it.each([
    ['camelCase', { given: 'listAccounts', want: 'list_accounts' }],
    ['PascalCase', { given: 'ListAccounts', want: 'list_accounts' }],
    ['acronym in the middle', { given: 'getHTTPStatus', want: 'get_http_status' }],
    ['acronym at the end', { given: 'parseURL', want: 'parse_url' }],
    ['acronym at the start', { given: 'HTTPServer', want: 'http_server' }],
    ['digits stay with their word', { given: 'v2Accounts', want: 'v2_accounts' }],
    ['digits inside a word', { given: 'getOAuth2Token', want: 'get_o_auth2_token' }],
    ['dashes', { given: 'list-all-accounts', want: 'list_all_accounts' }],
    ['slashes', { given: 'v2/foo-bar', want: 'v2_foo_bar' }],
    ['runs of separators collapse', { given: 'a -- /b', want: 'a_b' }],
    ['leading and trailing separators are trimmed', { given: '--list_accounts__', want: 'list_accounts' }],
    ['leading digits are kept', { given: '2faEnable', want: '2fa_enable' }],
    ['already snake case', { given: 'list_accounts', want: 'list_accounts' }],
    ['only separators', { given: '/-/', want: '' }],
    ['non-ASCII letters become separators', { given: 'créerCompte', want: 'cr_er_compte' }],
  ])('%s', (_name, { given, want }) => {
    expect(toSnakeCase(given)).toBe(want);
  });
});

describe('toolNameFromOperation', () => {
  it.each([
    ['operationId wins over the path', { method: 'GET', path: '/accounts/{id}', operationId: 'getAccount', want: 'get_account' }],
    ['method and path without operationId', { method: 'GET', path: '/accounts/{id}', operationId: undefined, want: 'get_accounts_id' }],
    ['nested path parameters', { method: 'DELETE', path: '/accounts/{accountId}/cards/{cardId}', operationId: undefined, want: 'delete_accounts_account_id_cards_card_id' }],
    ['root path gives the method', { method: 'POST', path: '/', operationId: undefined, want: 'post' }],
    ['empty operationId falls back to the path', { method: 'GET', path: '/pets', operationId: '', want: 'get_pets' }],
    ['operationId of separators only gives the method', { method: 'PUT', path: '/x', operationId: '---', want: 'put' }],
    ['leading digit gets op_ prefix', { method: 'GET', path: '/x', operationId: '2faStatus', want: 'op_2fa_status' }],
    ['all-digit operationId', { method: 'GET', path: '/x', operationId: '123', want: 'op_123' }],
  ])('%s', (_name, { method, path, operationId, want }) => {
    const name = toolNameFromOperation(method, path, operationId);
    expect(name).toBe(want);
    expect(name).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
  });
});

describe('shortenName', () => {
  const longA = `list_${'very_long_segment_'.repeat(5)}accounts_a`;
  const longB = `list_${'very_long_segment_'.repeat(5)}accounts_b`;

  it('keeps names of 64 characters or fewer', () => {
    const exactly64 = 'a'.repeat(64);
    expect(shortenName(exactly64)).toBe(exactly64);
    expect(shortenName('list_accounts')).toBe('list_accounts');
  });

  it.each([
    ['65 characters', 'a'.repeat(65)],
    ['a long snake_case name', longA],
    ['a name whose cut point falls on underscores', `${'x'.repeat(54)}_________${'y'.repeat(20)}`],
  ])('shortens %s to at most 64 valid characters', (_name, given) => {
    const short = shortenName(given);
    expect(given.length).toBeGreaterThan(MAX_TOOL_NAME);
    expect(short.length).toBeLessThanOrEqual(MAX_TOOL_NAME);
    expect(short).toMatch(TOOL_NAME_PATTERN);
    expect(short).toMatch(/_[0-9a-f]{8}$/);
    expect(given.startsWith(short.slice(0, 20))).toBe(true);
  });

  it('is deterministic', () => {
    expect(shortenName(longA)).toBe(shortenName(longA));
  });

  it('keeps two long names with the same prefix distinct', () => {
    expect(longA.slice(0, 55)).toBe(longB.slice(0, 55));
    expect(shortenName(longA)).not.toBe(shortenName(longB));
  });

  it('honours a custom maximum', () => {
    expect(shortenName('a'.repeat(40), 20).length).toBeLessThanOrEqual(20);
  });
});

describe('envPrefix', () => {
  it.each([
    ['kebab case', { given: 'ledger-api', want: 'LEDGER_API' }],
    ['scoped package', { given: '@acme/x.y', want: '_ACME_X_Y' }],
    ['digits kept', { given: 'api2', want: 'API2' }],
    ['tilde', { given: 'a~b', want: 'A_B' }],
  ])('%s', (_name, { given, want }) => {
    expect(envPrefix(given)).toBe(want);
  });
});

describe('toEnvName', () => {
  it.each([
    ['camelCase scheme', { given: 'apiKey', want: 'API_KEY' }],
    ['bearerAuth', { given: 'bearerAuth', want: 'BEARER_AUTH' }],
    ['acronym', { given: 'OAuthToken', want: 'O_AUTH_TOKEN' }],
    ['kebab case', { given: 'basic-auth', want: 'BASIC_AUTH' }],
    ['already upper', { given: 'API_KEY', want: 'API_KEY' }],
  ])('%s', (_name, { given, want }) => {
    expect(toEnvName(given)).toBe(want);
  });
});

describe('toArgumentName', () => {
  it.each([
    ['plain name', { given: 'accountId', want: 'accountId' }],
    ['allowed punctuation kept', { given: 'page.size-max_1', want: 'page.size-max_1' }],
    ['brackets replaced', { given: 'filter[status]', want: 'filter_status_' }],
    ['spaces replaced', { given: 'X Request Id', want: 'X_Request_Id' }],
    ['dollar replaced', { given: '$top', want: '_top' }],
    ['empty name', { given: '', want: '_' }],
    ['non-ASCII replaced per UTF-16 unit', { given: 'naïve', want: 'na_ve' }],
    ['cut at 64', { given: 'a'.repeat(70), want: 'a'.repeat(64) }],
  ])('%s', (_name, { given, want }) => {
    expect(toArgumentName(given)).toBe(want);
    expect(toArgumentName(given)).toMatch(/^[A-Za-z0-9_.-]{1,64}$/);
  });
});

describe('toSlug', () => {
  it.each([
    ['tag with spaces', { given: 'Account Holders', want: 'account-holders' }],
    ['camelCase tag', { given: 'paymentMethods', want: 'payment-methods' }],
    ['reserved index', { given: 'index', want: 'index-tools' }],
    ['reserved index in another case', { given: 'Index', want: 'index-tools' }],
    ['empty tag', { given: '', want: 'default' }],
    ['punctuation only', { given: '***', want: 'default' }],
  ])('%s', (_name, { given, want }) => {
    const slug = toSlug(given);
    expect(slug).toBe(want);
    expect(slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });
});

describe('closestMatch', () => {
  it.each([
    ['one typo', { target: 'listAccount', candidates: ['listAccounts', 'getAccount', 'createCard'], want: 'listAccounts' }],
    ['case does not count', { target: 'LISTACCOUNTS', candidates: ['getAccount', 'listAccounts'], want: 'listAccounts' }],
    ['nothing close', { target: 'zzz', candidates: ['listAccounts', 'getAccount'], want: undefined }],
    ['no candidates', { target: 'listAccounts', candidates: [], want: undefined }],
    ['first of equal distances', { target: 'getB', candidates: ['getA', 'getC'], want: 'getA' }],
    ['selector form', { target: 'GET /acounts', candidates: ['GET /accounts', 'POST /accounts'], want: 'GET /accounts' }],
  ])('%s', (_name, { target, candidates, want }) => {
    expect(closestMatch(target, candidates)).toBe(want);
  });
});

describe('toolNameBudget: names fit a client prefix', () => {
  it.each([
    ['short server name', 'ledger-api', undefined, 64 - 'mcp__ledger-api__'.length],
    ['npm scope is not part of the client name', '@acme/ledger-api', undefined, 64 - 'mcp__ledger-api__'.length],
    ['never below 32', 'a-very-long-server-name-that-would-leave-little-room', undefined, 32],
    ['configured wins', 'ledger-api', 64, 64],
  ])('%s', (_name, server, configured, expected) => {
    expect(toolNameBudget(server, configured)).toBe(expected);
  });
});

describe('titleFromName', () => {
  it.each([
    ['list_accounts', 'List accounts'],
    ['delete_the_item_identified_by_its_d72ae5f2', 'Delete the item identified by its'],
    ['get', 'Get'],
  ])('%s → %s', (name, title) => {
    expect(titleFromName(name)).toBe(title);
  });
});
