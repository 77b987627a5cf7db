// Hooks of the ledger-api server: user code that survives regeneration. mcpgen never
// writes this file; `mcpgen generate` type-checks it against the generated server and
// `mcpgen build` bundles it into dist/.
import { z } from 'zod';
import { defineTool, type ServerHooks } from '../generated/ledger-api/src/runtime/hooks.js';

/** Minor units per major unit, for the currencies this deployment knows. */
const DECIMALS: Record<string, number> = { EUR: 2, USD: 2, GBP: 2, JPY: 0 };

const hooks: ServerHooks = {
  // Tells the upstream which client sent the request (its logs group MCP traffic by it).
  beforeRequest(request) {
    request.headers.set('X-Request-Source', 'mcp');
  },

  // Account owners' e-mail addresses never reach the model.
  afterResponse({ operation, result }) {
    if (operation !== 'getAccount' || result.isError) return;
    const account = result.structuredContent as { owner?: { email?: string } } | undefined;
    if (account?.owner?.email === undefined) return;
    const redacted = { ...account, owner: { ...account.owner, email: 'redacted@example.invalid' } };
    return { ...result, structuredContent: redacted, content: [{ type: 'text', text: JSON.stringify(redacted) }] };
  },

  tools: [
    // defineTool types the handler's arguments from the schema.
    defineTool({
      name: 'format_amount',
      title: 'Format an amount',
      description: 'Formats an amount in minor units (as balances are given) for display, e.g. 1234 EUR → "12.34 EUR".',
      inputSchema: z.object({ amount: z.number().int(), currency: z.string().regex(/^[A-Z]{3}$/) }),
      annotations: { readOnlyHint: true, openWorldHint: false },
      handler({ amount, currency }) {
        const decimals = DECIMALS[currency];
        if (decimals === undefined) throw new Error(`unknown currency ${currency}`);
        return { content: [{ type: 'text', text: `${(amount / 10 ** decimals).toFixed(decimals)} ${currency}` }] };
      },
    }),
  ],
};

export default hooks;
