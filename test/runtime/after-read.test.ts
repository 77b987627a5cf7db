// afterResponse on resource reads (hooks.ts applyAfterRead): the read comes to the hook as a
// tool result of the same operation; what the hook changes is what is read, and a failing or
// refusing hook answers the read with an error naming it.
import type { ReadResourceResult } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { applyAfterRead, type ServerHooks } from '../../templates/runtime/hooks.js';

const URI = 'notes://notes/n1';
const read = (result: ReadResourceResult) => ({ uri: URI, operation: 'getNote', arguments: { id: 'n1' }, status: 200, result });
const json = (value: unknown): ReadResourceResult => ({ contents: [{ uri: URI, mimeType: 'application/json', text: JSON.stringify(value) }] });

describe('applyAfterRead', () => {
  it('gives the hook the operation, the URI and the parsed JSON; a changed structuredContent is what is read', async () => {
    const seen: unknown[] = [];
    const hooks: ServerHooks = {
      afterResponse({ tool, resource, operation, result }) {
        seen.push({ tool, resource, operation });
        return { ...result, structuredContent: { ...(result.structuredContent as object), secret: '***' } };
      },
    };
    const out = await applyAfterRead(hooks, read(json({ id: 'n1', secret: 's3cr3t' })));
    expect(seen).toEqual([{ tool: undefined, resource: URI, operation: 'getNote' }]);
    expect(out.contents).toEqual([{ uri: URI, mimeType: 'application/json', text: '{"id":"n1","secret":"***"}' }]);
  });

  it('a hook that changes nothing leaves the upstream body as it was', async () => {
    const original = { contents: [{ uri: URI, mimeType: 'application/json', text: '{ "id" : "n1" }' }] };
    expect(await applyAfterRead({ afterResponse: () => undefined }, read(original))).toBe(original);
  });

  it('text content the hook returns replaces the contents of a non-JSON read', async () => {
    const hooks: ServerHooks = { afterResponse: ({ result }) => ({ ...result, content: [{ type: 'text', text: 'redacted' }] }) };
    const out = await applyAfterRead(hooks, read({ contents: [{ uri: URI, mimeType: 'text/plain', text: 'secret' }] }));
    expect(out.contents).toEqual([{ uri: URI, mimeType: 'text/plain', text: 'redacted' }]);
  });

  it('a throwing hook, or an isError result, answers the read with an error naming it', async () => {
    await expect(applyAfterRead({ afterResponse: () => { throw new Error('no key'); } }, read(json({})))).rejects.toThrow(`The afterResponse hook of ${URI} failed: no key`);
    const refusing: ServerHooks = { afterResponse: () => ({ content: [{ type: 'text', text: 'not for you' }], isError: true }) };
    await expect(applyAfterRead(refusing, read(json({})))).rejects.toThrow('not for you');
  });
});
