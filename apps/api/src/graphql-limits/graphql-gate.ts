import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { ApiErrorCode, ApiException, statusOf } from '../common/api-error.js';
import type { Env } from '../config/env.js';
import { checkQueryShape } from './query-shape.js';

export const GRAPHQL_PATH = '/graphql';

/** What the gate needs from the application once it has started. */
export interface GateDependencies {
  schema(): GraphQLSchema;
  refused(reason: string): void;
}

/**
 * The GraphQL endpoint's own front door, before Apollo sees a request:
 * - GET (and HEAD) are refused with 405: queries in a URL travel without the X-CSRF-Token header, end up in logs
 *   and caches, and nothing of ours sends them;
 * - a POSTed document over the shape limits (tokens, depth, aliases, fields) is refused with 400
 *   QUERY_TOO_COMPLEX before Apollo parses and validates it (see query-shape.ts for why before).
 */
export function registerGraphqlGate(fastify: FastifyInstance, env: Env, logger: Logger, deps: GateDependencies): void {
  const limits = {
    maxTokens: env.GRAPHQL_MAX_TOKENS,
    maxDepth: env.GRAPHQL_MAX_DEPTH,
    maxAliases: env.GRAPHQL_MAX_ALIASES,
    maxFields: env.GRAPHQL_MAX_FIELDS,
  };
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== GRAPHQL_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) return;
    void reply.header('Allow', 'POST');
    return sendGraphQLError(
      reply,
      new ApiException(
        ApiErrorCode.MethodNotAllowed,
        'GraphQL is served over POST only, with the X-CSRF-Token header of your session',
      ),
    );
  });
  fastify.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.url !== GRAPHQL_PATH || request.method !== 'POST') return;
    const query = (request.body as { query?: unknown } | undefined)?.query;
    if (typeof query !== 'string') return; // Apollo answers a request without a query
    try {
      checkQueryShape(deps.schema(), query, limits);
    } catch (e) {
      if (!(e instanceof ApiException)) throw e;
      deps.refused('shape');
      logger.info({ code: e.code, message: e.message }, 'GraphQL request refused');
      return sendGraphQLError(reply, e);
    }
  });
}

/** A refusal in the shape of a GraphQL response, which the SPAs' client shows like any other GraphQL error. */
export function sendGraphQLError(reply: FastifyReply, e: ApiException): FastifyReply {
  return reply
    .status(statusOf(e.code))
    .type('application/json; charset=utf-8')
    .send({ errors: [{ message: e.message, extensions: { code: e.code } }] });
}
