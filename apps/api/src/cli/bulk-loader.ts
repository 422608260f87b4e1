import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { TABLES, type Warehouse, insertLinesOnce, isDataError, queryRows } from '@ent-observatory/warehouse';
import { STATEMENT_ROW_COLUMNS, type StoredStatement } from '@ent-observatory/xapi';
import { sameAsStored } from '@ent-observatory/lrs';
import { WorkerPool, threadScript } from '../common/worker-pool.js';
import { type Chunk, type ChunkResult, type ChunkSetup, type RejectedLine, chunkProcessor } from './load-chunk.js';

export interface LoadOptions {
  /** Rows per insert into `statements` (each insert also writes every table its materialized views feed). */
  blockRows: number;
  /** Threads validating and enriching (0: on the main thread). */
  workers: number;
  /** Lines handed to a thread at a time. */
  chunkLines: number;
}

export interface LoadProgress {
  /** Input settled so far (loaded, skipped or reported), in characters of its lines: about its bytes. */
  bytesDone: number;
  loaded: number;
}

export interface LoadSummary {
  lines: number;
  loaded: number;
  /** Same id and same content as a statement already stored (or earlier in the load): skipped. */
  duplicates: number;
  /** Same id, different content: reported, not stored. */
  conflicts: RejectedLine[];
  /** Lines that are not valid statements (or that ClickHouse refused): reported, not stored. */
  rejected: RejectedLine[];
  seconds: number;
}

/** Look-ups of existing ids per query: the ids travel in the query's parameters, which a server bounds in size. */
const LOOKUP_IDS = 5_000;

/** The block being gathered: accepted rows of consecutive chunks, in file order. */
interface Block {
  ids: string[];
  files: string[];
  lineNumbers: number[];
  timestampSent: number[];
  rows: Buffer[];
  /** Characters of the lines of the chunks gathered (progress). */
  chars: number;
}

function emptyBlock(): Block {
  return { ids: [], files: [], lineNumbers: [], timestampSent: [], rows: [], chars: 0 };
}

/**
 * The bulk loader behind `cli load`: NDJSON statements into `statements` with the LRS's own rules, faster than
 * POSTing them because it skips HTTP, the journal and group commit, and writes large blocks.
 *
 * - Lines are validated, prepared and enriched (same key, same directory snapshot) on worker threads, in chunks,
 *   while the main thread inserts the previous block: both cores work.
 * - Duplicate ids are settled per block on the main thread, in file order: against what is stored (which includes
 *   the earlier blocks of this load, inserted before the next block is checked) and within the block. Same content:
 *   skipped; different content: a conflict, reported with its line, not stored.
 * - A line that is not a valid statement is reported with its line number and skipped; the rest of the file loads.
 *   An LRS POST is all-or-nothing per request; here each line is its own request.
 * - Each block is one insert with a deduplication token; if ClickHouse refuses some rows, the block is halved until
 *   the refused rows are alone, and those are reported as rejected (like the journal's quarantine).
 *
 * Only one writer may add statements to a database at a time (the duplicate check assumes it): the command refuses
 * to run while an API accepts statements (load.command.ts).
 */
export class BulkLoader {
  private readonly runId = `load-${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
  private blocks = 0;
  private readonly summary: LoadSummary = {
    lines: 0,
    loaded: 0,
    duplicates: 0,
    conflicts: [],
    rejected: [],
    seconds: 0,
  };

  constructor(
    private readonly warehouse: Warehouse,
    private readonly setup: ChunkSetup,
    private readonly options: LoadOptions,
    private readonly onProgress: (p: LoadProgress) => void,
  ) {}

  async load(files: string[]): Promise<LoadSummary> {
    const started = performance.now();
    const script = this.options.workers > 0 ? threadScript(import.meta.url, 'load-worker') : undefined;
    if (this.options.workers > 0 && !script) throw new Error('load-worker.js is missing: run npm run build:server');
    const pool = script
      ? new WorkerPool<Chunk, ChunkResult>(script, this.options.workers, this.setup, 'a loader thread')
      : undefined;
    const inThread = pool ? undefined : chunkProcessor(this.setup);
    const processChunk = (chunk: Chunk): Promise<ChunkResult> =>
      pool ? pool.run(chunk) : Promise.resolve((inThread as (c: Chunk) => ChunkResult)(chunk));
    // Chunks in flight on the threads, consumed in order: at most two per thread, so memory stays bounded.
    const inFlight: Promise<ChunkResult>[] = [];
    const maxInFlight = Math.max(1, this.options.workers) * 2;
    let block = emptyBlock();
    let writing: Promise<void> = Promise.resolve();
    const chunkChars = new Map<number, number>();
    let charsDone = 0;
    const write = (full: Block) =>
      this.writeBlock(full).then(() => {
        charsDone += full.chars;
        this.onProgress({ bytesDone: charsDone, loaded: this.summary.loaded });
      });
    const consume = async (result: ChunkResult) => {
      this.summary.rejected.push(...result.rejected);
      block.chars += chunkChars.get(result.seq) ?? 0;
      chunkChars.delete(result.seq);
      const rows = Buffer.from(result.rows.buffer, result.rows.byteOffset, result.rows.byteLength);
      for (let i = 0; i < result.ids.length; i++) {
        block.ids.push(result.ids[i] as string);
        block.files.push(result.file);
        block.lineNumbers.push(result.lineNumbers[i] as number);
        block.timestampSent.push(result.timestampSent[i] as number);
        block.rows.push(rows.subarray(result.offsets[i], result.offsets[i + 1]));
      }
      if (block.ids.length >= this.options.blockRows) {
        // One insert at a time: the next block's duplicate check must see this one's rows.
        await writing;
        const full = block;
        block = emptyBlock();
        writing = write(full);
      }
    };
    try {
      let seq = 0;
      for (const file of files) {
        const stream = createReadStream(file, { highWaterMark: 1 << 20 });
        const reader = createInterface({ input: stream, crlfDelay: Infinity });
        let lines: string[] = [];
        let firstLine = 1;
        let lineNo = 0;
        const send = async () => {
          const chunk: Chunk = { seq: seq++, file, firstLine, lines, stored: Date.now() };
          this.summary.lines += lines.length;
          chunkChars.set(
            chunk.seq,
            lines.reduce((n, l) => n + l.length + 1, 0),
          );
          inFlight.push(processChunk(chunk));
          lines = [];
          firstLine = lineNo + 1;
          while (inFlight.length >= maxInFlight) await consume(await (inFlight.shift() as Promise<ChunkResult>));
        };
        for await (const text of reader) {
          lineNo++;
          lines.push(text);
          if (lines.length >= this.options.chunkLines) await send();
        }
        if (lines.length > 0) await send();
      }
      while (inFlight.length > 0) await consume(await (inFlight.shift() as Promise<ChunkResult>));
      await writing;
      await write(block);
    } finally {
      // A failure must not leave rejected promises unobserved nor threads running.
      await Promise.allSettled([writing, ...inFlight]);
      await pool?.close();
    }
    this.summary.seconds = (performance.now() - started) / 1000;
    return this.summary;
  }

  /** Settles the block's duplicate ids, then inserts what is new. */
  private async writeBlock(block: Block): Promise<void> {
    if (block.ids.length === 0) return;
    const stored = await this.storedAmong(block.ids);
    /** Ids of this block already kept, with their index: a second line with one is a duplicate or a conflict. */
    const kept = new Map<string, number>();
    const keep: number[] = [];
    const parsed = (i: number) => statementOfRow(block.rows[i] as Buffer);
    for (let i = 0; i < block.ids.length; i++) {
      const id = block.ids[i] as string;
      const earlier = kept.get(id);
      const previous = earlier !== undefined ? parsed(earlier) : stored.get(id);
      if (previous === undefined) {
        kept.set(id, i);
        keep.push(i);
      } else if (sameAsStored(previous, parsed(i), block.timestampSent[i] === 1)) {
        this.summary.duplicates++;
      } else {
        this.summary.conflicts.push({
          file: block.files[i] as string,
          line: block.lineNumbers[i] as number,
          reason: `statement ${id} already exists with different content; not stored`,
        });
      }
    }
    await this.insert(keep, block, `${this.runId}-${this.blocks++}`);
  }

  /** The stored statements among `ids` (look-up by id first: on a fresh load almost none exists). */
  private async storedAmong(ids: string[]): Promise<Map<string, StoredStatement>> {
    const found: string[] = [];
    for (let i = 0; i < ids.length; i += LOOKUP_IDS) {
      const rows = await queryRows<{ id: string }>(
        this.warehouse.client,
        `SELECT DISTINCT id FROM ${TABLES.statementsById} WHERE id IN {ids:Array(UUID)}`,
        { ids: ids.slice(i, i + LOOKUP_IDS) },
      );
      found.push(...rows.map((r) => r.id));
    }
    const stored = new Map<string, StoredStatement>();
    for (let i = 0; i < found.length; i += LOOKUP_IDS) {
      const rows = await queryRows<{ id: string; raw: string }>(
        this.warehouse.client,
        `SELECT id, any(raw) AS raw FROM ${TABLES.statementsById} WHERE id IN {ids:Array(UUID)} GROUP BY id`,
        { ids: found.slice(i, i + LOOKUP_IDS) },
      );
      for (const r of rows) stored.set(r.id, JSON.parse(r.raw) as StoredStatement);
    }
    return stored;
  }

  /** One insert; rows ClickHouse refuses are isolated by halving and reported, the others stored. */
  private async insert(indexes: number[], block: Block, token: string): Promise<void> {
    if (indexes.length === 0) return;
    try {
      await insertLinesOnce(
        this.warehouse,
        TABLES.statements,
        STATEMENT_ROW_COLUMNS,
        Buffer.concat(indexes.map((i) => block.rows[i] as Buffer)),
        token,
      );
      this.summary.loaded += indexes.length;
    } catch (e) {
      if (!isDataError(e)) throw e;
      if (indexes.length === 1) {
        const i = indexes[0] as number;
        this.summary.rejected.push({
          file: block.files[i] as string,
          line: block.lineNumbers[i] as number,
          reason: `refused by ClickHouse: ${(e as Error).message.split('\n')[0]}`,
        });
        return;
      }
      const half = indexes.length >> 1;
      await this.insert(indexes.slice(0, half), block, `${token}.a`);
      await this.insert(indexes.slice(half), block, `${token}.b`);
    }
  }
}

/** The stored statement of a JSONCompactEachRow row (its `raw` column). */
function statementOfRow(row: Buffer): StoredStatement {
  const columns = JSON.parse(row.toString('utf8')) as unknown[];
  return JSON.parse(columns[STATEMENT_ROW_COLUMNS.indexOf('raw')] as string) as StoredStatement;
}
