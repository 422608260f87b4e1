import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { LrsErrorCode, LrsException, StatementRepository, httpStatusOf } from '@ent-observatory/lrs';
import { LOGGER } from '../common/tokens.js';
import { CONSISTENT_THROUGH_HEADER, XAPI_VERSION_HEADER, responseVersion } from './xapi-version.js';

/**
 * Every error under /xapi becomes `{ error, message, details }` with the xAPI headers, whatever threw it: our own
 * exceptions, Nest's HTTP exceptions, or an unexpected failure (503, logged, nothing acknowledged).
 */
@Catch()
export class LrsExceptionFilter implements ExceptionFilter {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(StatementRepository) private readonly statements: StatementRepository,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const e = this.toLrsException(exception, req);
    reply.header(XAPI_VERSION_HEADER, responseVersion(req.headers));
    if (req.url.startsWith('/xapi/statements')) {
      reply.header(CONSISTENT_THROUGH_HEADER, this.statements.consistentThrough().toISOString());
    }
    if (e.code === LrsErrorCode.Unauthorized)
      reply.header('WWW-Authenticate', 'Basic realm="xAPI LRS", charset="UTF-8"');
    void reply.status(httpStatusOf(e.code)).send({ error: e.code, message: e.message, details: e.details });
  }

  private toLrsException(exception: unknown, req: FastifyRequest): LrsException {
    if (exception instanceof LrsException) return exception;
    if (exception instanceof HttpException && exception.getStatus() === 404) {
      return new LrsException(LrsErrorCode.NotFound, `no xAPI resource at ${req.method} ${req.url}`);
    }
    this.logger.error({ err: exception, method: req.method, url: req.url }, 'xAPI request failed');
    return new LrsException(
      LrsErrorCode.StorageUnavailable,
      'the statement store could not complete the request; nothing was acknowledged, retry later',
    );
  }
}
