/**
 * Every diagnostic code with its cause and fix. A test fails when code is
 * emitted that is not listed here, and README links to this list.
 */
export const diagnosticCatalog = {
  MCPGEN_CONFIG_NOT_FOUND: { cause: 'The config file does not exist.', fix: 'Pass --config or create mcpgen.config.json.' },
  MCPGEN_CONFIG_PARSE: { cause: 'The config file is not valid JSON.', fix: 'Fix the JSON syntax at the reported line.' },
  MCPGEN_CONFIG_INVALID: { cause: 'The config does not match its schema.', fix: 'See mcpgen.schema.json; editors complete it through "$schema".' },
  MCPGEN_SERVER_UNKNOWN: { cause: '--server names no server in the config.', fix: 'Use one of the names listed in the message.' },
  MCPGEN_SPEC_NOT_FOUND: { cause: 'The spec file does not exist.', fix: 'Fix the "spec" path; relative paths resolve against the config file.' },
  MCPGEN_SPEC_PARSE: { cause: 'The spec is not valid YAML or JSON.', fix: 'Fix the syntax at the reported line.' },
  MCPGEN_SPEC_VERSION: { cause: 'The document declares no supported OpenAPI version.', fix: 'Use OpenAPI 3.0.x, 3.1.x or Swagger 2.0.' },
  MCPGEN_SPEC_INVALID: { cause: 'The document breaks the OpenAPI schema.', fix: 'Fix the value at the reported pointer.' },
  MCPGEN_REF_NOT_FOUND: { cause: 'A $ref points at nothing.', fix: 'Fix the $ref target or add the missing component.' },
  MCPGEN_REF_REMOTE: { cause: 'A $ref or spec path is a URL and remote references are off.', fix: 'Vendor the file locally, or set "allowRemote": true for this server.' },
  MCPGEN_REF_EXTERNAL: { cause: 'An external $ref could not be read.', fix: 'Check the referenced file exists relative to the referring file.' },
  MCPGEN_SELECTOR_UNMATCHED: { cause: 'An include or exclude selector matches no operation.', fix: 'Fix the selector; the message suggests the closest match.' },
  MCPGEN_OVERRIDE_UNMATCHED: { cause: 'A "tools" override key matches no selected operation.', fix: 'Use an operationId or "METHOD /path" of a selected operation.' },
  MCPGEN_TOOL_NAME_COLLISION: { cause: 'Two operations produced the same tool name.', fix: 'Informational: a numeric suffix was added; set a name in "tools" to choose one.' },
  MCPGEN_TOOL_NAME_SHORTENED: { cause: 'A tool name exceeded 64 characters.', fix: 'Informational: the name was shortened; set a name in "tools" to choose one.' },
  MCPGEN_PINNED_TOOL_UNKNOWN: { cause: 'A "pinnedTools" entry names no tool of the server.', fix: 'Use a generated tool name (the README lists them).' },
  MCPGEN_TOOL_NAME_INVALID: { cause: 'A configured tool name is not [A-Za-z][A-Za-z0-9_]{0,63}.', fix: 'Choose a name of letters, digits and underscores.' },
  MCPGEN_ARGUMENT_RENAMED: { cause: 'Two parameters share a name across locations, or a name has characters clients reject.', fix: 'Informational: the argument name is given in the message.' },
  MCPGEN_WEBHOOKS_IGNORED: { cause: 'The spec declares webhooks (requests the API sends, not operations a client calls).', fix: 'Informational: webhooks become no tools.' },
  MCPGEN_BODY_MEDIA_TYPES: { cause: 'A request body offers several media types.', fix: 'Informational: the tool takes a contentType argument (JSON is the default).' },
  MCPGEN_SECURITY_UNSUPPORTED: { cause: 'A security scheme type is not supported (mutual TLS, HTTP schemes other than bearer and basic).', fix: 'Operations needing only that scheme are sent without credentials; see the README.' },
  MCPGEN_PROMPT_TEMPLATE: { cause: 'A prompt template is missing, does not parse, or uses an unsupported construct.', fix: 'Use {{arg}}, {{#user}}/{{#assistant}} blocks, {{tool "name"}} and {{resource "uri"}} only.' },
  MCPGEN_PROMPT_REFERENCE: { cause: 'A prompt names a tool, resource or argument that does not exist.', fix: 'Fix the name, or the spec or mapping change that removed it.' },
  MCPGEN_RESOURCE_RULE: { cause: 'A resource rule cannot apply to the operation it matches.', fix: 'See the message: a resource needs a GET without required parameters; a template only path parameters.' },
  MCPGEN_RESOURCE_URI_COLLISION: { cause: 'Two resources or templates got the same URI.', fix: 'Set "uri" on one of the rules.' },
  MCPGEN_PARAMETER_IGNORED: { cause: 'A header parameter is named Accept, Content-Type or Authorization, which the OpenAPI spec says to ignore.', fix: 'A defect in the spec: remove the parameter.' },
  MCPGEN_FORM_WITHOUT_CONSUMES: { cause: 'A Swagger 2.0 operation has formData parameters but declares no consumes.', fix: 'A defect in the spec; the body is sent as application/x-www-form-urlencoded.' },
  MCPGEN_PATH_FRAGMENT: { cause: 'A path key contains "#": HTTP never sends a fragment, so operations that differ only by it collide on the wire.', fix: 'A defect in the spec; requests go to the path without the fragment.' },
  MCPGEN_PATTERN_REWRITTEN: { cause: 'A regex pattern is not valid in Unicode mode (JSON Schema uses ECMA-262 with the u flag); needless escapes were removed, or the pattern dropped.', fix: 'Informational; fix the pattern in the spec to silence it.' },
  MCPGEN_SCHEMA_TOO_DEEP: { cause: 'An input schema nests deeper than clients handle (without recursion).', fix: 'Informational: deeper levels accept any value; simplify the schema to keep them.' },
  MCPGEN_NO_OPERATIONS: { cause: 'A server offers nothing: include/exclude removed every operation (an error), or the spec has none (a warning: e.g. only webhooks).', fix: 'Check include and exclude.' },
  MCPGEN_NO_BASE_URL: { cause: 'The spec has no absolute server URL and the config sets no baseUrl.', fix: 'Set "baseUrl" in the config or <NAME>_BASE_URL at run time.' },
  MCPGEN_TYPECHECK: { cause: 'The generated code failed to type-check (a bug in mcpgen).', fix: 'Report it with the spec; nothing was written.' },
  MCPGEN_OUTPUT_STALE: { cause: 'mcpgen check found generated files that differ from a fresh generation.', fix: 'Run mcpgen generate and commit the result.' },
  MCPGEN_WRITE_FAILED: { cause: 'A generated file could not be written (permissions, a folder in the way, a full disk).', fix: 'Nothing was changed; fix the path and run again.' },
  MCPGEN_BUILD_FAILED: { cause: 'Installing or compiling a generated server failed.', fix: 'Read the compiler output in the message.' },
} as const satisfies Record<string, { cause: string; fix: string }>;

export type DiagnosticCode = keyof typeof diagnosticCatalog;
