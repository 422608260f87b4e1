import { Catch } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { TrainingErrorCode, TrainingException } from '@ent-observatory/training';
import { GraphQLError } from 'graphql';

/** GraphQL code and HTTP status of each training error code (exhaustive: the compiler checks every code). */
function gqlCodeOf(code: TrainingErrorCode): { code: string; status: number } {
  switch (code) {
    case TrainingErrorCode.InvalidPackage:
    case TrainingErrorCode.InvalidInput:
    case TrainingErrorCode.Cmi5Rule:
      return { code: 'BAD_USER_INPUT', status: 400 };
    case TrainingErrorCode.Forbidden:
      return { code: 'FORBIDDEN', status: 403 };
    case TrainingErrorCode.NotFound:
      return { code: 'NOT_FOUND', status: 404 };
    case TrainingErrorCode.Conflict:
      return { code: 'CONFLICT', status: 409 };
  }
}

/** Training errors in GraphQL answers: a code the SPA acts on and a message it shows. */
@Catch(TrainingException)
export class TrainingGqlFilter implements GqlExceptionFilter {
  catch(e: TrainingException): GraphQLError {
    const { code, status } = gqlCodeOf(e.code);
    return new GraphQLError(e.message, { extensions: { code, http: { status } } });
  }
}
