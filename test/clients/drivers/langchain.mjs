// LangChain's MCP adapter (@langchain/mcp-adapters). Native tools are
// DynamicStructuredTools; a tool that fails to load is skipped (throwOnLoadError: false)
// so "converted" counts the ones that load. Its own SDK client does connect/list/call.
import { MultiServerMCPClient } from '@langchain/mcp-adapters';

export async function drive({ server, transport, call, step }) {
  const connection =
    transport === 'stdio'
      ? { transport: 'stdio', command: server.stdio.command, args: server.stdio.args, env: server.stdio.env, stderr: 'ignore', restart: { enabled: false } }
      : { transport: 'http', url: server.url, reconnect: { enabled: false } };
  const client = new MultiServerMCPClient({
    mcpServers: { [server.name]: connection },
    throwOnLoadError: false,
    prefixToolNameWithServerName: false,
    onConnectionError: 'throw',
  });
  try {
    const sdk = await step('connect', async () => {
      await client.initializeConnections();
      const found = await client.getClient(server.name);
      if (!found) throw new Error('no client after initializeConnections');
      return found;
    });
    if (!sdk) return;
    const listed = await step('list', async () => (await sdk.listTools()).tools);
    if (!listed) return;
    await step('call', async () => call.check(await sdk.callTool({ name: call.tool, arguments: call.args })));
    const tools = await step('converted', async () => {
      const native = await client.getTools();
      return { converted: native.length, of: listed.length, native };
    });
    if (!tools) return;
    await step('nativeCall', async () => {
      const tool = tools.native.find((t) => t.name === call.tool);
      if (!tool) throw new Error(`no native tool ${call.tool}`);
      return call.check(await tool.invoke(call.args));
    });
  } finally {
    await client.close().catch(() => {});
  }
}
