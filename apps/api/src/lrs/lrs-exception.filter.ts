import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { LOGGER } from '../common/tokens.js';
import { LrsErrorCode, LrsException, httpStatusOf } from './lrs.exception.js';
import { XAPI_VERSION_HEADER, responseVersion } from './xapi-version.js';

/**
 * Every error under /xapi becomes `{ error, message, details }` with the xAPI version header, whatever threw it:
 * our own exceptions, Nest's HTTP exceptions, the body reader's, or an unexpected failure (503, logged).
 */
@Catch()
export class LrsExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const e = this.toLrsException(exception, req);
    const status = httpStatusOf(e.code);
    res.setHeader(XAPI_VERSION_HEADER, responseVersion(req));
    if (e.code === LrsErrorCode.Unauthorized)
      res.setHeader('WWW-Authenticate', 'Basic realm="xAPI LRS", charset="UTF-8"');
    res.status(status).json({ error: e.code, message: e.message, details: e.details });
  }

  private toLrsException(exception: unknown, req: Request): LrsException {
    if (exception instanceof LrsException) return exception;
    if (exception instanceof HttpException && exception.getStatus() === 404) {
      return new LrsException(LrsErrorCode.NotFound, `no xAPI resource at ${req.method} ${req.path}`);
    }
    if (exception instanceof HttpException && exception.getStatus() === 405) {
      return new LrsException(LrsErrorCode.InvalidParameter, `${req.method} is not allowed on ${req.path}`);
    }
    this.logger.error({ err: exception, method: req.method, path: req.path }, 'xAPI request failed');
    return new LrsException(
      LrsErrorCode.StorageUnavailable,
      'the statement store could not complete the request; nothing was acknowledged, retry later',
    );
  }
}
