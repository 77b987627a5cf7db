// Mastra's MCP client (@mastra/mcp, Node 22). It lists and converts in one step
// (listToolsWithErrors gives Mastra tools named `<server>_<tool>`), and it calls only
// through those native tools, so its "call" is the native call.
import { randomUUID } from 'node:crypto';
import { MCPClient } from '@mastra/mcp';

export async function drive({ server, transport, call, step }) {
  const definition =
    transport === 'stdio'
      ? { command: server.stdio.command, args: server.stdio.args, env: server.stdio.env }
      : { url: new URL(server.url) };
  const client = new MCPClient({ id: randomUUID(), servers: { [server.name]: definition }, timeout: 30_000 });
  try {
    const listed = await step('connect', async () => {
      const { tools, errors } = await client.listToolsWithErrors();
      const failure = errors?.[server.name];
      if (failure) throw new Error(typeof failure === 'string' ? failure : (failure.message ?? JSON.stringify(failure)));
      return tools;
    });
    if (!listed) return;
    const prefix = `${server.name}_`;
    const names = Object.keys(listed).filter((name) => name.startsWith(prefix));
    await step('list', async () => names);
    await step('converted', async () => ({ converted: names.length, of: names.length }));
    const run = async () => {
      const tool = listed[`${prefix}${call.tool}`];
      if (!tool) throw new Error(`no native tool ${prefix}${call.tool}`);
      return call.check(await tool.execute(call.args, {}));
    };
    await step('call', run);
    await step('nativeCall', run);
  } finally {
    await client.disconnect().catch(() => {});
  }
}
