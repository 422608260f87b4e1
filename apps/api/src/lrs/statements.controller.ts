import { Controller, Get, Head, Inject, Post, Put, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { LrsErrorCode, LrsException } from '@ent-observatory/lrs';
import type { Env } from '../config/env.js';
import { ENV } from '../common/tokens.js';
import { LrsExceptionFilter } from './lrs-exception.filter.js';
import { LrsAuthGuard, type LrsRequest, LrsScopes } from './lrs-auth.guard.js';
import { readStatementsBody } from './statement-body.js';
import { StatementQueryService } from './statement-query.service.js';
import { StatementsService } from './statements.service.js';
import { CONSISTENT_THROUGH_HEADER, XAPI_VERSION_HEADER, negotiateVersion } from './xapi-version.js';

/** The Statement resource (Communication 2.1). Transport only: every decision is in the services. */
@Controller('xapi/statements')
@UseGuards(LrsAuthGuard)
@UseFilters(LrsExceptionFilter)
export class StatementsController {
  constructor(
    @Inject(StatementsService) private readonly statements: StatementsService,
    @Inject(StatementQueryService) private readonly queries: StatementQueryService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  @Post()
  @LrsScopes('statements/write')
  async post(@Req() req: LrsRequest, @Res() res: FastifyReply): Promise<void> {
    const version = this.start(req, res);
    const body = await readStatementsBody(req, res, this.env.XAPI_MAX_BODY_BYTES);
    const ids = await this.statements.post(body, version, credentialOf(req));
    void this.consistent(res).status(200).send(ids);
  }

  @Put()
  @LrsScopes('statements/write')
  async put(
    @Req() req: LrsRequest,
    @Res() res: FastifyReply,
    @Query('statementId') statementId?: string,
  ): Promise<void> {
    const version = this.start(req, res);
    const body = await readStatementsBody(req, res, this.env.XAPI_MAX_BODY_BYTES);
    await this.statements.put(statementId, body, version, credentialOf(req));
    void this.consistent(res).status(204).send();
  }

  @Get()
  @LrsScopes('statements/read', 'statements/read/mine')
  async get(@Req() req: LrsRequest, @Res() res: FastifyReply): Promise<void> {
    await this.read(req, res, true);
  }

  @Head()
  @LrsScopes('statements/read', 'statements/read/mine')
  async head(@Req() req: LrsRequest, @Res() res: FastifyReply): Promise<void> {
    await this.read(req, res, false);
  }

  private async read(req: LrsRequest, res: FastifyReply, withBody: boolean): Promise<void> {
    this.start(req, res);
    const answer = await this.queries.get(
      req.query as Record<string, unknown>,
      credentialOf(req),
      req.headers['accept-language'],
    );
    res
      .header(CONSISTENT_THROUGH_HEADER, answer.consistentThrough.toISOString())
      .status(200)
      .type(answer.contentType)
      .header('Content-Length', answer.body.length);
    if (answer.lastModified !== undefined) res.header('Last-Modified', answer.lastModified);
    void res.send(withBody ? answer.body : undefined);
  }

  /** Negotiates the version and sets the headers every response of this resource carries, errors included. */
  private start(req: LrsRequest, res: FastifyReply) {
    const version = negotiateVersion(req.headers);
    res.header(XAPI_VERSION_HEADER, version);
    return version;
  }

  /** Consistent-Through is read when answering: it must cover this request's own statements. */
  private consistent(res: FastifyReply): FastifyReply {
    return res.header(CONSISTENT_THROUGH_HEADER, this.statements.consistentThrough().toISOString());
  }
}

function credentialOf(req: LrsRequest) {
  if (!req.credential) throw new LrsException(LrsErrorCode.Unauthorized, 'no credential on this request');
  return req.credential;
}
