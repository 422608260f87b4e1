import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { type FileHandle, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TABLES, type Warehouse, insertLinesOnce, isDataError } from '@ent-observatory/warehouse';
import { STATEMENT_ROW_COLUMNS, type StatementRow, type StoredStatement } from '@ent-observatory/xapi';
import type { Logger } from 'pino';
import { reconcileScope } from './derived-tables.js';
import {
  JOURNAL_FILE,
  JournalQuarantine,
  checkLine,
  journalLine,
  lineId,
  lineScope,
  splitLines,
  syncDirectory,
} from './journal-files.js';
import type { JournalRow } from './statement-write.js';

interface Generation {
  /** File stem, unique across processes and restarts: it is the deduplication token of the generation's insert. */
  name: string;
  file: string;
  handle: Promise<FileHandle> | undefined;
  /** Appends are chained: a failed one is cut off the file (truncate to `size`) before the next starts. */
  tail: Promise<void>;
  /** Bytes of complete, acknowledged appends. */
  size: number;
  /** What is kept of each row until the move (its line is in the file). */
  rows: KeptRow[];
  /** Appends into this generation still running: it is moved only once they have all ended. */
  writing: number;
  drained: (() => void)[];
  /** Oldest `stored` (ms) it holds: statements here are not yet visible to queries on `statements`. */
  oldestStored: number;
  /** No more appends: waiting to be moved. */
  sealed: boolean;
}

export interface JournalOptions {
  /** How long statements may wait in the journal before being moved (their query visibility delay). */
  moveEveryMs: number;
  /** A generation is sealed and moved as soon as it holds this many rows: one insert per generation. */
  generationRows: number;
  /** Rows acknowledged and not yet moved beyond which writers wait (memory bound, backpressure). */
  maxPendingRows: number;
}

export interface JournalMetrics {
  quarantined(held: number, added: number): void;
  moveFailed(): void;
  /** A table found out of step with `statements` for a replayed file, and rewritten (reconcileScope). */
  repaired(table: string): void;
}

/** What the journal keeps of a row until it is moved: its line is in the file. */
type KeptRow = Omit<JournalRow, 'line'>;

/**
 * The statement journal, the LRS's write-ahead log: every write is acknowledged once its rows are appended and
 * fsynced to a local file (a fraction of a millisecond, against 10–30 ms for the smallest fsynced ClickHouse insert),
 * then moved into `statements` one generation at a time, in one insert carrying the generation's name as its
 * deduplication token. Until moved, rows are held in memory too, so the LRS sees its own acknowledged writes (reads by
 * id, duplicate checks, voiding).
 *
 * Crash safety: a file is deleted only after its insert returned, i.e. after `statements` and every table its
 * materialized views feed hold its rows. A file left by a crash is replayed at start with the same token: ClickHouse
 * skips what had landed (in `statements` and in each derived table separately) and writes what had not, so every
 * table ends with each statement exactly once. The file holds the rows exactly as inserted, so a replay is the same
 * insert.
 */
export class StatementJournal {
  private readonly generations: Generation[] = [];
  private readonly byId = new Map<string, KeptRow>();
  private readonly voidedTargets = new Map<string, number>();
  private pending = 0;
  private roomWaiters: (() => void)[] = [];
  private moving: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sequence = 0;
  private readonly dir: string;
  private readonly quarantine: JournalQuarantine;

  constructor(
    private readonly warehouse: Warehouse,
    private readonly logger: Logger,
    dataDir: string,
    private readonly options: JournalOptions,
    private readonly metrics: JournalMetrics,
    /** Builds a row from a stored statement: only for lines of journals written before rows were journaled. */
    private readonly toRow: (statement: StoredStatement) => StatementRow,
    /** Called after every insert into `statements` (a move, a replay). */
    private readonly onDataChanged: () => void,
  ) {
    this.dir = join(dataDir, 'journal');
    this.quarantine = new JournalQuarantine(join(this.dir, 'quarantine'), (held, added) =>
      this.metrics.quarantined(held, added),
    );
  }

  /**
   * Replays what a previous process left (createApp took the journal lock first), oldest first, before the LRS
   * answers anything. Only a last line without its newline is dropped: its append never completed, so it was never
   * acknowledged. A line that is not a row is quarantined, never dropped.
   */
  async recover(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    await syncDirectory(this.dir);
    await this.quarantine.count();
    const leftovers = [
      ...readdirSync(this.dir)
        .filter((f) => JOURNAL_FILE.test(f))
        .map((f) => join(this.dir, f)),
      ...this.setAsideByEarlierVersions(),
    ].sort();
    for (const path of leftovers) await this.replay(path);
    if (leftovers.length > 0) this.logger.info({ files: leftovers.length }, 'replayed the journal left at stop');
    this.timer = setInterval(() => void this.moveInBackground(), this.options.moveEveryMs);
    this.timer.unref();
  }

  /** Files an earlier version moved to `failed/` when ClickHouse refused them: acknowledged, so replayed too. */
  private setAsideByEarlierVersions(): string[] {
    const failed = join(this.dir, 'failed');
    if (!existsSync(failed)) return [];
    return readdirSync(failed)
      .filter((f) => JOURNAL_FILE.test(f))
      .map((f) => join(failed, f));
  }

  private async replay(path: string): Promise<void> {
    const name = (path.split('/').pop() as string).replace(/\.ndjson$/, '');
    const { lines, torn } = splitLines(readFileSync(path));
    if (torn > 0)
      this.logger.warn({ file: path, bytes: torn }, 'journal: dropped a torn last line (never acknowledged)');
    const rows: Buffer[] = [];
    const bad: Buffer[] = [];
    for (const line of lines) {
      const check = checkLine(line);
      if (check.kind === 'row') rows.push(line);
      else if (check.kind === 'legacy') rows.push(Buffer.from(journalLine(this.toRow(check.statement)), 'utf8'));
      else bad.push(line);
    }
    if (bad.length > 0) {
      this.logger.error({ file: path, lines: bad.length }, 'journal: lines that are not statements were quarantined');
      await this.quarantine.put(name, bad);
    }
    const refused = await this.insertOrIsolate(Buffer.concat(rows), name, rows);
    const inserted = rows.filter((r) => !refused.has(r));
    await this.reconcile(inserted, name, path);
    this.onDataChanged();
    rmSync(path);
    await syncDirectory(this.dir);
  }

  /**
   * A replay cannot be trusted alone: a table may have recorded the file's token without its rows (kill -9 between
   * the two), and would skip the replay. Every table is compared with the file's rows, and what differs rewritten,
   * before the file is deleted.
   */
  private async reconcile(lines: Buffer[], name: string, path: string): Promise<void> {
    const byId = new Map<string, Buffer>();
    for (const line of lines) {
      const id = lineId(line);
      if (id !== undefined) byId.set(id, line);
    }
    const repairs = await reconcileScope(this.warehouse, lineScope(lines), async (missing) => {
      const again = [...missing].map((id) => byId.get(id) as Buffer);
      // A fresh token: the file's own is what the table recorded without keeping the rows.
      await insertLinesOnce(
        this.warehouse,
        TABLES.statements,
        STATEMENT_ROW_COLUMNS,
        Buffer.concat(again),
        `${name}.repair-${randomBytes(6).toString('hex')}`,
      );
    });
    for (const r of repairs) {
      this.metrics.repaired(r.table);
      this.logger.warn(
        { file: path, table: r.table, found: r.found, expected: r.expected },
        'journal: a table was out of step with the replayed statements after a crash; rewritten from statements',
      );
    }
  }

  /** Rows acknowledged and not yet in ClickHouse. */
  get pendingRows(): number {
    return this.pending;
  }

  /** Waits until the journal has room for `n` more rows (a write larger than the bound is let in alone). */
  async room(n: number): Promise<void> {
    while (this.pending > 0 && this.pending + n > this.options.maxPendingRows) {
      void this.moveInBackground();
      await new Promise<void>((r) => this.roomWaiters.push(r));
    }
  }

  /** Appends rows to the current generation and fsyncs them: resolves once they are durable. */
  async write(rows: readonly JournalRow[]): Promise<void> {
    const gen = this.current();
    gen.writing += 1;
    this.pending += rows.length;
    let durable = false;
    try {
      const data = Buffer.concat(rows.map((r) => r.line));
      const append = gen.tail.then(() => this.append(gen, data));
      gen.tail = append.catch(() => undefined);
      await append;
      durable = true;
      for (const { id, raw, stored, voiding_target } of rows) {
        // Without its line (it is in the file): a thread's lines share one buffer per request.
        const r = { id, raw, stored, voiding_target };
        gen.rows.push(r);
        gen.oldestStored = Math.min(gen.oldestStored, Date.parse(`${r.stored.replace(' ', 'T')}Z`));
        this.byId.set(r.id, r);
        if (r.voiding_target)
          this.voidedTargets.set(r.voiding_target, (this.voidedTargets.get(r.voiding_target) ?? 0) + 1);
      }
    } finally {
      if (!durable) this.pending -= rows.length;
      gen.writing -= 1;
      if (gen.writing === 0) for (const wake of gen.drained.splice(0)) wake();
    }
    if (gen.rows.length >= this.options.generationRows) {
      gen.sealed = true;
      void this.moveInBackground();
    }
  }

  /**
   * A short write or failed sync is cut off the file, so that nothing unacknowledged stays in the journal; if even
   * that fails, the generation is sealed and later writes go to a new one.
   */
  private async append(gen: Generation, data: Buffer): Promise<void> {
    const fh = await this.handleOf(gen);
    try {
      const { bytesWritten } = await fh.write(data, 0, data.length, null);
      if (bytesWritten !== data.length)
        throw new Error(`journal: short write (${bytesWritten} of ${data.length} bytes)`);
      await fh.datasync();
      gen.size += data.length;
    } catch (e) {
      await fh.truncate(gen.size).catch(() => (gen.sealed = true));
      throw e;
    }
  }

  /** The generation's file, created on first use with its directory entry synced (or a power cut could lose it). */
  private handleOf(gen: Generation): Promise<FileHandle> {
    gen.handle ??= (async () => {
      const fh = await open(gen.file, 'a');
      await syncDirectory(this.dir);
      return fh;
    })().catch((e: unknown) => {
      gen.handle = undefined; // a failed open is retried by the next write
      throw e;
    });
    return gen.handle;
  }

  /** A journaled statement's row, if it is still waiting to be moved. */
  find(id: string): KeptRow | undefined {
    return this.byId.get(id);
  }

  /** Whether a journaled (not yet moved) statement voids `id`. */
  voids(id: string): boolean {
    return this.voidedTargets.has(id);
  }

  /** The oldest `stored` not yet in `statements`, or undefined when the journal is empty. */
  oldestPending(): number | undefined {
    let oldest: number | undefined;
    for (const g of this.generations) {
      if (g.rows.length > 0 && (oldest === undefined || g.oldestStored < oldest)) oldest = g.oldestStored;
    }
    return oldest;
  }

  /** Moves every generation written so far into `statements` (statement queries and tests call it). */
  async moveNow(): Promise<void> {
    // Only what is written so far: under a steady load, new generations must not keep a reader waiting forever.
    const targets = new Set(this.generations);
    const last = this.generations[this.generations.length - 1];
    if (last) last.sealed = true;
    while (this.generations.some((g) => targets.has(g))) {
      this.moving ??= this.moveSealed().finally(() => (this.moving = undefined));
      await this.moving;
    }
  }

  /** The timer's and the size trigger's move: failures are logged and retried on the next round. */
  private async moveInBackground(): Promise<void> {
    try {
      await this.moveNow();
    } catch (e) {
      this.metrics.moveFailed();
      this.logger.error({ err: e }, 'journal move failed; retrying');
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.moveNow();
  }

  private current(): Generation {
    const last = this.generations[this.generations.length - 1];
    if (last && !last.sealed) return last;
    // Time first, so that files sort in write order; random, so that no two processes or restarts share a token.
    const name = `gen-${Date.now().toString(36)}-${(this.sequence++).toString(36)}-${randomBytes(6).toString('hex')}`;
    const gen: Generation = {
      name,
      file: join(this.dir, `${name}.ndjson`),
      handle: undefined,
      tail: Promise.resolve(),
      size: 0,
      rows: [],
      writing: 0,
      drained: [],
      oldestStored: Infinity,
      sealed: false,
    };
    this.generations.push(gen);
    return gen;
  }

  /** Moves the sealed generations in order; a failure stops the round (the next one retries from there). */
  private async moveSealed(): Promise<void> {
    for (const g of this.generations.filter((x) => x.sealed)) {
      if (g.writing > 0) await new Promise<void>((r) => g.drained.push(r));
      await this.move(g);
      this.generations.splice(this.generations.indexOf(g), 1);
    }
  }

  private async move(g: Generation): Promise<void> {
    if (g.size > 0) {
      // The file's bytes are the insert: split into lines only if ClickHouse refuses some.
      await this.insertOrIsolate((await readFile(g.file)).subarray(0, g.size), g.name);
      this.onDataChanged();
    }
    if (g.handle) await (await g.handle.catch(() => undefined))?.close();
    await rm(g.file, { force: true });
    for (const r of g.rows) {
      this.byId.delete(r.id);
      if (r.voiding_target) {
        const left = (this.voidedTargets.get(r.voiding_target) ?? 1) - 1;
        if (left > 0) this.voidedTargets.set(r.voiding_target, left);
        else this.voidedTargets.delete(r.voiding_target);
      }
    }
    this.pending -= g.rows.length;
    for (const wake of this.roomWaiters.splice(0)) wake();
  }

  /**
   * Inserts `data` (whole lines: `lines`, split from it when not given) exactly once (token); if ClickHouse refuses
   * the data itself, halves the lines until the refused rows are alone and quarantines those, so one poison row never
   * blocks the others. The halves' tokens derive from their position, so a crash during this is replayed the same
   * way. Returns the lines refused.
   */
  private async insertOrIsolate(data: Buffer, token: string, lines?: Buffer[]): Promise<Set<Buffer>> {
    if (data.length === 0) return new Set();
    try {
      await insertLinesOnce(this.warehouse, TABLES.statements, STATEMENT_ROW_COLUMNS, data, token);
      return new Set();
    } catch (e) {
      if (!isDataError(e)) throw e;
      const all = lines ?? splitLines(data).lines;
      if (all.length === 1) {
        this.logger.error(
          { err: e, id: lineId(all[0] as Buffer), token },
          'journal: ClickHouse refused an acknowledged statement; quarantined (see journal/quarantine)',
        );
        await this.quarantine.put(token, all);
        return new Set(all);
      }
      const halves = [all.slice(0, all.length >> 1), all.slice(all.length >> 1)];
      const refused = new Set<Buffer>();
      for (const [i, half] of halves.entries()) {
        for (const r of await this.insertOrIsolate(Buffer.concat(half), `${token}.${'ab'[i]}`, half)) refused.add(r);
      }
      return refused;
    }
  }
}

/**
 * One process per journal: another live process moving our files would duplicate statements. A lock left by a
 * process that is gone is taken over. Called before anything is opened, so a refused start leaves nothing behind.
 */
export function lockJournal(dataDir: string): void {
  const dir = join(dataDir, 'journal');
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, 'LOCK');
  try {
    const pid = Number(readFileSync(lock, 'utf8'));
    if (pid !== process.pid && isAlive(pid)) {
      throw new Error(`the LRS journal in ${dir} is used by process ${pid}: run one process per DATA_DIR`);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  writeFileSync(lock, String(process.pid));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
