import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { TrainingErrorCode, TrainingException } from '@ent-observatory/training';
import type { FastifyReply } from 'fastify';

/** HTTP status of each training error code: the compiler checks every code is mapped. */
export function httpStatusOfTraining(code: TrainingErrorCode): number {
  switch (code) {
    case TrainingErrorCode.InvalidPackage:
    case TrainingErrorCode.InvalidInput:
    case TrainingErrorCode.Cmi5Rule:
      return 400;
    case TrainingErrorCode.Forbidden:
      return 403;
    case TrainingErrorCode.NotFound:
      return 404;
    case TrainingErrorCode.Conflict:
      return 409;
  }
}

/** Training errors on the integration API: `{ error, message }` with the code's status. */
@Catch(TrainingException)
export class TrainingHttpFilter implements ExceptionFilter {
  catch(e: TrainingException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply.status(httpStatusOfTraining(e.code)).send({ error: e.code, message: e.message });
  }
}
