import type { JournalRow, LrsErrorCode, PendingStatement } from '@ent-observatory/lrs/pure';
import type { Actor, EstablishmentTerritory, Problem, XapiVersion } from '@ent-observatory/xapi';

/** What each preparation thread starts with (sent once): the pseudonymisation key and the directory snapshot. */
export interface PrepareSetup {
  keySecret: Uint8Array;
  snapshot: [string, EstablishmentTerritory][];
}

/** One POST body to prepare, moved to the thread, and the request's context (`stored` in ms). */
export interface PrepareJob {
  body: Uint8Array;
  ctx: { authority: Actor; stored: number; version: XapiVersion };
}

/**
 * A request's prepared statements as they cross back: the journal lines in one buffer (moved, not copied) and the
 * rest per statement. A structured clone of one small object per statement is cheap; of a line buffer each, it
 * would copy a whole pooled allocation per line.
 */
export interface PackedPending {
  lines: Uint8Array;
  /** Line i is lines[offsets[i], offsets[i + 1]). */
  offsets: Uint32Array;
  statements: (Omit<PendingStatement, 'row'> & { row: Omit<JournalRow, 'line'> })[];
}

/** A thread's answer: the statements counted, and their preparation or the error the request gets. */
export type ThreadPrepared =
  | { count: number; packed: PackedPending }
  | { count: number; error: { code: LrsErrorCode; message: string; details: Problem[] } };

export function packPending(pending: readonly PendingStatement[]): PackedPending {
  const offsets = new Uint32Array(pending.length + 1);
  pending.forEach((p, i) => (offsets[i + 1] = (offsets[i] as number) + p.row.line.byteLength));
  const lines = new Uint8Array(offsets[pending.length] as number);
  pending.forEach((p, i) => lines.set(p.row.line, offsets[i]));
  return {
    lines,
    offsets,
    statements: pending.map(({ row: { line: _line, ...row }, ...rest }) => ({ ...rest, row })),
  };
}

export function unpackPending({ lines, offsets, statements }: PackedPending): PendingStatement[] {
  const all = Buffer.from(lines.buffer, lines.byteOffset, lines.byteLength);
  return statements.map((s, i) => ({
    ...s,
    row: { ...s.row, line: all.subarray(offsets[i], offsets[i + 1]) },
  }));
}
