import {
  type Json,
  type PrepareContext,
  type StatementRow,
  type StoredStatement,
  followUpProblem,
  prepareStatement,
} from '@ent-observatory/xapi';
import { journalLine } from './journal-files.js';
import { LrsErrorCode, LrsException } from './lrs.exception.js';
import { writeProblems } from './statement-checks.js';

/** What the journal keeps of a row until it is moved (look-ups, voiding, Consistent-Through), and its line. */
export interface JournalRow {
  id: string;
  /** The stored statement's JSON: what a GET, and a later statement with the same id, are answered from. */
  raw: string;
  stored: string;
  voiding_target: string | null;
  /** The row as the journal writes it and ClickHouse receives it (journalLine, UTF-8). */
  line: Uint8Array;
}

export function journalRow(row: StatementRow): JournalRow {
  return {
    id: row.id,
    raw: row.raw,
    stored: row.stored,
    voiding_target: row.voiding_target,
    line: Buffer.from(journalLine(row), 'utf8'),
  };
}

/** What the LRS's metrics count of a statement it writes (MetricsService). */
export interface WriteNotes {
  /** It names an establishment the directory does not know. */
  unknownUai: boolean;
  /** Its service is outside the ENT profile's list. */
  outsideProfile: boolean;
  /** The follow-up profile rule it breaks, or ''. */
  profileRule: string;
}

/** A statement ready to store, and whether its timestamp came from the client (it matters for "same statement"). */
export interface PendingStatement {
  /**
   * Its `statements` row, built while its request is prepared (in the request or on a preparation thread), so that
   * a statement which cannot be serialised fails its own request, not the group write it would have joined.
   */
  row: JournalRow;
  timestampSent: boolean;
  /** Whether the client chose the id: only such ids can already exist (the LRS's own are fresh UUIDs). */
  idSent: boolean;
  notes: WriteNotes;
}

/**
 * A write request's statements checked, prepared and made into rows, or an LrsException saying what to fix and
 * nothing prepared. The same function runs in the request (PUT, multipart, small bodies), on the API's preparation
 * threads (statement-preparer.ts) and for each line of the bulk loader (`cli load`), so all three answer alike.
 */
export function prepareWrite(
  body: unknown,
  multipart: boolean,
  ctx: PrepareContext,
  toRow: (s: StoredStatement) => StatementRow,
): PendingStatement[] {
  const statements = (Array.isArray(body) ? body : [body]) as Json[];
  // What JSON allows but no store keeps as sent is refused here too, before anything is acknowledged.
  const problems = writeProblems(body, ctx.version, multipart);
  if (problems.length > 0) {
    const count = `${problems.length} problem${problems.length > 1 ? 's' : ''}`;
    throw new LrsException(
      LrsErrorCode.InvalidStatement,
      `the request was rejected, nothing was stored: ${count}`,
      problems,
    );
  }
  try {
    return statements.map((s) => {
      const statement = prepareStatement(s, ctx);
      const row = toRow(statement);
      return {
        row: journalRow(row),
        timestampSent: s.timestamp !== undefined,
        idSent: s.id !== undefined,
        notes: {
          unknownUai: row.uai !== '' && row.uai_known === 0,
          outsideProfile: row.ent_service === 'autre',
          profileRule: followUpProblem(statement),
        },
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
