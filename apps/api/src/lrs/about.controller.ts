import { Controller, Get, Head, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SUPPORTED_VERSIONS } from '@ent-observatory/xapi';
import { LrsExceptionFilter } from './lrs-exception.filter.js';
import { XAPI_VERSION_HEADER, responseVersion } from './xapi-version.js';

/** The About resource (Communication 2.8): open to all, no version header required. */
@Controller('xapi/about')
@UseFilters(LrsExceptionFilter)
export class AboutController {
  @Get()
  get(@Req() req: Request, @Res() res: Response): void {
    res.setHeader(XAPI_VERSION_HEADER, responseVersion(req));
    res.json({ version: SUPPORTED_VERSIONS, extensions: {} });
  }

  @Head()
  head(@Req() req: Request, @Res() res: Response): void {
    res.setHeader(XAPI_VERSION_HEADER, responseVersion(req));
    res.type('application/json').end();
  }
}
