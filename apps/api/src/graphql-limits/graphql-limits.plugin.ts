import type { ApolloServerPlugin, GraphQLRequestContext, GraphQLRequestListener } from '@apollo/server';
import { Inject } from '@nestjs/common';
import { Plugin } from '@nestjs/apollo';
import { type DocumentNode, type GraphQLSchema, Kind, visit } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { Logger } from 'pino';
import type { AuthedRequest } from '../auth/access.guard.js';
import { SessionService } from '../auth/session.service.js';
import { ApiErrorCode, ApiException, toGraphQLError } from '../common/api-error.js';
import { ENV, LOGGER } from '../common/tokens.js';
import type { Env } from '../config/env.js';
import { GraphqlLimitMetrics } from './graphql-limit-metrics.js';

interface Context {
  req: AuthedRequest;
}

/** graphql-js appends these to validation and coercion errors; they spell out the schema to whoever asks. */
const SUGGESTION = / ?Did you mean [^?]*\?/g;
const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/**
 * Per-request GraphQL rules that need the caller or the variables (the shape limits are checked earlier, see
 * graphql-gate.ts): introspection and "Did you mean …?" suggestions only for the callers GRAPHQL_INTROSPECTION
 * allows (signed-in users by default), and the cost of the operation — each root field's declared @Cost or
 * @ViewCost with the request's arguments — at most GRAPHQL_MAX_COST, refused before anything runs.
 */
@Plugin()
export class GraphqlLimitsPlugin implements ApolloServerPlugin<Context> {
  constructor(
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(ENV) private readonly env: Env,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(GraphqlLimitMetrics) private readonly metrics: GraphqlLimitMetrics,
  ) {}

  async requestDidStart({ contextValue }: GraphQLRequestContext<Context>): Promise<GraphQLRequestListener<Context>> {
    const req = contextValue.req;
    // Resolved once here; AccessGuard reuses it for every field of the operation.
    req.principal ??= (await this.sessions.principalOf(req)) ?? undefined;
    const signedIn = req.principal !== undefined;
    const policy = this.env.GRAPHQL_INTROSPECTION;
    const mayIntrospect = policy === 'anyone' || (policy === 'signed-in' && signedIn);
    return {
      didResolveOperation: ({ document, request, schema }) => {
        if (!mayIntrospect && asksForSchema(document)) {
          throw this.refuse(
            signedIn
              ? new ApiException(
                  ApiErrorCode.Forbidden,
                  'introspection is turned off on this server (GRAPHQL_INTROSPECTION)',
                )
              : new ApiException(ApiErrorCode.Unauthenticated, 'introspection needs a session: sign in first'),
            'introspection',
          );
        }
        const cost = costOf(schema, document, request.operationName ?? undefined, request.variables ?? {});
        if (cost > this.env.GRAPHQL_MAX_COST) {
          throw this.refuse(
            new ApiException(
              ApiErrorCode.QueryTooComplex,
              `the query costs ${cost}, over the limit of ${this.env.GRAPHQL_MAX_COST} per request (GRAPHQL_MAX_COST): ask for fewer views, or shorter periods, per request`,
            ),
            'cost',
          );
        }
        return Promise.resolve();
      },
      willSendResponse: ({ response }) => {
        if (!mayIntrospect && response.body.kind === 'single' && response.body.singleResult.errors) {
          const result = response.body.singleResult;
          result.errors = result.errors!.map((e) => ({ ...e, message: e.message.replace(SUGGESTION, '') }));
        }
        return Promise.resolve();
      },
    };
  }

  private refuse(e: ApiException, reason: string): Error {
    this.metrics.refused.inc({ reason });
    this.logger.info({ code: e.code, reason, message: e.message }, 'GraphQL request refused');
    return toGraphQLError(e);
  }
}

function asksForSchema(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD]: (node) => {
      if (INTROSPECTION_FIELDS.has(node.name.value)) found = true;
    },
  });
  return found;
}

/**
 * The operation's cost by graphql-query-complexity: declared costs (field extensions, see cost.ts), 1 per other
 * field. Variables that do not fit their types make it throw: execution will refuse them with a precise message,
 * and nothing runs, so the cost does not matter then.
 */
function costOf(
  schema: GraphQLSchema,
  query: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
): number {
  try {
    return getComplexity({
      schema,
      query,
      ...(operationName ? { operationName } : {}),
      variables,
      estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (e) {
    // Beyond graphql-query-complexity's node budget (far above GRAPHQL_MAX_FIELDS): over any limit.
    if (e instanceof Error && /maximum allowed number of nodes/.test(e.message)) return Number.POSITIVE_INFINITY;
    return 0;
  }
}
