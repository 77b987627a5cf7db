// The least a stdio server on the official SDK can do: import it, create a Server and offer
// one tool, `fetch`, that GETs FLOOR_URL and returns the body as text, with no validation,
// no mapping, no timeout. Its cold start and tools/call overhead are the floor for every
// generated server that must use this SDK (the bench prints them beside the real ones).
import { Server } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';

const url = process.env.FLOOR_URL ?? 'http://127.0.0.1:9/';
const server = new Server({ name: 'floor', version: '0.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler('tools/list', () => ({ tools: [{ name: 'fetch', inputSchema: { type: 'object', properties: {} } }] }));
server.setRequestHandler('tools/call', async (_request, ctx) => {
  const response = await fetch(url, { signal: ctx.mcpReq.signal });
  return { content: [{ type: 'text', text: await response.text() }] };
});
await server.connect(new StdioServerTransport());
