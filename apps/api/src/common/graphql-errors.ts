import type { GraphQLError } from 'graphql';
import { ApiErrorCode, ApiException, toGraphQLError } from './api-error.js';

/** A GraphQL error the caller can fix (400): the message names the argument and what is expected. */
export function badInput(message: string): GraphQLError {
  return toGraphQLError(new ApiException(ApiErrorCode.BadUserInput, message));
}

export function notFound(message: string): GraphQLError {
  return toGraphQLError(new ApiException(ApiErrorCode.NotFound, message));
}
