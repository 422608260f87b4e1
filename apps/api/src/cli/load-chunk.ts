import {
  type Actor,
  type EstablishmentTerritory,
  type PseudonymKey,
  type XapiVersion,
  createPseudonymKey,
  enrichedRow,
  isObject,
} from '@ent-observatory/xapi';
import { LrsException, type PendingStatement, prepareWrite } from '@ent-observatory/lrs/pure';
import { packBytes } from '../common/worker-pool.js';

/** What a loader thread needs to turn lines into rows exactly as the LRS would (sent once to each worker). */
export interface ChunkSetup {
  /** The pseudonymisation key's secret (resolvePseudonymizationKey): the LRS's own, so pseudonyms match. */
  keySecret: string;
  /** The directory snapshot for enrichment, UAI in upper case. */
  snapshot: [string, EstablishmentTerritory][];
  authority: Actor;
  version: XapiVersion;
}

/** Lines of one file, numbered from `firstLine` (1-based, empty lines counted). */
export interface Chunk {
  seq: number;
  file: string;
  firstLine: number;
  lines: string[];
  /** `stored` of the chunk's statements (ms): one instant per chunk, as one per request in the LRS. */
  stored: number;
}

export interface RejectedLine {
  file: string;
  line: number;
  reason: string;
}

/** A chunk made into rows: JSONCompactEachRow lines of `statements`, one per accepted statement, in line order. */
export interface ChunkResult {
  seq: number;
  file: string;
  ids: string[];
  lineNumbers: number[];
  /** 1 when the statement carried its own timestamp (the duplicate rule needs it). */
  timestampSent: Uint8Array;
  /** The rows, concatenated; row i is rows[offsets[i], offsets[i + 1]). */
  rows: Uint8Array;
  offsets: Uint32Array;
  rejected: RejectedLine[];
}

/** Per thread: the key (its pseudonym cache) and snapshot built once. */
export function chunkProcessor(setup: ChunkSetup): (chunk: Chunk) => ChunkResult {
  const key: PseudonymKey = createPseudonymKey(setup.keySecret);
  const snapshot = new Map(setup.snapshot);
  return (chunk) => {
    const ids: string[] = [];
    const lineNumbers: number[] = [];
    const timestampSent: number[] = [];
    const rows: Uint8Array[] = [];
    const rejected: RejectedLine[] = [];
    const ctx = { authority: setup.authority, stored: new Date(chunk.stored), version: setup.version };
    chunk.lines.forEach((text, i) => {
      const line = chunk.firstLine + i;
      if (text.trim() === '') return;
      const reject = (reason: string) => rejected.push({ file: chunk.file, line, reason });
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        return reject(`not JSON (${(e as Error).message})`);
      }
      if (!isObject(value)) return reject('not a statement: one JSON object per line');
      try {
        // The LRS's own preparation (statement-write.ts): same checks, same row, same journal line.
        const [pending] = prepareWrite(value, false, ctx, (s) => enrichedRow(s, { snapshot, key }));
        const { row, timestampSent: sent } = pending as PendingStatement;
        rows.push(row.line);
        ids.push(row.id);
        timestampSent.push(sent ? 1 : 0);
      } catch (e) {
        if (!(e instanceof LrsException)) throw e;
        const problems = e.details.map((p) => `${p.path} ${p.message}`).join('; ');
        return reject(problems || e.message);
      }
      lineNumbers.push(line);
    });
    const { bytes, offsets } = packBytes(rows);
    return {
      seq: chunk.seq,
      file: chunk.file,
      ids,
      lineNumbers,
      timestampSent: Uint8Array.from(timestampSent),
      rows: bytes,
      offsets,
      rejected,
    };
  };
}
