// The Vercel AI SDK's MCP client (@ai-sdk/mcp, Node 22). Native tools: client.tools()
// gives AI SDK tools whose execute() runs the MCP call; conversion is all or nothing.
import { createMCPClient } from '@ai-sdk/mcp';
import { Experimental_StdioMCPTransport } from '@ai-sdk/mcp/mcp-stdio';

export async function drive({ server, transport, call, step }) {
  const client = await step('connect', () =>
    createMCPClient({
      transport:
        transport === 'stdio'
          ? new Experimental_StdioMCPTransport({ command: server.stdio.command, args: server.stdio.args, env: server.stdio.env, stderr: 'ignore' })
          : { type: 'http', url: server.url },
    }),
  );
  if (!client) return;
  try {
    const listed = await step('list', async () => (await client.listTools()).tools);
    if (!listed) return;
    await step('call', async () => call.check(await client.callTool({ name: call.tool, arguments: call.args })));
    const tools = await step('converted', async () => {
      const native = await client.tools();
      return { converted: Object.keys(native).length, of: listed.length, native };
    });
    if (!tools) return;
    await step('nativeCall', async () => {
      const tool = tools.native[call.tool];
      if (!tool) throw new Error(`no native tool ${call.tool}`);
      return call.check(await tool.execute(call.args, { toolCallId: 'matrix-1', messages: [] }));
    });
  } finally {
    await client.close().catch(() => {});
  }
}
