// The OpenAI Agents SDK (@openai/agents). Native tools come from mcpToFunctionTool, the
// function getAllMcpTools uses; with convertSchemasToStrict it tries OpenAI strict mode and
// falls back to a non-strict tool when the schema cannot be made strict, so "strict" counts
// the function tools that came back with strict: true.
import { MCPServerStdio, MCPServerStreamableHttp, RunContext, mcpToFunctionTool } from '@openai/agents';

// Its default (5 s) is shorter than a cold server start on a busy CI machine.
const TIMEOUT_S = 60;

export async function drive({ server, transport, call, step }) {
  const mcp =
    transport === 'stdio'
      ? new MCPServerStdio({ name: server.name, command: server.stdio.command, args: server.stdio.args, env: server.stdio.env, clientSessionTimeoutSeconds: TIMEOUT_S })
      : new MCPServerStreamableHttp({ name: server.name, url: server.url, clientSessionTimeoutSeconds: TIMEOUT_S });
  try {
    if (!(await step('connect', () => mcp.connect()))) return;
    const listed = await step('list', () => mcp.listTools());
    if (!listed) return;
    await step('call', async () => call.check(await mcp.callToolResult(call.tool, call.args)));
    const tools = await step('converted', async () => {
      const native = listed.map((tool) => mcpToFunctionTool(tool, mcp, false));
      return { converted: native.length, of: listed.length, native };
    });
    await step('strict', async () => {
      const rejected = listed.filter((tool) => mcpToFunctionTool(tool, mcp, true).strict !== true).map((tool) => tool.name);
      return { converted: listed.length - rejected.length, of: listed.length, rejected };
    });
    if (!tools) return;
    // The model sees what invoke returns; an upstream or schema failure comes back as a
    // string "An error occurred ..." rather than a throw, which call.check rejects.
    await step('nativeCall', async () => {
      const tool = tools.native.find((t) => t.name === call.tool);
      if (!tool) throw new Error(`no native tool ${call.tool}`);
      return call.check(await tool.invoke(new RunContext({}), JSON.stringify(call.args)));
    });
  } finally {
    await mcp.close().catch(() => {});
  }
}
