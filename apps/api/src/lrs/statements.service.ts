import { Inject, Injectable } from '@nestjs/common';
import {
  type Json,
  type StoredStatement,
  type XapiVersion,
  isObject,
  isUuid,
  type PrepareContext,
  type StatementRow,
  prepareStatement,
} from '@ent-observatory/xapi';
import {
  type AttachmentContent,
  AttachmentRepository,
  LrsErrorCode,
  LrsException,
  type PendingStatement,
  StatementRepository,
  type StoreOutcome,
  attachmentContents,
  writeProblems,
} from '@ent-observatory/lrs';
import { EnrichmentService } from '../enrichment/enrichment.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { Credential } from './credentials.service.js';
import type { StatementsBody } from './statement-body.js';

/**
 * Prepares each statement and its analytics row here, in the request, so that a statement which cannot be
 * serialised fails its own request (400) instead of the group-commit write it would have joined.
 */
function toPending(
  statements: Json[],
  ctx: PrepareContext,
  toRow: (s: StoredStatement) => StatementRow,
): PendingStatement[] {
  try {
    return statements.map((s) => {
      const statement = prepareStatement(s, ctx);
      return {
        statement,
        row: toRow(statement),
        timestampSent: s.timestamp !== undefined,
        idSent: s.id !== undefined,
      };
    });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new LrsException(
      LrsErrorCode.InvalidStatement,
      `a statement cannot be stored: ${e.message} (is it nested too deeply?)`,
    );
  }
}

/** The Statement resource's decisions: validation, assignment of LRS fields, conflicts, voiding visibility. */
@Injectable()
export class StatementsService {
  constructor(
    @Inject(StatementRepository) private readonly repo: StatementRepository,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(AttachmentRepository) private readonly attachments: AttachmentRepository,
    @Inject(EnrichmentService) private readonly enrichment: EnrichmentService,
  ) {}

  /** POST: one statement or an array, all stored or none. Returns the ids in request order. */
  async post({ body, parts }: StatementsBody, version: XapiVersion, credential: Credential): Promise<string[]> {
    const statements = Array.isArray(body) ? body : [body];
    return this.store(body, statements, version, credential, parts);
  }

  /** PUT ?statementId=: one statement whose id is the parameter. */
  async put(
    statementId: string | undefined,
    { body, parts }: StatementsBody,
    version: XapiVersion,
    credential: Credential,
  ): Promise<void> {
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
    await this.store(statement, [statement], version, credential, parts);
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

  private async store(
    body: unknown,
    statements: unknown[],
    version: XapiVersion,
    credential: Credential,
    parts: StatementsBody['parts'],
  ): Promise<string[]> {
    this.metrics.statementsReceived.inc(statements.length);
    // What JSON allows but no store keeps as sent is refused here too, before anything is acknowledged.
    const problems = writeProblems(body, version, parts !== undefined);
    if (problems.length > 0) {
      this.metrics.statementsRejected.inc({ reason: 'invalid' }, statements.length);
      const count = `${problems.length} problem${problems.length > 1 ? 's' : ''}`;
      throw new LrsException(
        LrsErrorCode.InvalidStatement,
        `the request was rejected, nothing was stored: ${count}`,
        problems,
      );
    }
    const contents = parts === undefined ? [] : attachmentContents(statements as Json[], parts, Array.isArray(body));
    const stored = new Date();
    const pending = toPending(statements as Json[], { authority: credential.authority, stored, version }, (s) =>
      this.enrichment.row(s),
    );
    // A credential with a policy (a cmi5 AU session) checks the statements last, once they are known to be valid.
    const ticket = await credential.policy?.beforeStore(statements as Json[]);
    let outcome: StoreOutcome;
    try {
      outcome = await this.storeWithAttachments(pending, stored, contents);
    } catch (e) {
      await ticket?.failed();
      throw e;
    }
    if (outcome.kind === 'stored') await ticket?.stored();
    else await ticket?.failed();
    if (outcome.kind === 'conflict') {
      this.metrics.statementsRejected.inc({ reason: 'conflict' }, statements.length);
      throw new LrsException(
        LrsErrorCode.Conflict,
        `statement ${outcome.id} already exists with different content; nothing of this request was stored`,
      );
    }
    this.metrics.statementsStored.inc(outcome.inserted);
    return outcome.ids;
  }
}
