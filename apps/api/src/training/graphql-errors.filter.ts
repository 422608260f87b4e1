import { Catch } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { TrainingErrorCode, TrainingException } from '@ent-observatory/training';
import { GraphQLError } from 'graphql';
import { ApiErrorCode, statusOf } from '../common/api-error.js';

/** The API error code of each training error code (exhaustive: the compiler checks every code). */
function apiCodeOf(code: TrainingErrorCode): ApiErrorCode {
  switch (code) {
    case TrainingErrorCode.InvalidPackage:
    case TrainingErrorCode.InvalidInput:
    case TrainingErrorCode.Cmi5Rule:
      return ApiErrorCode.BadUserInput;
    case TrainingErrorCode.Forbidden:
      return ApiErrorCode.Forbidden;
    case TrainingErrorCode.NotFound:
      return ApiErrorCode.NotFound;
    case TrainingErrorCode.Conflict:
      return ApiErrorCode.Conflict;
  }
}

/** Training errors in GraphQL answers: a code the SPA acts on and a message it shows. */
@Catch(TrainingException)
export class TrainingGqlFilter implements GqlExceptionFilter {
  catch(e: TrainingException): GraphQLError {
    const code = apiCodeOf(e.code);
    return new GraphQLError(e.message, { extensions: { code, http: { status: statusOf(code) } } });
  }
}
