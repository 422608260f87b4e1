import { Controller, Get, Head, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SUPPORTED_VERSIONS } from '@ent-observatory/xapi';
import { LrsExceptionFilter } from './lrs-exception.filter.js';
import { XAPI_VERSION_HEADER, responseVersion } from './xapi-version.js';
import { Public } from '../auth/access.js';

/** The About resource (Communication 2.8): open to all, no version header required. */
@Controller('xapi/about')
@Public()
@UseFilters(LrsExceptionFilter)
export class AboutController {
  @Get()
  get(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    void reply
      .header(XAPI_VERSION_HEADER, responseVersion(req.headers))
      .send({ version: SUPPORTED_VERSIONS, extensions: {} });
  }

  @Head()
  head(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    void reply.header(XAPI_VERSION_HEADER, responseVersion(req.headers)).type('application/json').send();
  }
}
