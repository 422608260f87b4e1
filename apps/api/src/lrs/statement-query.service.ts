import { Inject, Injectable } from '@nestjs/common';
import { type StoredStatement, authorityKey } from '@ent-observatory/xapi';
import {
  AttachmentRepository,
  LrsErrorCode,
  LrsException,
  StatementCursors,
  type StatementFormat,
  StatementReader,
  StatementRepository,
  buildMultipart,
  formatStatement,
  parseSingleOptions,
  parseStatementQuery,
} from '@ent-observatory/lrs';
import type { Env } from '../config/env.js';
import { ENV } from '../common/tokens.js';
import type { Credential } from './credentials.service.js';
import { StatementsService } from './statements.service.js';

/** A GET answer of the Statement resource, ready to send (or to describe in a HEAD answer). */
export interface StatementsResponse {
  contentType: string;
  body: Buffer;
  /** Of a single statement: its stored time (Communication 2.1.3). */
  lastModified?: string;
  consistentThrough: Date;
}

export const STATEMENTS_PATH = '/xapi/statements';

type Params = Record<string, unknown>;

/** Whether a credential may only read the statements it stored itself (statements/read/mine). */
function mineOnly(credential: Credential): boolean {
  return !credential.scopes.some((s) => s === 'all' || s === 'all/read' || s === 'statements/read');
}

/** GET /xapi/statements: one statement by id, or a query page with its `more` cursor; formats and attachments. */
@Injectable()
export class StatementQueryService {
  private readonly cursors: StatementCursors;

  constructor(
    @Inject(StatementRepository) private readonly repo: StatementRepository,
    @Inject(StatementReader) private readonly reader: StatementReader,
    @Inject(StatementsService) private readonly statements: StatementsService,
    @Inject(AttachmentRepository) private readonly attachments: AttachmentRepository,
    @Inject(ENV) env: Env,
  ) {
    this.cursors = new StatementCursors(env.DATA_DIR);
  }

  async get(params: Params, credential: Credential, acceptLanguage: string | undefined): Promise<StatementsResponse> {
    const { statementId, voidedStatementId } = params;
    if (statementId !== undefined && voidedStatementId !== undefined) {
      throw new LrsException(LrsErrorCode.InvalidParameter, 'send statementId or voidedStatementId, not both');
    }
    if (statementId === undefined && voidedStatementId === undefined)
      return this.query(params, credential, acceptLanguage);
    const idParam = statementId !== undefined ? 'statementId' : 'voidedStatementId';
    const id = params[idParam];
    if (typeof id !== 'string') throw new LrsException(LrsErrorCode.InvalidParameter, `give ${idParam} once`);
    const options = parseSingleOptions(params, idParam);
    const statement = await this.statements.get(id, idParam === 'voidedStatementId', credential);
    const consistentThrough = this.repo.consistentThrough();
    const response = await this.respond(statement, [statement], options, acceptLanguage, consistentThrough);
    return { ...response, lastModified: new Date(statement.stored).toUTCString() };
  }

  private async query(params: Params, credential: Credential, acceptLanguage: string | undefined) {
    const { more } = params;
    let state;
    if (more !== undefined) {
      const others = Object.keys(params).filter((k) => k !== 'more');
      if (typeof more !== 'string' || others.length > 0) {
        throw new LrsException(
          LrsErrorCode.InvalidParameter,
          `give the more cursor alone (not with ${others.join(', ')})`,
        );
      }
      state = this.cursors.decode(more, credential.key);
    }
    const query = state?.query ?? parseStatementQuery(params);
    // Acknowledged statements still in the journal are moved first: a query sees every acknowledged statement.
    if (this.repo.journal.oldestPending() !== undefined) await this.repo.journal.moveNow();
    // Read before the query runs: every statement stored before it is in ClickHouse when the query reads.
    const consistentThrough = this.repo.consistentThrough();
    // Ascending pages stop at what is consistent, or a statement still being written could land behind the cursor.
    if (query.ascending && query.until === undefined) query.until = consistentThrough.getTime();
    const authority = mineOnly(credential) ? authorityKey(credential.authority) : undefined;
    const page = await this.reader.query(query, state?.after, authority);
    const next = page.next
      ? `${STATEMENTS_PATH}?more=${this.cursors.encode({ query, after: page.next, key: credential.key })}`
      : '';
    return this.respond(
      { statements: page.statements, more: next },
      page.statements,
      query,
      acceptLanguage,
      consistentThrough,
    );
  }

  /** The JSON answer, formatted; multipart/mixed with each attachment content once when asked for (1.5.2). */
  private async respond(
    result: StoredStatement | { statements: StoredStatement[]; more: string },
    statements: StoredStatement[],
    options: { format: StatementFormat; attachments: boolean },
    acceptLanguage: string | undefined,
    consistentThrough: Date,
  ): Promise<StatementsResponse> {
    const format = (s: StoredStatement) => formatStatement(s, options.format, acceptLanguage);
    const formatted =
      'statements' in result ? { ...result, statements: result.statements.map(format) } : format(result);
    const json = JSON.stringify(formatted);
    if (!options.attachments) {
      return { contentType: 'application/json; charset=utf-8', body: Buffer.from(json), consistentThrough };
    }
    const sha2s = [...new Set(statements.flatMap((s) => (s.attachments ?? []).map((a) => a.sha2.toLowerCase())))];
    const { contentType, body } = buildMultipart(json, await this.attachments.contents(sha2s));
    return { contentType, body, consistentThrough };
  }
}
