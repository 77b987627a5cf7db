#!/usr/bin/env node
// Calls tools of a generated server the way an OpenAI model in strict mode does, through the
// OpenAI Agents SDK: each tool converted with convertSchemasToStrict (mcpToFunctionTool), then
// invoked with the JSON a strict model writes. Run on the pinned Node 22 (see
// ../support/pinned-install.mjs), by test/clients/strict-nulls.test.ts.
//
//   node strict-call.mjs '{"command":…,"args":[…],"env":{…},"calls":[{"tool":…,"args":{…}}]}'
//
// Prints, per call, whether the tool came back strict, the schema the model would be given
// (`parameters`) and what invoke returned.
import { MCPServerStdio, RunContext, mcpToFunctionTool } from '@openai/agents';

const { command, args, env, calls } = JSON.parse(process.argv[2] ?? '{}');
const mcp = new MCPServerStdio({ name: 'strict-call', command, args, env, clientSessionTimeoutSeconds: 60 });
await mcp.connect();
try {
  const listed = await mcp.listTools();
  const results = [];
  for (const call of calls) {
    const tool = listed.find((candidate) => candidate.name === call.tool);
    if (tool === undefined) throw new Error(`the server lists no tool ${call.tool}`);
    const native = mcpToFunctionTool(tool, mcp, true);
    const output = await native.invoke(new RunContext({}), JSON.stringify(call.args));
    results.push({ tool: call.tool, strict: native.strict, parameters: native.parameters, output });
  }
  process.stdout.write(JSON.stringify(results));
} finally {
  await mcp.close();
}
