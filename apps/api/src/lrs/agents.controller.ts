import { Controller, Get, Head, Inject, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AgentsService } from './agents.service.js';
import { LrsAuthGuard, LrsScopes } from './lrs-auth.guard.js';
import { LrsExceptionFilter } from './lrs-exception.filter.js';
import { sendJson } from './xapi-response.js';
import { beginXapi, parseAgent, queryParams, required } from './xapi-params.js';

/** The Agents resource (Communication 2.4): the Person the LRS knows behind an Agent. */
@Controller('xapi/agents')
@UseGuards(LrsAuthGuard)
@UseFilters(LrsExceptionFilter)
export class AgentsController {
  constructor(@Inject(AgentsService) private readonly agents: AgentsService) {}

  @Get()
  @LrsScopes('profile')
  get(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.person(req, res, true);
  }

  @Head()
  @LrsScopes('profile')
  head(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.person(req, res, false);
  }

  private async person(req: FastifyRequest, res: FastifyReply, withBody: boolean) {
    beginXapi(req, res);
    const agent = parseAgent(required(queryParams(req, ['agent']), 'agent'));
    sendJson(res, await this.agents.person(agent), withBody);
  }
}
