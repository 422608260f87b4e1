import { randomUUID } from 'node:crypto';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { GqlArgumentsHost } from '@nestjs/graphql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { ApiErrorCode, ApiException, isApiErrorCode, restErrorBody, statusOf, toGraphQLError } from './api-error.js';
import { LOGGER } from './tokens.js';
import { GRAPHQL_PATH, sendGraphQLError } from '../graphql-limits/graphql-gate.js';

/** HTTP statuses of Nest's HttpException as our codes, for resolvers that throw one. */
const CODE_OF_STATUS: Record<number, ApiErrorCode> = {
  400: ApiErrorCode.BadUserInput,
  401: ApiErrorCode.Unauthenticated,
  403: ApiErrorCode.Forbidden,
  404: ApiErrorCode.NotFound,
  405: ApiErrorCode.MethodNotAllowed,
  413: ApiErrorCode.PayloadTooLarge,
  415: ApiErrorCode.UnsupportedMediaType,
  429: ApiErrorCode.TooManyRequests,
};

/**
 * Every error of a GraphQL operation or a REST route outside /xapi (the LRS controllers have their own filter):
 * a refusal the caller can act on (401, 403, 400…) is answered as it is and logged at `info` — it is the system
 * working, not failing; anything else is logged at `error` with its detail and a correlation id, and answered with
 * a generic message quoting that id, never the SQL, its parameters or a stack.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType<string>() === 'graphql') throw this.graphql(exception, host);
    this.http(exception, host);
  }

  private graphql(exception: unknown, host: ArgumentsHost): GraphQLError {
    const info = GqlArgumentsHost.create(host).getInfo<{ fieldName?: string } | undefined>();
    const where = { field: info?.fieldName };
    const known = clientGraphQLError(exception);
    if (known) {
      this.logger.info({ ...where, code: known.extensions.code, message: known.message }, 'GraphQL request refused');
      return known;
    }
    return internalGraphQLError(this.logger, exception, where);
  }

  private http(thrown: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const where = { method: req.method, url: req.url };
    const exception = fromFastify(thrown);
    if (exception instanceof ApiException) {
      this.logger.info({ ...where, code: exception.code, message: exception.message }, 'request refused');
      void reply.headers(exception.headers);
      // Refused before Apollo (body too large, not UTF-8): still answered the way GraphQL clients read errors.
      if (req.routeOptions.url === GRAPHQL_PATH) void sendGraphQLError(reply, exception);
      else void reply.status(statusOf(exception.code)).send(restErrorBody(exception.code, exception.message));
      return;
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      this.logger.info({ ...where, status: exception.getStatus(), message: exception.message }, 'request refused');
      const body = exception.getResponse();
      void reply
        .status(exception.getStatus())
        .send(typeof body === 'string' ? { statusCode: exception.getStatus(), message: body } : body);
      return;
    }
    const correlationId = randomUUID();
    this.logger.error({ ...where, err: exception, correlationId }, 'request failed');
    void reply.status(500).send(restErrorBody(ApiErrorCode.Internal, internalMessage(correlationId)));
  }
}

/**
 * Fastify's own refusals (a body that is not JSON, an unknown content type), thrown before any handler, carry a
 * 4xx `statusCode`: they become ours, so that they are answered in our shape.
 */
function fromFastify(thrown: unknown): unknown {
  if (thrown instanceof HttpException || thrown instanceof ApiException || !(thrown instanceof Error)) return thrown;
  const status = (thrown as { statusCode?: unknown }).statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return thrown;
  return new ApiException(
    CODE_OF_STATUS[status] === ApiErrorCode.BadUserInput || !CODE_OF_STATUS[status]
      ? ApiErrorCode.BadRequest
      : CODE_OF_STATUS[status],
    thrown.message,
  );
}

/** The error as the caller should see it when it is one they can act on; undefined for anything unexpected. */
function clientGraphQLError(exception: unknown): GraphQLError | undefined {
  if (exception instanceof ApiException) return toGraphQLError(exception);
  if (exception instanceof GraphQLError) {
    const code = exception.extensions.code;
    return isApiErrorCode(code) && code !== ApiErrorCode.Internal ? exception : undefined;
  }
  if (exception instanceof HttpException) {
    const code = CODE_OF_STATUS[exception.getStatus()];
    return code ? toGraphQLError(new ApiException(code, exception.message)) : undefined;
  }
  return undefined;
}

function internalGraphQLError(logger: Logger, exception: unknown, where: object): GraphQLError {
  const correlationId = randomUUID();
  logger.error({ ...where, err: exception, correlationId }, 'GraphQL operation failed');
  return new GraphQLError(internalMessage(correlationId), {
    extensions: { code: ApiErrorCode.Internal, correlationId, http: { status: 500 } },
  });
}

function internalMessage(correlationId: string): string {
  return `internal error: the server could not answer this request (reference ${correlationId}; the operators' log has the detail)`;
}

/**
 * Apollo's formatError, the last net for errors that did not pass through Nest (parse and validation errors, the
 * limits plugin, fields resolved outside resolvers): errors with one of our codes go out as they are; any other is
 * logged and replaced by the generic message with a correlation id.
 */
export function formatGraphQLError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (isApiErrorCode(code) && (code !== ApiErrorCode.Internal || formatted.extensions?.correlationId))
      return formatted;
    const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
    const masked = internalGraphQLError(logger, original, { path: formatted.path, code });
    return {
      message: masked.message,
      path: formatted.path,
      extensions: { code: ApiErrorCode.Internal, correlationId: masked.extensions.correlationId },
    };
  };
}
