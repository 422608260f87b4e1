import { Controller, Delete, Get, Head, Inject, Post, Put, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { DocumentKey, DocumentKind, DocumentScope } from '@ent-observatory/store';
import { type XapiVersion, actorIfi } from '@ent-observatory/xapi';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  DocumentsService,
  LrsErrorCode,
  LrsException,
  type Preconditions,
  parseEntityTags,
} from '@ent-observatory/lrs';
import { ENV } from '../common/tokens.js';
import type { Env } from '../config/env.js';
import { readBodyBytes } from './body.js';
import { LrsAuthGuard, LrsScopes } from './lrs-auth.guard.js';
import { LrsExceptionFilter } from './lrs-exception.filter.js';
import { sendJson } from './xapi-response.js';
import {
  beginXapi,
  parseActivityId,
  parseAgent,
  parseRegistration,
  parseSince,
  queryParams,
  required,
} from './xapi-params.js';

/** What distinguishes the three document resources: their key parameters. */
interface DocumentResource {
  kind: DocumentKind;
  idParam: 'stateId' | 'profileId';
  activity: boolean;
  agent: boolean;
  registration: boolean;
}

const STATE: DocumentResource = {
  kind: 'state',
  idParam: 'stateId',
  activity: true,
  agent: true,
  registration: true,
};
const ACTIVITY_PROFILE: DocumentResource = {
  kind: 'activity_profile',
  idParam: 'profileId',
  activity: true,
  agent: false,
  registration: false,
};
const AGENT_PROFILE: DocumentResource = {
  kind: 'agent_profile',
  idParam: 'profileId',
  activity: false,
  agent: true,
  registration: false,
};

/** The parsed parameters of a document request: the set it addresses, and the one document when an id is given. */
interface Target {
  scope: DocumentScope;
  key: DocumentKey | undefined;
  since: Date | undefined;
}

/**
 * The State, Activity Profile and Agent Profile resources (Communication 2.3, 2.6, 2.7). Transport only: the
 * decisions are in DocumentsService.
 */
@Controller('xapi')
@UseGuards(LrsAuthGuard)
@UseFilters(LrsExceptionFilter)
export class DocumentsController {
  constructor(
    @Inject(DocumentsService) private readonly documents: DocumentsService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  @Get('activities/state')
  @LrsScopes('state')
  getState(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.read(STATE, req, res, true);
  }

  @Head('activities/state')
  @LrsScopes('state')
  headState(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.read(STATE, req, res, false);
  }

  @Put('activities/state')
  @LrsScopes('state')
  putState(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.store(STATE, 'PUT', req, res);
  }

  @Post('activities/state')
  @LrsScopes('state')
  postState(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.store(STATE, 'POST', req, res);
  }

  @Delete('activities/state')
  @LrsScopes('state')
  deleteState(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.remove(STATE, req, res);
  }

  @Get('activities/profile')
  @LrsScopes('profile')
  getActivityProfile(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.read(ACTIVITY_PROFILE, req, res, true);
  }

  @Head('activities/profile')
  @LrsScopes('profile')
  headActivityProfile(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.read(ACTIVITY_PROFILE, req, res, false);
  }

  @Put('activities/profile')
  @LrsScopes('profile')
  putActivityProfile(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.store(ACTIVITY_PROFILE, 'PUT', req, res);
  }

  @Post('activities/profile')
  @LrsScopes('profile')
  postActivityProfile(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.store(ACTIVITY_PROFILE, 'POST', req, res);
  }

  @Delete('activities/profile')
  @LrsScopes('profile')
  deleteActivityProfile(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.remove(ACTIVITY_PROFILE, req, res);
  }

  @Get('agents/profile')
  @LrsScopes('profile')
  getAgentProfile(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.read(AGENT_PROFILE, req, res, true);
  }

  @Head('agents/profile')
  @LrsScopes('profile')
  headAgentProfile(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.read(AGENT_PROFILE, req, res, false);
  }

  @Put('agents/profile')
  @LrsScopes('profile')
  putAgentProfile(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.store(AGENT_PROFILE, 'PUT', req, res);
  }

  @Post('agents/profile')
  @LrsScopes('profile')
  postAgentProfile(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.store(AGENT_PROFILE, 'POST', req, res);
  }

  @Delete('agents/profile')
  @LrsScopes('profile')
  deleteAgentProfile(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.remove(AGENT_PROFILE, req, res);
  }

  /** GET/HEAD: one document when the id is given, otherwise the ids of the set (with `since`). */
  private async read(resource: DocumentResource, req: FastifyRequest, res: FastifyReply, withBody: boolean) {
    const version = beginXapi(req, res);
    const { scope, key, since } = target(resource, req, version, 'read');
    if (key) {
      const doc = await this.documents.get(key);
      void res
        .status(200)
        .header('Content-Type', doc.contentType)
        .header('ETag', doc.etag)
        .header('Last-Modified', doc.updated.toUTCString())
        .header('Content-Length', doc.content.length)
        .send(withBody ? doc.content : undefined);
      return;
    }
    const { ids, lastUpdated } = await this.documents.list(scope, since);
    if (lastUpdated) res.header('Last-Modified', lastUpdated.toUTCString());
    sendJson(res, ids, withBody);
  }

  private async store(resource: DocumentResource, method: 'PUT' | 'POST', req: FastifyRequest, res: FastifyReply) {
    const version = beginXapi(req, res);
    const { key } = target(resource, req, version, 'write');
    if (!key) throw new Error('unreachable: a write target always names its document');
    const content = await readBodyBytes(
      req,
      res,
      this.env.XAPI_MAX_DOCUMENT_BYTES,
      'store smaller documents (split them under several ids)',
      'XAPI_MAX_DOCUMENT_BYTES',
    );
    const contentType = req.headers['content-type'] ?? 'application/octet-stream';
    const incoming = { content, contentType };
    const pre = preconditions(req);
    const etag =
      method === 'PUT'
        ? await this.documents.put(key, incoming, pre, version)
        : await this.documents.post(key, incoming, pre, version);
    if (etag) res.header('ETag', etag);
    void res.status(204).send();
  }

  private async remove(resource: DocumentResource, req: FastifyRequest, res: FastifyReply) {
    const version = beginXapi(req, res);
    const { scope, key } = target(resource, req, version, 'delete');
    if (key) await this.documents.delete(key, preconditions(req), version);
    else await this.documents.deleteAll(scope);
    void res.status(204).send();
  }
}

/**
 * The request's parameters for a resource. The document id is required to write; reads without it list ids, and
 * deletes without it clear every State document of the context (the profile resources have no such delete).
 */
function target(
  resource: DocumentResource,
  req: FastifyRequest,
  version: XapiVersion,
  action: 'read' | 'write' | 'delete',
): Target {
  const allowed = [
    ...(resource.activity ? ['activityId'] : []),
    ...(resource.agent ? ['agent'] : []),
    ...(resource.registration ? ['registration'] : []),
    resource.idParam,
    ...(action === 'read' ? ['since'] : []),
  ];
  const params = queryParams(req, allowed);
  const activityId = resource.activity ? parseActivityId(required(params, 'activityId')) : '';
  const agentIfi = resource.agent ? actorIfi(parseAgent(required(params, 'agent'))) : '';
  const registration = resource.registration ? parseRegistration(params.registration) : '';
  const documentId = params[resource.idParam];
  const idNeeded = action === 'write' || (action === 'delete' && resource.kind !== 'state');
  if ((documentId === undefined && idNeeded) || documentId === '') {
    throw new LrsException(LrsErrorCode.InvalidParameter, `the ${resource.idParam} parameter is required`);
  }
  if (documentId !== undefined && params.since !== undefined) {
    throw new LrsException(
      LrsErrorCode.InvalidParameter,
      `since narrows a list of ids: send it without ${resource.idParam}`,
    );
  }
  const scope: DocumentScope = {
    kind: resource.kind,
    activityId,
    agentIfi,
    registration: params.registration === undefined ? undefined : registration,
  };
  return {
    scope,
    key: documentId === undefined ? undefined : { ...scope, registration, documentId },
    since: parseSince(params.since, version === '2.0.0'),
  };
}

function preconditions(req: FastifyRequest): Preconditions {
  return {
    ifMatch: parseEntityTags(req.headers['if-match'], false),
    ifNoneMatch: parseEntityTags(req.headers['if-none-match'], true),
  };
}
