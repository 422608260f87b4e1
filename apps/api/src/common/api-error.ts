import { HttpException } from '@nestjs/common';
import { GraphQLError } from 'graphql';

/**
 * Every code an error of the API can carry: `extensions.code` of a GraphQL error, `code` of a REST error body. It
 * holds ours and the ones Apollo emits itself, and statusOf() maps each to its HTTP status with an exhaustive
 * switch, so a new code does not compile until someone decides its status. A GraphQL error whose code is not here
 * is answered as an internal error (generic message, correlation id, detail in the log). The LRS under /xapi has
 * its own codes (libs/lrs lrs.exception.ts).
 */
export enum ApiErrorCode {
  /** An argument is malformed or out of range: the message names it and says what is expected. */
  BadUserInput = 'BAD_USER_INPUT',
  /** The request itself is malformed (no query, body not JSON, not UTF-8). */
  BadRequest = 'BAD_REQUEST',
  GraphqlParseFailed = 'GRAPHQL_PARSE_FAILED',
  GraphqlValidationFailed = 'GRAPHQL_VALIDATION_FAILED',
  /** Over the depth, alias, token or cost limit of one request (docs/security.md). */
  QueryTooComplex = 'QUERY_TOO_COMPLEX',
  PersistedQueryNotFound = 'PERSISTED_QUERY_NOT_FOUND',
  PersistedQueryNotSupported = 'PERSISTED_QUERY_NOT_SUPPORTED',
  OperationResolutionFailure = 'OPERATION_RESOLUTION_FAILURE',
  Unauthenticated = 'UNAUTHENTICATED',
  BadCredentials = 'BAD_CREDENTIALS',
  Forbidden = 'FORBIDDEN',
  Csrf = 'CSRF',
  NotFound = 'NOT_FOUND',
  /** The change conflicts with the current state (e.g. an enrolment that already exists). */
  Conflict = 'CONFLICT',
  MethodNotAllowed = 'METHOD_NOT_ALLOWED',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  /** Too many sign-in attempts from this client: slowed down, retry after `Retry-After`. */
  TooManyAttempts = 'TOO_MANY_ATTEMPTS',
  /** Too many expensive views waiting for this account. */
  TooManyRequests = 'TOO_MANY_REQUESTS',
  Internal = 'INTERNAL_SERVER_ERROR',
}

export function statusOf(code: ApiErrorCode): number {
  switch (code) {
    case ApiErrorCode.BadUserInput:
    case ApiErrorCode.BadRequest:
    case ApiErrorCode.GraphqlParseFailed:
    case ApiErrorCode.GraphqlValidationFailed:
    case ApiErrorCode.QueryTooComplex:
    case ApiErrorCode.PersistedQueryNotFound:
    case ApiErrorCode.PersistedQueryNotSupported:
    case ApiErrorCode.OperationResolutionFailure:
      return 400;
    case ApiErrorCode.Unauthenticated:
    case ApiErrorCode.BadCredentials:
      return 401;
    case ApiErrorCode.Forbidden:
    case ApiErrorCode.Csrf:
      return 403;
    case ApiErrorCode.NotFound:
      return 404;
    case ApiErrorCode.Conflict:
      return 409;
    case ApiErrorCode.MethodNotAllowed:
      return 405;
    case ApiErrorCode.PayloadTooLarge:
      return 413;
    case ApiErrorCode.UnsupportedMediaType:
      return 415;
    case ApiErrorCode.TooManyAttempts:
    case ApiErrorCode.TooManyRequests:
      return 429;
    case ApiErrorCode.Internal:
      return 500;
  }
}

const KNOWN = new Set<string>(Object.values(ApiErrorCode));

export function isApiErrorCode(code: unknown): code is ApiErrorCode {
  return typeof code === 'string' && KNOWN.has(code);
}

/**
 * An error the caller can act on, thrown by services that serve both GraphQL and REST; the API's exception filter
 * turns it into a GraphQL error or a REST answer with statusOf(code).
 */
export class ApiException extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** Extra response headers (Retry-After, Allow). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function toGraphQLError(e: ApiException): GraphQLError {
  const headers = new Map(Object.entries(e.headers));
  return new GraphQLError(e.message, {
    extensions: { code: e.code, http: { status: statusOf(e.code), ...(headers.size ? { headers } : {}) } },
  });
}

export function toHttpException(e: ApiException): HttpException {
  const status = statusOf(e.code);
  return new HttpException({ statusCode: status, code: e.code, message: e.message }, status);
}

/** The REST error body, the same for every route outside /xapi. */
export function restErrorBody(
  code: ApiErrorCode,
  message: string,
): { statusCode: number; code: string; message: string } {
  return { statusCode: statusOf(code), code, message };
}
