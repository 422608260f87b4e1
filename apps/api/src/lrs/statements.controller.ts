import { Controller, Get, Head, Inject, Post, Put, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Env } from '../config/env.js';
import { ENV } from '../common/tokens.js';
import { readJsonBody } from './body.js';
import { LrsExceptionFilter } from './lrs-exception.filter.js';
import { LrsErrorCode, LrsException } from './lrs.exception.js';
import { LrsAuthGuard, type LrsRequest, LrsScopes } from './lrs-auth.guard.js';
import { StatementsService } from './statements.service.js';
import { CONSISTENT_THROUGH_HEADER, XAPI_VERSION_HEADER, negotiateVersion } from './xapi-version.js';

const SINGLE_GET_PARAMS = new Set(['statementId', 'voidedStatementId', 'attachments', 'format']);

/** The Statement resource (Communication 2.1). Transport only: every decision is in StatementsService. */
@Controller('xapi/statements')
@UseGuards(LrsAuthGuard)
@UseFilters(LrsExceptionFilter)
export class StatementsController {
  constructor(
    @Inject(StatementsService) private readonly statements: StatementsService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  @Post()
  @LrsScopes('statements/write')
  async post(@Req() req: LrsRequest, @Res() res: FastifyReply): Promise<void> {
    const version = this.start(req, res);
    const body = await readJsonBody(req, res, this.env.XAPI_MAX_BODY_BYTES);
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
    const body = await readJsonBody(req, res, this.env.XAPI_MAX_BODY_BYTES);
    await this.statements.put(statementId, body, version, credentialOf(req));
    void this.consistent(res).status(204).send();
  }

  @Get()
  @LrsScopes('statements/read', 'statements/read/mine')
  async get(@Req() req: LrsRequest, @Res() res: FastifyReply): Promise<void> {
    await this.single(req, res, true);
  }

  @Head()
  @LrsScopes('statements/read', 'statements/read/mine')
  async head(@Req() req: LrsRequest, @Res() res: FastifyReply): Promise<void> {
    await this.single(req, res, false);
  }

  private async single(req: LrsRequest, res: FastifyReply, withBody: boolean): Promise<void> {
    this.start(req, res);
    const query = req.query as Record<string, unknown>;
    const { statementId, voidedStatementId } = query;
    const unknown = Object.keys(query).filter((k) => !SINGLE_GET_PARAMS.has(k));
    if (statementId !== undefined && voidedStatementId !== undefined) {
      throw new LrsException(LrsErrorCode.InvalidParameter, 'send statementId or voidedStatementId, not both');
    }
    const id = statementId ?? voidedStatementId;
    if (id === undefined) {
      throw new LrsException(
        LrsErrorCode.NotImplemented,
        'statement queries (filters, paging) are not available yet: ask for one statement with statementId or voidedStatementId',
      );
    }
    if (typeof id !== 'string') throw new LrsException(LrsErrorCode.InvalidParameter, 'give the id parameter once');
    if (unknown.length > 0) {
      throw new LrsException(
        LrsErrorCode.InvalidParameter,
        `with ${statementId ? 'statementId' : 'voidedStatementId'} only attachments and format may be given, not ${unknown.join(', ')}`,
      );
    }
    const statement = await this.statements.get(id, voidedStatementId !== undefined, credentialOf(req));
    const json = JSON.stringify(statement);
    this.consistent(res)
      .header('Last-Modified', new Date(statement.stored).toUTCString())
      .status(200)
      .type('application/json; charset=utf-8')
      .header('Content-Length', Buffer.byteLength(json));
    void res.send(withBody ? json : undefined);
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
