// `mcpgen init`'s pure parts: the server name a spec file gets, and the include suggestion for a
// large API, checked by planning the suggested selection again.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveServerEntry, serverNameForSpec, starterServerEntry } from '../../src/config/default-server.js';
import { pathSelector, suggestInclude } from '../../src/init/suggest-include.js';
import { planServer } from '../../src/pipeline.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('serverNameForSpec', () => {
  it.each([
    ['specs/ledger-api.yaml', 'ledger-api'],
    ['Stripe API.JSON', 'stripe-api'],
    ['billing.openapi.yaml', 'billing'],
    ['/srv/payments/openapi.yaml', 'payments'],
    ['/srv/api/spec.json.gz', 'api'],
    ['/srv/api/__.yaml', 'api'],
  ])('%s → %s', (spec, name) => {
    expect(serverNameForSpec(spec)).toBe(name);
  });
});

describe('pathSelector', () => {
  it.each([
    ['/v1/customers/{customer}/sources', '* /v1/customers*'],
    ['/repos/{owner}/{repo}', '* /repos*'],
    ['/api/v2.1/items', '* /api/v2.1/items*'],
    ['/', '* /*'],
  ])('%s → %s', (p, selector) => {
    expect(pathSelector(p)).toBe(selector);
  });
});

/** An API of `tags.length` × `perTag` operations, each with a long description so tokens add up. */
function largeSpec(tags: readonly string[], perTag: number, tagged = true): string {
  const paths: Record<string, unknown> = {};
  for (const tag of tags) {
    for (let i = 0; i < perTag; i++) {
      paths[`/v1/${tag}/op${i}`] = {
        post: {
          operationId: `${tag}Op${i}`,
          ...(tagged ? { tags: [tag] } : {}),
          summary: `Operation ${i} on ${tag}`,
          description: `Does thing ${i} to ${tag}. `.repeat(20),
          requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string', description: 'A name.' }, count: { type: 'integer' } } } } } },
          responses: { '200': { description: 'OK' } },
        },
      };
    }
  }
  return JSON.stringify({ openapi: '3.0.3', info: { title: 'Large', version: '1' }, servers: [{ url: 'https://api.example.com' }], paths });
}

async function planFor(spec: string, include?: string[]) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mcpgen-init-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'large.json'), spec);
  const configPath = path.join(dir, 'mcpgen.config.json');
  const entry = { ...starterServerEntry(path.join(dir, 'large.json'), configPath), ...(include ? { include } : {}) };
  const server = resolveServerEntry(entry, configPath, dir);
  const { plan, diagnostics } = await planServer(server, 0, { configDisplay: 'mcpgen.config.json', configText: '' });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { plan: plan!, budget: server.discoveryTokenBudget };
}

describe('suggestInclude', () => {
  it('says nothing for an API that fits', async () => {
    const { plan, budget } = await planFor(largeSpec(['pets'], 5));
    expect(suggestInclude(plan, budget)).toBeUndefined();
  });

  it('for more than 128 tools: lists the largest tags and a selection that, planned again, fits both limits', async () => {
    const tags = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];
    const sizes = [40, 35, 30, 25, 20, 15];
    const spec = JSON.parse(largeSpec([], 0)) as { paths: Record<string, unknown> };
    tags.forEach((tag, i) => Object.assign(spec.paths, (JSON.parse(largeSpec([tag], sizes[i]!)) as { paths: Record<string, unknown> }).paths));
    const { plan, budget } = await planFor(JSON.stringify(spec));
    expect(plan.tools.length).toBe(165);
    const suggestion = suggestInclude(plan, budget)!;
    expect(suggestion.reason).toContain('165 tools is more than the 128');
    expect(suggestion.groups.map((g) => `${g.selector} ${g.tools}`)).toEqual(tags.map((t, i) => `tag:${t} ${sizes[i]}`));
    expect(suggestion.include.length).toBeGreaterThan(0);
    const again = await planFor(JSON.stringify(spec), [...suggestion.include]);
    expect(again.plan.tools.length).toBe(suggestion.includeTools);
    expect(again.plan.tools.length).toBeLessThanOrEqual(128);
    expect(again.plan.budget.listTokens).toBeLessThanOrEqual(budget);
  });

  it('groups untagged operations by path prefix, and those selectors select them', async () => {
    const spec = largeSpec(['customers', 'charges', 'invoices'], 50, false);
    const { plan, budget } = await planFor(spec);
    const suggestion = suggestInclude(plan, budget)!;
    expect(suggestion.groups.map((g) => g.selector).sort()).toEqual(['* /v1/charges*', '* /v1/customers*', '* /v1/invoices*']);
    const again = await planFor(spec, [...suggestion.include]);
    expect(again.plan.tools.length).toBe(suggestion.includeTools);
    expect(again.plan.budget.listTokens).toBeLessThanOrEqual(budget);
  });
});
