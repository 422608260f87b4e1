import type { JournalRow, LrsErrorCode, PendingStatement } from '@ent-observatory/lrs/pure';
import type { Actor, EstablishmentTerritory, Problem, XapiVersion } from '@ent-observatory/xapi';
import { packBytes } from '../common/worker-pool.js';

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

/** A request's prepared statements as they cross back: the journal lines in one buffer (packBytes), the rest per statement. */
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
  const { bytes, offsets } = packBytes(pending.map((p) => p.row.line));
  return {
    lines: bytes,
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
