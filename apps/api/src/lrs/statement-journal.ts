import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import { STATEMENT_ROW_COLUMNS, type StatementRow, type StoredStatement, compactRow } from '@ent-observatory/xapi';
import type { Logger } from 'pino';
import { bumpDataGeneration } from '../common/data-generation.js';

interface Generation {
  key: number;
  file: string;
  handle: Promise<FileHandle> | undefined;
  /** Appends are chained: a failed one is cut off the file (truncate to `size`) before the next starts. */
  tail: Promise<void>;
  size: number;
  rows: StatementRow[];
  /** Writes into this generation still running: it is moved only once they have all ended. */
  writing: number;
  drained: (() => void)[];
  /** Oldest `stored` (ms) it holds: statements here are not yet visible to queries on `statements`. */
  oldestStored: number;
  /** Failed moves so far: a failed insert may still have landed (a lost answer), so retries check first. */
  attempts: number;
}

/**
 * The statement journal: small group-commit writes are acknowledged once appended and fsynced to a local file
 * (measured here: 0.24 ms for 29 kB, against 10–30 ms for the smallest fsynced ClickHouse insert), then moved into
 * `statements` one generation at a time in one large insert. Until moved they are held in memory too, so the LRS
 * sees its own acknowledged writes (reads by id, duplicate checks, voiding). A file is deleted only after its rows
 * are in ClickHouse; files left by a stopped process are moved at start (recover), copying only what is missing.
 */
export class StatementJournal {
  private current = Date.now();
  private readonly generations = new Map<number, Generation>();
  private readonly byId = new Map<string, StatementRow>();
  private readonly voidedTargets = new Map<string, number>();
  private moving: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly dir: string;

  constructor(
    private readonly warehouse: Warehouse,
    private readonly logger: Logger,
    dataDir: string,
    /** How long statements may wait in the journal before being moved (their query visibility delay). */
    private readonly moveEveryMs: number,
    /**
     * Builds a statement's row, enrichment included (EnrichmentService.row): recovered lines hold the raw
     * statement only, and must reach ClickHouse enriched like rows written by requests.
     */
    private readonly toRow: (statement: StoredStatement) => StatementRow,
  ) {
    this.dir = join(dataDir, 'journal');
  }

  /**
   * Moves what a previous process left (createApp took the journal lock first). A torn last line was never
   * acknowledged (no fsync completed) and is skipped; a statement written twice (a failed, unacknowledged append
   * retried with other content) keeps its last line. A file ClickHouse refuses is set aside in `failed/` so the
   * LRS still starts (logged as an error: its statements were acknowledged).
   */
  async recover(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    await syncDirectory(this.dir);
    const files = readdirSync(this.dir).filter((f) => /^gen-\d+\.ndjson$/.test(f));
    for (const file of files) {
      const path = join(this.dir, file);
      const byId = new Map<string, unknown[]>();
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        try {
          if (line) {
            const row = compactRow(this.toRow(JSON.parse(line) as StoredStatement));
            byId.set(row[0] as string, row);
          }
        } catch {
          // a torn line: never acknowledged
        }
      }
      try {
        await this.insertMissing([...byId.values()]);
        rmSync(path);
      } catch (e) {
        mkdirSync(join(this.dir, 'failed'), { recursive: true });
        renameSync(path, join(this.dir, 'failed', file));
        this.logger.error({ err: e, file }, 'journal file could not be moved into ClickHouse; set aside in failed/');
      }
    }
    if (files.length > 0) this.logger.info({ files: files.length }, 'moved statements left in the journal');
    this.timer = setInterval(
      () => void this.moveNow().catch((e: unknown) => this.logger.error({ err: e }, 'journal move failed')),
      this.moveEveryMs,
    );
    this.timer.unref();
  }

  /** Appends rows to the current generation and fsyncs them: resolves once they are durable. */
  async write(rows: StatementRow[]): Promise<void> {
    const gen = this.generation(this.current);
    gen.writing += 1;
    try {
      const append = gen.tail.then(() => this.append(gen, rows));
      gen.tail = append.catch(() => undefined);
      await append;
      for (const r of rows) {
        gen.rows.push(r);
        gen.oldestStored = Math.min(gen.oldestStored, Date.parse(`${r.stored.replace(' ', 'T')}Z`));
        this.byId.set(r.id, r);
        if (r.voiding_target)
          this.voidedTargets.set(r.voiding_target, (this.voidedTargets.get(r.voiding_target) ?? 0) + 1);
      }
    } finally {
      gen.writing -= 1;
      if (gen.writing === 0) for (const wake of gen.drained.splice(0)) wake();
    }
  }

  /**
   * One stored statement per line (its row is derived from it again on recovery, cheaper than escaping the row,
   * whose raw column is that same JSON). A short write or failed sync is cut off the file, so that nothing
   * unacknowledged stays in the journal; if even that fails, later writes go to a new generation.
   */
  private async append(gen: Generation, rows: StatementRow[]): Promise<void> {
    const fh = await this.handleOf(gen);
    const data = Buffer.from(rows.map((r) => `${r.raw}\n`).join(''), 'utf8');
    try {
      const { bytesWritten } = await fh.write(data, 0, data.length, null);
      if (bytesWritten !== data.length)
        throw new Error(`journal: short write (${bytesWritten} of ${data.length} bytes)`);
      await fh.datasync();
      gen.size += data.length;
    } catch (e) {
      await fh.truncate(gen.size).catch(() => {
        if (this.current === gen.key) this.current += 1;
      });
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
  find(id: string): StatementRow | undefined {
    return this.byId.get(id);
  }

  /** Whether a journaled (not yet moved) statement voids `id`. */
  voids(id: string): boolean {
    return this.voidedTargets.has(id);
  }

  /** The oldest `stored` not yet in `statements`, or undefined when the journal is empty. */
  oldestPending(): number | undefined {
    let oldest: number | undefined;
    for (const g of this.generations.values()) {
      if (g.rows.length > 0 && (oldest === undefined || g.oldestStored < oldest)) oldest = g.oldestStored;
    }
    return oldest;
  }

  /** Moves every generation written so far into `statements` (also what tests call to see all writes there). */
  async moveNow(): Promise<void> {
    while (this.moving) await this.moving;
    if (this.generations.size === 0) return;
    this.current += 1; // new writes go to the next generation from now on
    this.moving = (async () => {
      let failure: Error | undefined;
      for (const [key, g] of [...this.generations].filter(([k]) => k < this.current)) {
        if (g.writing > 0) await new Promise<void>((r) => g.drained.push(r));
        try {
          await this.move(g);
          this.generations.delete(key);
        } catch (e) {
          // Kept for the next round; later generations still move (their order does not matter).
          g.attempts += 1;
          failure ??= e instanceof Error ? e : new Error(String(e));
        }
      }
      if (failure !== undefined) throw failure;
    })().finally(() => (this.moving = undefined));
    await this.moving;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.moveNow();
  }

  private generation(key: number): Generation {
    let g = this.generations.get(key);
    if (!g) {
      const file = join(this.dir, `gen-${key}.ndjson`);
      g = {
        key,
        file,
        handle: undefined,
        tail: Promise.resolve(),
        size: 0,
        rows: [],
        writing: 0,
        drained: [],
        oldestStored: Infinity,
        attempts: 0,
      };
      this.generations.set(key, g);
    }
    return g;
  }

  private async move(g: Generation): Promise<void> {
    const values = g.rows.map(compactRow);
    if (g.attempts > 0) await this.insertMissing(values);
    else if (values.length > 0) await this.insert(values);
    if (g.handle) await (await g.handle.catch(() => undefined))?.close();
    rmSync(g.file, { force: true });
    for (const r of g.rows) {
      this.byId.delete(r.id);
      if (r.voiding_target) {
        const left = (this.voidedTargets.get(r.voiding_target) ?? 1) - 1;
        if (left > 0) this.voidedTargets.set(r.voiding_target, left);
        else this.voidedTargets.delete(r.voiding_target);
      }
    }
  }

  /** Inserts the rows whose ids are not in `statements` yet (after a crash or a failed attempt). */
  private async insertMissing(values: unknown[][]): Promise<void> {
    if (values.length === 0) return;
    const ids = values.map((v) => v[0] as string);
    const present = await queryRows<{ id: string }>(
      this.warehouse.client,
      `SELECT id FROM ${TABLES.statements} WHERE id IN {ids:Array(UUID)}`,
      { ids },
    );
    const there = new Set(present.map((p) => p.id));
    const missing = values.filter((v) => !there.has(v[0] as string));
    if (missing.length > 0) await this.insert(missing);
  }

  private async insert(values: unknown[][]): Promise<void> {
    await this.warehouse.client.insert({
      table: TABLES.statements,
      values,
      format: 'JSONCompactEachRow',
      columns: [...STATEMENT_ROW_COLUMNS],
    });
    bumpDataGeneration();
  }
}

/** fsync of a directory: makes a created or removed entry durable. */
async function syncDirectory(dir: string): Promise<void> {
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
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
