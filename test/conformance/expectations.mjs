// What each conformance target is expected to do, scenario by scenario, and why a
// scenario that fails is allowed to. Shared by run.mjs (exit code) and
// conformance.test.ts (one test per scenario). A scenario not listed as a known
// failure is expected to pass: 0 failed checks (warnings are reported, not failed,
// exactly as the suite's own CLI counts them).

/** The suite, pinned in package.json beside this file. */
export const SUITE = '@modelcontextprotocol/conformance@0.1.16';

/** Every server scenario of the pinned suite (`conformance list --server`); run.mjs checks it is current. */
export const SUITE_SERVER_SCENARIOS = [
  'server-initialize',
  'logging-set-level',
  'ping',
  'completion-complete',
  'tools-list',
  'tools-call-simple-text',
  'tools-call-image',
  'tools-call-audio',
  'tools-call-embedded-resource',
  'tools-call-mixed-content',
  'tools-call-with-logging',
  'tools-call-error',
  'tools-call-with-progress',
  'tools-call-sampling',
  'tools-call-elicitation',
  'json-schema-2020-12',
  'elicitation-sep1034-defaults',
  'server-sse-polling',
  'server-sse-multiple-streams',
  'elicitation-sep1330-enums',
  'resources-list',
  'resources-read-text',
  'resources-read-binary',
  'resources-templates-read',
  'resources-subscribe',
  'resources-unsubscribe',
  'prompts-list',
  'prompts-get-simple',
  'prompts-get-with-args',
  'prompts-get-embedded-resource',
  'prompts-get-with-image',
  'dns-rebinding-protection',
];

/** Scenarios the issue names for the committed example servers. */
export const EXAMPLE_SCENARIOS = [
  'server-initialize',
  'ping',
  'tools-list',
  'resources-list',
  'prompts-list',
  'completion-complete',
  'logging-set-level',
  'dns-rebinding-protection',
  'server-sse-multiple-streams',
  'json-schema-2020-12',
];

/**
 * `rest`: no server generated from a REST API can pass it (the reason says why).
 * `mcpgen`: a generated server could pass it; mcpgen does not (yet): see the reason.
 * `target`: the scenario checks for a fixture-specific name this target does not have.
 */
const REST = 'rest';
const MCPGEN = 'mcpgen';
const TARGET = 'target';

const JSON_SCHEMA_2020_12 =
  'mcpgen publishes no "$schema" and no root "additionalProperties": false on tool input schemas ' +
  '(src/plan/input-schema.ts builds { type: "object", properties }; src/plan/json-schema.ts drops "$schema" on purpose). ' +
  'The suite requires both on json_schema_2020_12_tool ($defs.address is already there: components on a reference cycle are published under $defs).';

/** Known failures of the fixture server (every server scenario of the suite runs against it). */
export const FIXTURE_KNOWN_FAILURES = {
  'tools-call-mixed-content': {
    kind: REST,
    reason:
      'wants text + image + embedded resource in one result; a REST response is one body of one media type, so a generated tool returns one content item ' +
      '(mcpgen reads multipart/mixed as one binary body, sent as an embedded resource).',
  },
  'tools-call-sampling': {
    kind: REST,
    reason: 'wants the server to send sampling/createMessage to the client mid-call; an upstream REST API cannot ask the MCP client anything.',
  },
  'tools-call-elicitation': {
    kind: REST,
    reason: 'wants the server to send elicitation/create to the client mid-call; an upstream REST API cannot ask the MCP client anything.',
  },
  'elicitation-sep1034-defaults': {
    kind: REST,
    reason: 'wants a tool (test_elicitation_sep1034_defaults) that sends elicitation/create; an upstream REST API cannot ask the MCP client anything.',
  },
  'elicitation-sep1330-enums': {
    kind: REST,
    reason: 'wants a tool (test_elicitation_sep1330_enums) that sends elicitation/create; an upstream REST API cannot ask the MCP client anything.',
  },
  'resources-subscribe': {
    kind: REST,
    reason:
      'resources/subscribe: a REST upstream has no change feed to notify from, and the stateless HTTP server keeps no session to deliver notifications/resources/updated on later; ' +
      'mcpgen therefore does not declare resources.subscribe and answers -32601 Method not found, as the spec wants.',
  },
  'resources-unsubscribe': {
    kind: REST,
    reason: 'same as resources-subscribe (it subscribes first).',
  },
  'tools-call-with-logging': {
    kind: REST,
    reason:
      'the suite sets logging/setLevel in one HTTP request and calls the tool in the next; the stateless HTTP server keeps nothing between requests, ' +
      'and sends log messages only to clients that asked for them (a level set on the same connection, as over stdio, or sent with each 2026-era request). ' +
      'Over stdio the same tool call logs its request, response and result (test/runtime/server.test.ts).',
  },
  'json-schema-2020-12': { kind: MCPGEN, reason: JSON_SCHEMA_2020_12 },
};

const exampleJsonSchema = {
  kind: TARGET,
  reason: `the scenario checks a tool named json_schema_2020_12_tool, which an example API does not have (see the fixture target); besides, ${JSON_SCHEMA_2020_12}`,
};

/** Conformance targets: the committed example servers and the fixture server. */
export const TARGETS = [
  {
    name: 'ledger-api',
    dist: 'generated/ledger-api/dist/http.js',
    baseUrlEnv: 'LEDGER_API_BASE_URL',
    upstreamPath: '/examples/ledger',
    scenarios: EXAMPLE_SCENARIOS,
    knownFailures: { 'json-schema-2020-12': exampleJsonSchema },
  },
  {
    name: 'media-api',
    dist: 'generated/media-api/dist/http.js',
    baseUrlEnv: 'MEDIA_API_BASE_URL',
    upstreamPath: '/examples/media',
    scenarios: EXAMPLE_SCENARIOS,
    knownFailures: { 'json-schema-2020-12': exampleJsonSchema },
  },
  {
    name: 'fixture',
    dist: 'test/conformance/fixture/generated/conformance-fixture/dist/http.js',
    baseUrlEnv: 'CONFORMANCE_FIXTURE_BASE_URL',
    upstreamPath: '/v1',
    scenarios: SUITE_SERVER_SCENARIOS,
    knownFailures: FIXTURE_KNOWN_FAILURES,
  },
];
