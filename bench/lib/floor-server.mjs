// The least a stdio server on the official SDK can do: import it, create a Server, answer
// tools/list with no tools. Its cold start is the floor for every generated server that
// must use this SDK (the bench prints it beside the generated servers' times).
import { Server } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';

const server = new Server({ name: 'floor', version: '0.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler('tools/list', () => ({ tools: [] }));
await server.connect(new StdioServerTransport());
