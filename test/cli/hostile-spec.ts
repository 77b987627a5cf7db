// A spec whose every free-text field is hostile to code generators: template-literal
// breakers, comment breakers, quotes, backslashes, line/paragraph separators, </script>,
// Handlebars mustaches and String.prototype.replace patterns.

/** The core hostile text; every string below embeds it. */
export const EVIL = 'tick` ${process.exit(1)} */ /* "dq" \'sq\' back\\slash \\u0041 \\n \u2028LS \u2029PS </script><script>alert(1)</script> {{x}} {{{y}}} $& $1 $$ $` \u0000nul\nnext line\r\ncrlf';

export const TAG = 'we!rd `tag` ${x} */ ü';
export const OPERATION_ID = 'get-echo.v2`${process.exit(1)}*/ü';
export const SUMMARY = `Echo ${EVIL}`;
export const DESCRIPTION = `Operation description: ${EVIL}`;
export const PARAM_DESCRIPTION = `Mode description: ${EVIL}`;
export const BODY_SUMMARY = `Create ${EVIL}`;
export const SCHEMA_DESCRIPTION = `Item: ${EVIL}`;
export const PROP_DESCRIPTION = `Label: ${EVIL}`;

/** Enum values: each must survive generation, tools/list and the trip to the upstream. */
export const ENUM = [
  'tick`',
  '${process.exit(1)}',
  '*/ /*',
  'q"uote',
  "s'ingle",
  'back\\slash',
  'ls\u2028ps\u2029',
  '</script>',
  'new\nline',
  '{{x}}',
  '$&$1',
  'a/b?c=d&e#f%20 +',
  'ü€😀',
] as const;

export const DEFAULT = ENUM[1];
/** Hostile property names in the request body schema and the response schema. */
export const PROP_EVIL = 'p`${x}*/"\'\\\u2028</script>';
export const PROP_PLAIN = 'label';
export const RESPONSE_PROP = 'r`${process.exit(1)}*/"\'\\\u2029';
/** A query parameter whose name is hostile (clients may require renaming it as an argument). */
export const PARAM_EVIL = 'we"ird`${x}*/\'';

export function hostileSpec(): object {
  const stringEnum = { type: 'string', enum: [...ENUM] };
  return {
    openapi: '3.0.3',
    info: { title: `Hostile ${EVIL}`, version: '1.0.0', description: EVIL },
    servers: [{ url: 'https://hostile.example.com/api' }],
    tags: [{ name: TAG, description: EVIL }],
    paths: {
      '/echo/{kind}': {
        get: {
          operationId: OPERATION_ID,
          tags: [TAG],
          summary: SUMMARY,
          description: DESCRIPTION,
          parameters: [
            { name: 'kind', in: 'path', required: true, description: EVIL, schema: stringEnum },
            { name: 'mode', in: 'query', description: PARAM_DESCRIPTION, schema: { ...stringEnum, default: DEFAULT } },
            { name: PARAM_EVIL, in: 'query', description: EVIL, schema: { type: 'string', default: EVIL } },
          ],
          responses: {
            '200': {
              description: EVIL,
              content: {
                'application/json': {
                  schema: { type: 'object', description: EVIL, properties: { [RESPONSE_PROP]: { type: 'string', description: EVIL } } },
                },
              },
            },
          },
        },
      },
      '/items': {
        post: {
          operationId: 'createItem',
          tags: [TAG],
          summary: BODY_SUMMARY,
          requestBody: {
            required: true,
            description: EVIL,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } },
          },
          responses: { '201': { description: EVIL } },
        },
      },
    },
    components: {
      schemas: {
        Item: {
          type: 'object',
          description: SCHEMA_DESCRIPTION,
          required: [PROP_EVIL],
          properties: {
            [PROP_EVIL]: { type: 'string', description: PROP_DESCRIPTION, enum: [...ENUM], default: DEFAULT },
            [PROP_PLAIN]: { type: 'string', description: PROP_DESCRIPTION, default: EVIL, example: EVIL },
          },
        },
      },
    },
  };
}
