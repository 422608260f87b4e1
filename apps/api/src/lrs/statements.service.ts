import { Inject, Injectable } from '@nestjs/common';
import {
  type Json,
  type PrepareContext,
  type StoredStatement,
  type XapiVersion,
  isObject,
  isUuid,
} from '@ent-observatory/xapi';
import {
  type AttachmentContent,
  AttachmentRepository,
  LrsErrorCode,
  LrsException,
  type PendingStatement,
  StatementRepository,
  type StoreOutcome,
  type Part,
  attachmentContents,
  parseJson,
} from '@ent-observatory/lrs';
import { MetricsService } from '../metrics/metrics.service.js';
import type { Credential } from './credentials.service.js';
import type { StatementsBody } from './statement-body.js';
import { type Prepared, StatementPreparer } from './statement-preparer.js';

/** The Statement resource's decisions: validation, assignment of LRS fields, conflicts, voiding visibility. */
@Injectable()
export class StatementsService {
  constructor(
    @Inject(StatementRepository) private readonly repo: StatementRepository,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(AttachmentRepository) private readonly attachments: AttachmentRepository,
    @Inject(StatementPreparer) private readonly preparer: StatementPreparer,
  ) {}

  /** POST: one statement or an array, all stored or none. Returns the ids in request order. */
  async post(body: StatementsBody, version: XapiVersion, credential: Credential): Promise<string[]> {
    return this.holding(version, credential, async (ctx) => {
      // A cmi5 session's credential checks the statements themselves: they are parsed here for it.
      if ('json' in body && credential.policy === undefined) {
        const prepared = this.preparer.onThread(body.json)
          ? await this.preparer.onThreads(body.json, ctx)
          : this.preparer.here({ bytes: body.json }, false, ctx);
        return this.store(this.counted(prepared), ctx.stored);
      }
      const parsed = 'json' in body ? parseJson(body.json, 'the body') : body.body;
      return this.storeParsed(parsed, 'json' in body ? undefined : body.parts, ctx, credential);
    });
  }

  /** PUT ?statementId=: one statement whose id is the parameter. */
  async put(
    statementId: string | undefined,
    request: StatementsBody,
    version: XapiVersion,
    credential: Credential,
  ): Promise<void> {
    const body = 'json' in request ? parseJson(request.json, 'the body') : request.body;
    if (!statementId || !isUuid(statementId)) {
      throw new LrsException(LrsErrorCode.InvalidParameter, 'PUT needs a statementId query parameter holding a UUID');
    }
    if (Array.isArray(body)) {
      throw new LrsException(LrsErrorCode.InvalidStatement, 'PUT takes a single statement; POST an array instead');
    }
    if (
      isObject(body) &&
      body.id !== undefined &&
      (typeof body.id !== 'string' || body.id.toLowerCase() !== statementId.toLowerCase())
    ) {
      throw new LrsException(LrsErrorCode.InvalidParameter, 'the statement id differs from the statementId parameter');
    }
    const statement = isObject(body) ? { ...body, id: statementId } : body;
    const parts = 'json' in request ? undefined : request.parts;
    await this.holding(version, credential, (ctx) => this.storeParsed(statement, parts, ctx, credential));
  }

  /** GET ?statementId= (not voided) or ?voidedStatementId= (voided only). */
  async get(id: string, wantVoided: boolean, credential: Credential): Promise<StoredStatement> {
    if (!isUuid(id)) throw new LrsException(LrsErrorCode.InvalidParameter, `"${id}" is not a UUID`);
    const found = await this.repo.findById(id.toLowerCase());
    const mineOnly = !credential.scopes.some((s) => s === 'all' || s === 'all/read' || s === 'statements/read');
    const visible =
      found !== null &&
      found.voided === wantVoided &&
      (!mineOnly || JSON.stringify(found.statement.authority) === JSON.stringify(credential.authority)) &&
      (credential.policy?.canRead(found.statement) ?? true);
    if (!visible) {
      const hint = wantVoided ? 'no voided statement' : 'no statement (or it was voided: ask with voidedStatementId)';
      throw new LrsException(LrsErrorCode.NotFound, `${hint} with id ${id}`);
    }
    return found.statement;
  }

  consistentThrough(): Date {
    return this.repo.consistentThrough();
  }

  /**
   * Attachment contents are saved first (a statement must never reference a missing content); if the statements
   * are then refused or fail, the contents this request added and nothing references are deleted again.
   */
  private async storeWithAttachments(pending: PendingStatement[], stored: Date, contents: AttachmentContent[]) {
    const added = await this.attachments.saveAll(contents);
    let outcome: StoreOutcome | undefined;
    try {
      outcome = await this.repo.store(pending, stored);
      return outcome;
    } finally {
      if (added.length > 0 && outcome?.kind !== 'stored') await this.attachments.deleteUnreferenced(added);
    }
  }

  /**
   * Runs a write with its `stored` instant, Consistent-Through held before it from now until it is answered: the
   * statements are not visible to a query while they are prepared, but must not fall before what it reports.
   */
  private async holding<T>(
    version: XapiVersion,
    credential: Credential,
    write: (ctx: PrepareContext) => Promise<T>,
  ): Promise<T> {
    const ctx = { authority: credential.authority, stored: new Date(), version };
    const release = this.repo.hold(ctx.stored);
    try {
      return await write(ctx);
    } finally {
      release();
    }
  }

  /** A parsed body: its attachment contents, its preparation, and a cmi5 session's checks before it is stored. */
  private async storeParsed(
    body: unknown,
    parts: Part[] | undefined,
    ctx: PrepareContext,
    credential: Credential,
  ): Promise<string[]> {
    const pending = this.counted(this.preparer.here({ parsed: body }, parts !== undefined, ctx));
    const statements = (Array.isArray(body) ? body : [body]) as Json[];
    const contents = parts === undefined ? [] : attachmentContents(statements, parts, Array.isArray(body));
    // A credential with a policy (a cmi5 AU session) checks the statements last, once they are known to be valid.
    const ticket = await credential.policy?.beforeStore(statements);
    let ids: string[];
    try {
      ids = await this.store(pending, ctx.stored, contents);
    } catch (e) {
      await ticket?.failed();
      throw e;
    }
    await ticket?.stored();
    return ids;
  }

  /** Counts a request's statements as received, and as rejected when their preparation refused them (thrown). */
  private counted({ count, outcome }: Prepared): PendingStatement[] {
    this.metrics.statementsReceived.inc(count);
    if (!(outcome instanceof LrsException)) return outcome;
    if (outcome.code === LrsErrorCode.InvalidStatement)
      this.metrics.statementsRejected.inc({ reason: 'invalid' }, count);
    throw outcome;
  }

  /** Stores prepared statements, or throws the duplicate rule's conflict. */
  private async store(
    pending: PendingStatement[],
    stored: Date,
    contents: AttachmentContent[] = [],
  ): Promise<string[]> {
    const result = await this.storeWithAttachments(pending, stored, contents);
    if (result.kind === 'conflict') {
      this.metrics.statementsRejected.inc({ reason: 'conflict' }, pending.length);
      throw new LrsException(
        LrsErrorCode.Conflict,
        `statement ${result.id} already exists with different content; nothing of this request was stored`,
      );
    }
    this.metrics.statementsStored.inc(result.inserted);
    return result.ids;
  }
}
