import type { OpenAPIV3 as O } from 'openapi-types';

/**
 * The OpenAPI 3.0 description of the LRS, written by hand: xAPI's query parameters carry JSON (agent), its bodies
 * are any media type (documents) or multipart/mixed (statements with attachments), and its errors share one
 * shape — things decorators would describe less exactly than a typed document. test/lrs-openapi.e2e.ts fails when
 * a route the application serves under /xapi is missing here.
 */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: O.SchemaObject | O.ReferenceObject) => ({ 'application/json': { schema } });

function query(name: string, description: string, schema: O.SchemaObject, required = false): O.ParameterObject {
  return { name, in: 'query', required, description, schema };
}

const VERSION_HEADER: O.ParameterObject = {
  name: 'X-Experience-API-Version',
  in: 'header',
  required: true,
  description: '1.0 or 1.0.x (answered as 1.0.3), 2.0 or 2.0.x (answered as 2.0.0)',
  schema: { type: 'string', pattern: '^(1|2)\\.0(\\.\\d+)?$', example: '1.0.3' },
};

const IRI: O.SchemaObject = { type: 'string', format: 'iri' };
const UUID: O.SchemaObject = { type: 'string', format: 'uuid' };
const TIMESTAMP: O.SchemaObject = { type: 'string', format: 'date-time' };

const activityId = (what: string) => query('activityId', `the Activity id ${what}`, IRI, true);
/** A JSON-valued query parameter, as OpenAPI 3.0 describes one: `content` instead of `schema`. */
const agent = (what: string, required = true): O.ParameterObject => ({
  name: 'agent',
  in: 'query',
  required,
  description: `the Agent ${what}, as JSON (e.g. {"mbox":"mailto:eleve@example.fr"})`,
  content: json(ref('Agent')),
});
const since = query('since', 'only ids of documents stored or updated after this instant (exclusive)', TIMESTAMP);

function errors(...statuses: number[]): O.ResponsesObject {
  const text: Record<number, string> = {
    400: 'bad request (missing or malformed parameter, invalid JSON, a statement write neither application/json nor multipart/mixed, a POST merge of non-JSON documents, a 1.0.3 profile document PUT creating without If-None-Match)',
    401: 'no or wrong credentials',
    403: 'the credential lacks the scope',
    404: 'no such resource',
    409: 'conflict (PUT without If-Match/If-None-Match over an existing document; a statement id already used)',
    412: 'If-Match / If-None-Match precondition failed',
    413: 'body too large (XAPI_MAX_BODY_BYTES, XAPI_MAX_DOCUMENT_BYTES)',
    415: 'unsupported media type',
    428: 'xAPI 2.0.0: a profile document PUT without If-Match or If-None-Match',
    503: 'storage unavailable: nothing acknowledged, retry',
  };
  return Object.fromEntries(
    [401, 403, 503, ...statuses].map((s) => [String(s), { description: text[s] ?? '', content: json(ref('Error')) }]),
  );
}

const NO_CONTENT: O.ResponseObject = {
  description: 'done',
  headers: { ETag: { description: 'the new ETag of the document', schema: { type: 'string' } } },
};

const DOCUMENT_BODY: O.RequestBodyObject = {
  required: true,
  description: 'the document: any media type; application/json documents are merged by POST',
  content: { '*/*': { schema: {} } },
};

const DOCUMENT_OR_IDS: O.ResponseObject = {
  description: 'the document (with the id parameter) or the array of ids (without)',
  headers: {
    ETag: { description: 'quoted SHA-1 of the content', schema: { type: 'string' } },
    'Last-Modified': { description: 'when the (latest) document changed', schema: { type: 'string' } },
  },
  content: { '*/*': { schema: {} }, 'application/json': { schema: { type: 'array', items: { type: 'string' } } } },
};

const CONDITIONAL: O.ParameterObject[] = [
  { name: 'If-Match', in: 'header', description: 'ETag(s) the document must have, or *', schema: { type: 'string' } },
  { name: 'If-None-Match', in: 'header', description: '* to create only', schema: { type: 'string' } },
];

/** GET/HEAD/PUT/POST/DELETE of a document resource whose key parameters are `keys` and id parameter `id`. */
function documentResource(tag: string, keys: O.ParameterObject[], id: O.ParameterObject, deleteAll: boolean) {
  const optionalId = { ...id, required: false };
  const read: O.OperationObject = {
    tags: [tag],
    summary: `one ${tag} document (with ${id.name}) or the ids of all (without, optionally since)`,
    parameters: [VERSION_HEADER, ...keys, optionalId, since],
    responses: { '200': DOCUMENT_OR_IDS, ...errors(400, 404) },
  };
  const write = (summary: string): O.OperationObject => ({
    tags: [tag],
    summary,
    parameters: [VERSION_HEADER, ...keys, id, ...CONDITIONAL],
    requestBody: DOCUMENT_BODY,
    responses: { '204': NO_CONTENT, ...errors(400, 409, 412, 413, 428) },
  });
  return {
    get: read,
    head: { ...read, summary: `headers of the GET ${tag}` },
    put: write(`store a ${tag} document, replacing any`),
    post: write(`store a ${tag} document, merging top-level properties into an existing JSON document`),
    delete: {
      tags: [tag],
      summary: deleteAll
        ? `delete one ${tag} document (with ${id.name}) or all of the context`
        : `delete one ${tag} document`,
      parameters: [VERSION_HEADER, ...keys, deleteAll ? optionalId : id, ...CONDITIONAL],
      responses: { '204': { description: 'deleted' }, ...errors(400, 412) },
    },
  } satisfies O.PathItemObject;
}

const STATEMENT_QUERY: O.ParameterObject[] = [
  query('statementId', 'one statement by id', UUID),
  query('voidedStatementId', 'one voided statement by id', UUID),
  agent('actor of the statements (or object, or any agent with related_agents)', false),
  query('verb', 'verb id', IRI),
  query('activity', 'object activity id (or any activity with related_activities)', IRI),
  query('registration', 'context registration', UUID),
  query('related_activities', 'activity also matches context activities and sub-statements', { type: 'boolean' }),
  query('related_agents', 'agent also matches authority, instructor, team, sub-statements', { type: 'boolean' }),
  query('since', 'stored after (exclusive)', TIMESTAMP),
  query('until', 'stored at or before', TIMESTAMP),
  query('limit', 'maximum statements (0: server maximum)', { type: 'integer', minimum: 0 }),
  query('format', 'ids, exact or canonical', { type: 'string', enum: ['ids', 'exact', 'canonical'] }),
  query('attachments', 'return attachments as multipart/mixed', { type: 'boolean' }),
  query('ascending', 'oldest first', { type: 'boolean' }),
];

const STATEMENT_BODY = (array: boolean): O.RequestBodyObject => ({
  required: true,
  content: {
    'application/json': {
      schema: array ? { oneOf: [ref('Statement'), { type: 'array', items: ref('Statement') }] } : ref('Statement'),
    },
    'multipart/mixed': {
      schema: {
        type: 'string',
        format: 'binary',
        description: 'first part: the statement(s) as application/json; then one part per attachment',
      },
    },
  },
});

const statementsHeaders = {
  'X-Experience-API-Consistent-Through': { description: 'every statement stored before is visible', schema: TIMESTAMP },
};

export const OPENAPI_DOCUMENT: O.Document = {
  openapi: '3.0.3',
  info: {
    title: 'ENT Observatory LRS',
    version: '1.0.3 / 2.0.0',
    description: 'xAPI Learning Record Store (xAPI 1.0.3 Communication and IEEE 9274.1.1 xAPI 2.0.0).',
  },
  security: [{ basic: [] }],
  paths: {
    '/xapi/statements': {
      get: {
        tags: ['Statements'],
        summary: 'one statement (statementId / voidedStatementId) or a query with `more` paging',
        parameters: [VERSION_HEADER, ...STATEMENT_QUERY],
        responses: {
          '200': {
            description: 'a statement, or a StatementResult',
            headers: statementsHeaders,
            content: {
              ...json({ oneOf: [ref('Statement'), ref('StatementResult')] }),
              'multipart/mixed': { schema: { type: 'string' } },
            },
          },
          ...errors(400, 404),
        },
      },
      head: {
        tags: ['Statements'],
        summary: 'headers of the GET',
        parameters: [VERSION_HEADER, ...STATEMENT_QUERY],
        responses: { '200': { description: 'headers only', headers: statementsHeaders }, ...errors(400, 404) },
      },
      put: {
        tags: ['Statements'],
        summary: 'store one statement with the given id',
        parameters: [VERSION_HEADER, query('statementId', 'the id of the statement', UUID, true)],
        requestBody: STATEMENT_BODY(false),
        responses: { '204': { description: 'stored', headers: statementsHeaders }, ...errors(400, 409, 413) },
      },
      post: {
        tags: ['Statements'],
        summary: 'store one statement or a batch (atomic)',
        parameters: [VERSION_HEADER],
        requestBody: STATEMENT_BODY(true),
        responses: {
          '200': {
            description: 'ids, in request order',
            headers: statementsHeaders,
            content: json({ type: 'array', items: UUID }),
          },
          ...errors(400, 409, 413),
        },
      },
    },
    '/xapi/activities/state': documentResource(
      'State',
      [activityId('of the state'), agent('of the state'), query('registration', 'the registration of the state', UUID)],
      query('stateId', 'the state document id', { type: 'string' }, true),
      true,
    ),
    '/xapi/activities/profile': documentResource(
      'Activity Profile',
      [activityId('of the profile')],
      query('profileId', 'the profile document id', { type: 'string' }, true),
      false,
    ),
    '/xapi/agents/profile': documentResource(
      'Agent Profile',
      [agent('of the profile')],
      query('profileId', 'the profile document id', { type: 'string' }, true),
      false,
    ),
    '/xapi/agents': {
      get: {
        tags: ['Agents'],
        summary: 'the Person the LRS knows behind an Agent',
        parameters: [VERSION_HEADER, agent('to describe')],
        responses: { '200': { description: 'a Person', content: json(ref('Person')) }, ...errors(400) },
      },
      head: {
        tags: ['Agents'],
        summary: 'headers of the GET',
        parameters: [VERSION_HEADER, agent('to describe')],
        responses: { '200': { description: 'headers only' }, ...errors(400) },
      },
    },
    '/xapi/activities': {
      get: {
        tags: ['Activities'],
        summary: 'an Activity with the definition merged from the statements about it',
        parameters: [VERSION_HEADER, activityId('to load')],
        responses: { '200': { description: 'an Activity', content: json(ref('Activity')) }, ...errors(400) },
      },
      head: {
        tags: ['Activities'],
        summary: 'headers of the GET',
        parameters: [VERSION_HEADER, activityId('to load')],
        responses: { '200': { description: 'headers only' }, ...errors(400) },
      },
    },
    '/xapi/about': {
      get: {
        tags: ['About'],
        summary: 'versions spoken by this LRS (no credentials needed)',
        security: [],
        responses: { '200': { description: 'About', content: json(ref('About')) } },
      },
      head: {
        tags: ['About'],
        summary: 'headers of the GET',
        security: [],
        responses: { '200': { description: 'headers' } },
      },
    },
    '/xapi/openapi.json': {
      get: {
        tags: ['About'],
        summary: 'this document',
        security: [],
        responses: { '200': { description: 'OpenAPI 3.0', content: json({ type: 'object' }) } },
      },
      head: {
        tags: ['About'],
        summary: 'headers of the GET',
        security: [],
        responses: { '200': { description: 'headers' } },
      },
    },
    '/xapi/admin/erasure': {
      post: {
        tags: ['Administration'],
        summary: "right to erasure: remove an agent's statements (and statements voiding them) and documents",
        description: 'LRS credentials with scope `all` only.',
        requestBody: {
          required: true,
          content: json({ type: 'object', required: ['agent'], properties: { agent: ref('Agent') } }),
        },
        responses: {
          '200': { description: 'what was removed', content: json(ref('ErasureReport')) },
          ...errors(400, 415),
        },
      },
    },
  },
  components: {
    securitySchemes: { basic: { type: 'http', scheme: 'basic', description: 'LRS key and secret' } },
    schemas: {
      Error: {
        type: 'object',
        required: ['error', 'message', 'details'],
        properties: {
          error: { type: 'string', description: 'a stable code, e.g. invalid_parameter, precondition_failed' },
          message: { type: 'string', description: 'what to fix' },
          details: {
            type: 'array',
            items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
          },
        },
      },
      Agent: {
        type: 'object',
        description: 'exactly one of mbox, mbox_sha1sum, openid, account',
        properties: {
          objectType: { type: 'string', enum: ['Agent'] },
          name: { type: 'string' },
          mbox: { type: 'string', pattern: '^mailto:' },
          mbox_sha1sum: { type: 'string', pattern: '^[0-9a-fA-F]{40}$' },
          openid: IRI,
          account: {
            type: 'object',
            required: ['homePage', 'name'],
            properties: { homePage: IRI, name: { type: 'string' } },
          },
        },
      },
      Person: {
        type: 'object',
        required: ['objectType'],
        properties: {
          objectType: { type: 'string', enum: ['Person'] },
          name: { type: 'array', items: { type: 'string' } },
          mbox: { type: 'array', items: { type: 'string' } },
          mbox_sha1sum: { type: 'array', items: { type: 'string' } },
          openid: { type: 'array', items: IRI },
          account: { type: 'array', items: { type: 'object' } },
        },
      },
      Activity: {
        type: 'object',
        required: ['id'],
        properties: { objectType: { type: 'string', enum: ['Activity'] }, id: IRI, definition: { type: 'object' } },
      },
      Statement: {
        type: 'object',
        required: ['actor', 'verb', 'object'],
        description: 'an xAPI statement (Data 2.4); validated in full by the LRS',
        additionalProperties: true,
      },
      StatementResult: {
        type: 'object',
        required: ['statements'],
        properties: { statements: { type: 'array', items: ref('Statement') }, more: { type: 'string' } },
      },
      About: {
        type: 'object',
        properties: { version: { type: 'array', items: { type: 'string' } }, extensions: { type: 'object' } },
      },
      ErasureReport: {
        type: 'object',
        properties: {
          agent: { type: 'string' },
          statements: { type: 'integer' },
          voidingStatements: { type: 'integer' },
          stateDocuments: { type: 'integer' },
          agentProfileDocuments: { type: 'integer' },
        },
      },
    },
  },
};
