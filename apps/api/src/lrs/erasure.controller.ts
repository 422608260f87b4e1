import { Controller, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { isObject } from '@ent-observatory/xapi';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErasureService, LrsErrorCode, LrsException } from '@ent-observatory/lrs';
import { ENV } from '../common/tokens.js';
import type { Env } from '../config/env.js';
import { readJsonBody } from './body.js';
import { LrsAuthGuard, LrsScopes } from './lrs-auth.guard.js';
import { LrsExceptionFilter } from './lrs-exception.filter.js';
import { sendJson } from './xapi-response.js';
import { asAgent } from './xapi-params.js';

/**
 * Right to erasure over HTTP, for LRS credentials with scope `all` only: `{"agent": {…}}` in, counts of what was
 * removed out. Not an xAPI resource, so no version header is needed.
 */
@Controller('xapi/admin/erasure')
@UseGuards(LrsAuthGuard)
@UseFilters(LrsExceptionFilter)
export class ErasureController {
  constructor(
    @Inject(ErasureService) private readonly erasure: ErasureService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  @Post()
  @LrsScopes('all')
  async erase(@Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    const body = await readJsonBody(req, res, this.env.XAPI_MAX_BODY_BYTES);
    if (!isObject(body) || body.agent === undefined) {
      throw new LrsException(LrsErrorCode.InvalidParameter, 'send {"agent": {...}} with the Agent to erase');
    }
    const agent = asAgent(body.agent);
    sendJson(res, await this.erasure.erase(agent), true);
  }
}
