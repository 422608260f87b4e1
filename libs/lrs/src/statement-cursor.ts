import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LrsErrorCode, LrsException } from './lrs.exception.js';
import type { StatementQuery } from './statement-query.js';

/** Where the next page starts: after this (stored, id) in the query's order. */
export interface PagePosition {
  /** ClickHouse DateTime64(3) text, as read. */
  stored: string;
  id: string;
}

/** Everything a `more` IRL needs, so that it keeps working without server state (and across restarts). */
export interface CursorState {
  query: StatementQuery;
  after: PagePosition;
  /** The credential that asked: a cursor is not a way to read with another credential's rights. */
  key: string;
}

const SECRET_FILE = 'more-cursor.key';

/**
 * Stateless `more` cursors: the query and position, base64url JSON, HMAC-SHA256-signed with a key generated once
 * into DATA_DIR. A cursor never expires (the spec asks for at least 24 hours) and cannot be forged or edited.
 */
export class StatementCursors {
  private readonly secret: Buffer;

  constructor(dataDir: string) {
    const file = join(dataDir, SECRET_FILE);
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    }
    this.secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  }

  encode(state: CursorState): string {
    const body = Buffer.from(JSON.stringify(state)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  decode(cursor: string, key: string): CursorState {
    const [body = '', signature = ''] = cursor.split('.');
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new LrsException(LrsErrorCode.InvalidParameter, 'more is not a cursor this LRS issued (or it was altered)');
    }
    const state = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as CursorState;
    if (state.key !== key) {
      throw new LrsException(LrsErrorCode.Forbidden, 'this more cursor was issued to another credential');
    }
    return state;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
