import { Controller, Get, Head, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/access.js';
import { OPENAPI_DOCUMENT } from './openapi.js';

/** The OpenAPI description of the LRS, open to all like the About resource. */
@Controller('xapi/openapi.json')
@Public()
export class OpenApiController {
  private readonly json = JSON.stringify(OPENAPI_DOCUMENT);

  @Get()
  get(@Res() res: FastifyReply): void {
    void res.type('application/json; charset=utf-8').send(this.json);
  }

  @Head()
  head(@Res() res: FastifyReply): void {
    void res.type('application/json; charset=utf-8').header('Content-Length', Buffer.byteLength(this.json)).send();
  }
}
