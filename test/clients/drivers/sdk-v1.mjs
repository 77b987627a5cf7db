// The MCP TypeScript SDK v1 client (what most hosts embed). It has no native tool
// format, so "converted" and "strict" do not apply; it validates structuredContent
// against the tool's outputSchema, which is where a drifted result shows.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export async function drive({ server, transport, call, step }) {
  const client = new Client({ name: 'mcpgen-client-matrix', version: '0.0.0' });
  const link =
    transport === 'stdio'
      ? new StdioClientTransport({ command: server.stdio.command, args: server.stdio.args, env: server.stdio.env, stderr: 'ignore' })
      : new StreamableHTTPClientTransport(new URL(server.url));
  try {
    if (!(await step('connect', () => client.connect(link)))) return;
    const tools = await step('list', async () => {
      const all = [];
      let cursor;
      for (let page = 0; page < 100; page++) {
        const result = await client.listTools(cursor ? { cursor } : {});
        all.push(...result.tools);
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      return all;
    });
    if (!tools) return;
    await step('call', async () => call.check(await client.callTool({ name: call.tool, arguments: call.args })));
  } finally {
    await client.close().catch(() => {});
  }
}
