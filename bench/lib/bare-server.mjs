// The floor under any stdio MCP server: a bare Node process (no SDK, no imports) that
// answers initialize and tools/list with fixed replies. Cold start of a generated server
// is compared with this one's.
let buffered = '';
const reply = (id, result) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id, result })}\n`);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffered += chunk;
  for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
    const message = JSON.parse(buffered.slice(0, end));
    buffered = buffered.slice(end + 1);
    if (message.method === 'initialize') reply(message.id, { protocolVersion: message.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'bare', version: '0.0.0' } });
    else if (message.method === 'tools/list') reply(message.id, { tools: [{ name: 'ping', description: 'Fixed reply.', inputSchema: { type: 'object', properties: {} } }] });
  }
});
