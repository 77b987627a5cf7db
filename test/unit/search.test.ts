// The search index (compiler) and its search (runtime): the two copies of the term cutter
// agree, ranking follows names, summaries and synonyms, and filters apply.
import { describe, expect, it } from 'vitest';
import { buildSearchIndex, type SearchDocument } from '../../src/plan/search-index.js';
import { searchTerms as compilerTerms, stem as compilerStem } from '../../src/plan/search-terms.js';
import { searchTerms as runtimeTerms, stem as runtimeStem, ToolSearch } from '../../templates/runtime/protocol/search.js';

const TEXTS = [
  'listPodForAllNamespaces',
  'repos/create-fork',
  'Creates a refund for a charge; returns the Refund object.',
  'GET /v1/payment_intents/{intent}/capture',
  'running added deleted deletes repositories statuses authorization creation HTTPStatus v1beta2',
  'kill a pod, give a customer their money back',
];

describe('search terms', () => {
  it.each(TEXTS)('the compiler and runtime copies cut %j alike', (text) => {
    expect(runtimeTerms(text)).toEqual(compilerTerms(text));
  });

  it.each([
    ['creating', 'creat'],
    ['created', 'creat'],
    ['creates', 'creat'],
    ['creation', 'creat'],
    ['repositories', 'repository'],
    ['running', 'run'],
    ['add', 'add'],
    ['pods', 'pod'],
    ['status', 'status'],
  ])('stems %s to %s in both copies', (word, want) => {
    expect(runtimeStem(word)).toBe(want);
    expect(compilerStem(word)).toBe(want);
  });

  it('splits identifiers and drops stop words', () => {
    expect(runtimeTerms('Copy someone\'s repository into my account')).toEqual(['copy', 's', 'repository', 'account']);
    expect(runtimeTerms('deleteCoreV1NamespacedPod')).toEqual(['delet', 'cor', 'v1', 'namespac', 'pod']);
  });
});

const DOCS: SearchDocument[] = [
  { name: 'delete_pod', method: 'DELETE', operationId: 'deleteCoreV1NamespacedPod', description: 'delete a Pod', path: '/api/v1/namespaces/{namespace}/pods/{name}', tags: ['core_v1'] },
  { name: 'list_pods', method: 'GET', operationId: 'listCoreV1NamespacedPod', description: 'list or watch objects of kind Pod', path: '/api/v1/namespaces/{namespace}/pods', tags: ['core_v1'] },
  { name: 'create_refund', method: 'POST', operationId: 'PostRefunds', description: '<p>Create a refund.</p>', path: '/v1/refunds', tags: ['refunds'] },
  { name: 'create_fork', method: 'POST', operationId: 'repos/create-fork', title: 'Create a fork', description: 'Create a fork for the authenticated user.', path: '/repos/{owner}/{repo}/forks', tags: ['repos'] },
  { name: 'delete_pod_beta', method: 'DELETE', operationId: 'deleteCoreV1beta1NamespacedPod', description: 'delete a Pod', path: '/api/v1beta1/namespaces/{namespace}/pods/{name}', tags: ['core_v1beta1'] },
];
const search = new ToolSearch(JSON.parse(JSON.stringify(buildSearchIndex(DOCS))));
const all = () => true;

describe('ToolSearch over a built index', () => {
  it.each([
    ['kill a pod', 'delete_pod'],
    ['give a customer their money back', 'create_refund'],
    ['copy someone\'s repository into my account', 'create_fork'],
    ['show me the pods', 'list_pods'],
  ])('%j finds %s first', (query, want) => {
    expect(search.search(query, 3, all)[0]?.name).toBe(want);
  });

  it('ranks a stable API version above its beta twin', () => {
    const names = search.search('delete pod', 5, all).map((h) => h.name);
    expect(names.indexOf('delete_pod')).toBeLessThan(names.indexOf('delete_pod_beta'));
  });

  it('puts an exact tool name first and honours limit and the allowed filter', () => {
    expect(search.search('list_pods', 1, all).map((h) => h.name)).toEqual(['list_pods']);
    expect(search.search('delete pod', 5, (name) => name !== 'delete_pod').map((h) => h.name)).not.toContain('delete_pod');
    expect(search.search('pod', 1, all)).toHaveLength(1);
  });

  it('finds nothing for words no tool has, object keys included', () => {
    expect(search.search('zzzz qqqq', 5, all)).toEqual([]);
    expect(search.search('constructor __proto__ toString hasOwnProperty', 5, all)).toEqual([]);
  });

  it('gives the same answer to the same query twice (its buffers are reused)', () => {
    const first = search.search('delete pod', 5, all);
    search.search('refund', 5, all);
    expect(search.search('delete pod', 5, all)).toEqual(first);
  });
});

describe('ranking priors built into the index', () => {
  const messages: SearchDocument[] = [
    // The same words, and more of them in the nested one: only its depth ranks it second.
    { name: 'nested_messages', method: 'GET', operationId: 'listMessages', title: 'List messages', description: '', path: '/me/messages/{id}/messages', tags: ['mail'] },
    { name: 'messages', method: 'GET', operationId: 'listMessages', title: 'List messages', description: '', path: '/me/messages', tags: ['mail'] },
    { name: 'watch_jobs', method: 'GET', operationId: 'watchBatchV1NamespacedJobList', description: "watch individual changes to a list of Job. deprecated: use the 'watch' parameter with a list operation instead.", path: '/apis/batch/v1/namespaces/{namespace}/jobs', tags: ['batch_v1'] },
    { name: 'list_jobs', method: 'GET', operationId: 'listBatchV1NamespacedJob', description: 'list or watch objects of kind Job', path: '/apis/batch/v1/namespaces/{namespace}/jobs', tags: ['batch_v1'] },
  ];
  const priors = new ToolSearch(JSON.parse(JSON.stringify(buildSearchIndex(messages))));

  it('prefers the shallow, general tool over a nested one under the same words', () => {
    expect(priors.search('list messages', 2, all).map((h) => h.name)).toEqual(['messages', 'nested_messages']);
  });

  it('ranks a tool whose description says it is deprecated below its replacement', () => {
    expect(priors.search('watch jobs', 2, all).map((h) => h.name)).toEqual(['list_jobs', 'watch_jobs']);
  });

  it('drops filler words from a request', () => {
    expect(runtimeTerms('make another job, just some other thing')).toEqual(['mak', 'job']);
  });
});
