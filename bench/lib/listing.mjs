// What a tools/list answer is made of, to compare listings that publish different fields.

const bytes = (value) => (value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value)));

/** Every `description` string in a JSON Schema, however deep (keyed by property names too). */
function schemaDescriptions(node, out = []) {
  if (Array.isArray(node)) for (const item of node) schemaDescriptions(item, out);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'description' && typeof value === 'string') out.push(value);
      else schemaDescriptions(value, out);
    }
  }
  return out;
}

/**
 * core: bytes of the fields every generator publishes (name, description, inputSchema);
 * text: bytes of the description strings alone (the tool's and its input schema's), a
 * floor for any listing that keeps every description verbatim.
 */
export function listingBreakdown(tools) {
  let core = 0;
  let text = 0;
  for (const tool of tools) {
    core += bytes({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema });
    text += bytes(tool.description ?? '') + schemaDescriptions(tool.inputSchema).reduce((sum, d) => sum + bytes(d), 0);
  }
  return { coreBytes: core, descriptionBytes: text };
}
