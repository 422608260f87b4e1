import { Controller, Get, Head, Inject, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ActivitiesService } from './activities.service.js';
import { LrsAuthGuard, LrsScopes } from './lrs-auth.guard.js';
import { LrsExceptionFilter } from './lrs-exception.filter.js';
import { sendJson } from './xapi-response.js';
import { beginXapi, parseActivityId, queryParams, required } from './xapi-params.js';

/** The Activities resource (Communication 2.5): an activity with its definition. */
@Controller('xapi/activities')
@UseGuards(LrsAuthGuard)
@UseFilters(LrsExceptionFilter)
export class ActivitiesController {
  constructor(@Inject(ActivitiesService) private readonly activities: ActivitiesService) {}

  @Get()
  @LrsScopes('define')
  get(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.activity(req, res, true);
  }

  @Head()
  @LrsScopes('define')
  head(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.activity(req, res, false);
  }

  private async activity(req: FastifyRequest, res: FastifyReply, withBody: boolean) {
    beginXapi(req, res);
    const id = parseActivityId(required(queryParams(req, ['activityId']), 'activityId'));
    sendJson(res, await this.activities.activity(id), withBody);
  }
}
