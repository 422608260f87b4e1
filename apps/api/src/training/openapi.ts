import type { OpenAPIV3 as O } from 'openapi-types';

const json = (schema: O.SchemaObject): O.MediaTypeObject => ({ schema });

const ERROR: O.SchemaObject = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: {
      type: 'string',
      enum: ['invalid_package', 'invalid_input', 'not_found', 'forbidden', 'conflict', 'cmi5_rule'],
    },
    message: {
      type: 'string',
      description: 'What to fix; for a package, the cmi5 rule it breaks (e.g. "cmi5 §14.2: …")',
    },
  },
};

const errors = (...statuses: number[]): O.ResponsesObject =>
  Object.fromEntries(
    statuses.map((s) => [
      String(s),
      {
        description:
          {
            400: 'Invalid input',
            401: 'No or wrong credentials',
            403: 'Outside the caller’s scope',
            404: 'Not found',
            409: 'Conflict',
          }[s] ?? 'Error',
        content: { 'application/json': json(ERROR) },
      },
    ]),
  );

const ACTOR: O.SchemaObject = {
  type: 'object',
  description: 'An xAPI Agent identified by an account (cmi5 §9.2)',
  required: ['account'],
  properties: {
    objectType: { type: 'string', enum: ['Agent'] },
    name: { type: 'string' },
    account: {
      type: 'object',
      required: ['homePage', 'name'],
      properties: { homePage: { type: 'string' }, name: { type: 'string' } },
    },
  },
};

const auth: O.SecurityRequirementObject[] = [{ basic: [] }, { session: [] }];

/** The integration API of the cmi5 LMS (docs/training-api.md); test/training-openapi.e2e.ts checks it against the routes. */
export const TRAINING_OPENAPI: O.Document = {
  openapi: '3.0.3',
  info: {
    title: 'ENT Observatory — training space integration API (cmi5 LMS)',
    version: '1.0.0',
    description:
      'Import cmi5 course packages, launch AUs for any learner, waive AUs, abandon sessions. Statements are read on the LRS at /xapi with an LRS credential whose scope reads every statement (all, all/read or statements/read).',
  },
  components: {
    securitySchemes: {
      basic: {
        type: 'http',
        scheme: 'basic',
        description: 'An admin or trainer account (email:password), or an LRS key with scope `all`',
      },
      session: {
        type: 'apiKey',
        in: 'cookie',
        name: 'ento_session',
        description: 'A browser session of the training space (with X-CSRF-Token)',
      },
    },
  },
  paths: {
    '/formation/api/packages': {
      post: {
        summary:
          'Import a cmi5 course package (cmi5 §14): a zip (32- or 64-bit) with cmi5.xml at its root, or cmi5.xml alone',
        security: auth,
        requestBody: {
          required: true,
          content: {
            'application/zip': { schema: { type: 'string', format: 'binary' } },
            'text/xml': { schema: { type: 'string' } },
          },
        },
        responses: {
          '201': {
            description: 'Imported; nothing is written when the package is refused',
            content: {
              'application/json': json({
                type: 'object',
                required: ['courseId'],
                properties: { courseId: { type: 'string' } },
              }),
            },
          },
          ...errors(400, 401, 403),
        },
      },
    },
    '/formation/api/launches': {
      post: {
        summary:
          'Launch an AU (cmi5 §8): writes LMS.LaunchData, learner preferences and "launched", answers the launch URL',
        security: auth,
        requestBody: {
          required: true,
          content: {
            'application/json': json({
              type: 'object',
              required: ['courseId', 'auIndex', 'actor'],
              properties: {
                courseId: { type: 'string' },
                auIndex: {
                  type: 'integer',
                  minimum: 0,
                  description: 'The AU’s position in the course structure, in document order',
                },
                actor: ACTOR,
                registration: {
                  type: 'string',
                  format: 'uuid',
                  description: 'Reuse this registration (same actor and course), or create it',
                },
                launchMode: { type: 'string', enum: ['Normal', 'Browse', 'Review'], default: 'Normal' },
                returnUrl: { type: 'string', description: 'LMS.LaunchData returnURL' },
              },
            }),
          },
        },
        responses: {
          '200': {
            description: 'The URL to open (in a frame for AnyWindow, a window of its own for OwnWindow)',
            content: {
              'application/json': json({
                type: 'object',
                required: ['url', 'registration', 'sessionId'],
                properties: {
                  url: { type: 'string' },
                  registration: { type: 'string', format: 'uuid' },
                  sessionId: { type: 'string', format: 'uuid' },
                  launchMethod: { type: 'string', enum: ['AnyWindow', 'OwnWindow'] },
                },
              }),
            },
          },
          ...errors(400, 401, 403, 404),
        },
      },
    },
    '/formation/api/registrations/{registration}/waive': {
      post: {
        summary: 'Waive an AU in a registration (cmi5 §9.3.7): "waived" with its reason, then moveOn',
        security: auth,
        parameters: [{ name: 'registration', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        requestBody: {
          required: true,
          content: {
            'application/json': json({
              type: 'object',
              required: ['auIndex', 'reason'],
              properties: { auIndex: { type: 'integer' }, reason: { type: 'string', example: 'Tested Out' } },
            }),
          },
        },
        responses: { '204': { description: 'Waived' }, ...errors(400, 401, 403, 404, 409) },
      },
    },
    '/formation/api/sessions/{sessionId}/abandon': {
      post: {
        summary: 'Abandon an open AU session (cmi5 §9.3.6): "abandoned", then its token records nothing',
        security: auth,
        parameters: [{ name: 'sessionId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: { '204': { description: 'Abandoned' }, ...errors(401, 403, 404, 409) },
      },
    },
    '/formation/api/fetch/{token}': {
      post: {
        summary:
          'The fetch URL of a launch (cmi5 §8.2): the auth token once, then error-code 1; unknown token: error-code 2',
        security: [],
        parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'Always 200 with JSON',
            content: {
              'application/json': json({
                type: 'object',
                properties: {
                  'auth-token': { type: 'string' },
                  'error-code': { type: 'string', enum: ['1', '2', '3'] },
                  'error-text': { type: 'string' },
                },
              }),
            },
          },
        },
      },
    },
    '/formation/api/openapi.json': {
      get: {
        summary: 'This document',
        security: [],
        responses: { '200': { description: 'OpenAPI 3', content: { 'application/json': json({ type: 'object' }) } } },
      },
    },
  },
};
