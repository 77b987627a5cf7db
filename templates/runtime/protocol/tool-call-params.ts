// tools/call params with the arguments exactly as the client sent them.
// The SDK's own request schema parses `arguments` with zod's z.record, which rebuilds the
// object by assignment and so silently drops an argument named `__proto__`. The SDK still
// validates the whole request against its wire schema first (Server._wrapHandler); this
// schema only hands the handler the same `arguments` object JSON.parse made.

import type { StandardSchemaV1 } from '@modelcontextprotocol/server';

export interface ToolCallParams {
  readonly name: string;
  readonly arguments: unknown;
}

export const TOOL_CALL_PARAMS: StandardSchemaV1<unknown, ToolCallParams> = {
  '~standard': {
    version: 1,
    vendor: 'mcpgen',
    validate: (value) => {
      const params = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
      const name = Object.hasOwn(params, 'name') ? params['name'] : undefined;
      if (typeof name !== 'string') return { issues: [{ message: 'tools/call needs a tool name', path: ['name'] }] };
      return { value: { name, arguments: Object.hasOwn(params, 'arguments') ? params['arguments'] : undefined } };
    },
  },
};
