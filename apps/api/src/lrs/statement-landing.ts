import { TABLES, type Warehouse, command, queryRows } from '@ent-observatory/warehouse';
import { STATEMENT_ROW_COLUMNS, type StatementRow, compactRow } from '@ent-observatory/xapi';
import type { Logger } from 'pino';

/**
 * The ClickHouse types of a landed row (libs/xapi compactRow: STATEMENT_ROW_COLUMNS order), matching the columns
 * of `statements` in migrations/001_statements.sql; the e2e tests read moved statements back through them.
 */
const ROW_TYPES = [
  'UUID',
  "DateTime64(3, ''UTC'')",
  "DateTime64(3, ''UTC'')",
  'String',
  'String',
  'String',
  'String',
  'String',
  'Nullable(UUID)',
  'String',
  'Nullable(UInt8)',
  'Nullable(UInt8)',
  'Nullable(Float64)',
  'Nullable(Float64)',
  'Nullable(Int64)',
  'Nullable(UUID)',
  'String',
  'String',
];
if (ROW_TYPES.length !== STATEMENT_ROW_COLUMNS.length)
  throw new Error('ROW_TYPES does not match STATEMENT_ROW_COLUMNS');
const ROW_TUPLE = `Tuple(${ROW_TYPES.join(', ')})`;

interface Generation {
  /** Writes into this generation still running: it is moved only once they have all ended. */
  writing: number;
  drained: (() => void)[];
  /** Oldest `stored` (ms) it holds: statements there are not yet visible to queries on `statements`. */
  oldestStored: number;
  /** Failed moves so far: a failed insert may still have landed (a lost answer), so retries check first. */
  attempts: number;
}

/**
 * The landing table (migrations/002): small writes are fsynced there, then moved into `statements` one
 * generation at a time. Generation numbers start at the process start time in ms and grow by one per move, so a
 * restarted process never reuses one that a previous process left behind (it moves those first, see recover()).
 */
export class StatementLanding {
  private current = Date.now();
  private readonly generations = new Map<number, Generation>();
  private moving: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly warehouse: Warehouse,
    private readonly logger: Logger,
    /** How long statements may wait in the landing table before being moved. */
    private readonly moveEveryMs: number,
  ) {}

  /** Moves what a previous process left: it may have copied a generation without dropping it, so check first. */
  async recover(): Promise<void> {
    const left = await queryRows<{ gen: string }>(this.warehouse.client, `SELECT DISTINCT gen FROM ${TABLES.landing}`);
    for (const { gen } of left) await this.move(Number(gen), true);
    if (left.length > 0) this.logger.info({ generations: left.length }, 'moved statements left in the landing table');
    this.timer = setInterval(
      () => void this.moveNow().catch((e: unknown) => this.logger.error({ err: e }, 'landing move failed')),
      this.moveEveryMs,
    );
    this.timer.unref();
  }

  /** Writes rows durably into the current generation. */
  async write(rows: StatementRow[]): Promise<void> {
    const gen = this.current;
    const g = this.generation(gen);
    g.writing += 1;
    for (const r of rows) g.oldestStored = Math.min(g.oldestStored, Date.parse(`${r.stored.replace(' ', 'T')}Z`));
    try {
      await this.warehouse.client.insert({
        table: TABLES.landing,
        values: rows.map((r) => [gen, r.id, r.stored, r.voiding_target, JSON.stringify(compactRow(r))]),
        format: 'JSONCompactEachRow',
        columns: ['gen', 'id', 'stored', 'voiding_target', 'row'],
      });
    } finally {
      g.writing -= 1;
      if (g.writing === 0) for (const wake of g.drained.splice(0)) wake();
    }
  }

  /** The oldest `stored` not yet in `statements`, or undefined when the landing table is empty. */
  oldestPending(): number | undefined {
    let oldest: number | undefined;
    for (const g of this.generations.values())
      if (oldest === undefined || g.oldestStored < oldest) oldest = g.oldestStored;
    return oldest;
  }

  /** Moves every generation written so far into `statements` (also what tests call to see all writes there). */
  async moveNow(): Promise<void> {
    while (this.moving) await this.moving;
    if (this.generations.size === 0) return;
    this.current += 1; // new writes go to the next generation from now on
    this.moving = (async () => {
      let failure: Error | undefined;
      for (const gen of [...this.generations.keys()].filter((g) => g < this.current)) {
        const g = this.generations.get(gen) as Generation;
        if (g.writing > 0) await new Promise<void>((r) => g.drained.push(r));
        try {
          await this.move(gen, g.attempts > 0);
          this.generations.delete(gen);
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

  private generation(gen: number): Generation {
    let g = this.generations.get(gen);
    if (!g) {
      g = { writing: 0, drained: [], oldestStored: Infinity, attempts: 0 };
      this.generations.set(gen, g);
    }
    return g;
  }

  /**
   * Copies one generation into `statements` inside ClickHouse (no round trip through this process), then drops
   * it. `mayHaveLanded`: an earlier attempt (or a stopped process) may have copied some of it — an insert spanning
   * two months is two parts — so only the statements not already there are copied. (Not a deduplication token:
   * chdb's connection keeps per-query settings for the following queries of its session.)
   */
  private async move(gen: number, mayHaveLanded: boolean): Promise<void> {
    const missing = mayHaveLanded
      ? `AND id NOT IN (SELECT id FROM ${TABLES.statements}
           WHERE id IN (SELECT id FROM ${TABLES.landing} WHERE gen = {gen:UInt64}))`
      : '';
    const columns = STATEMENT_ROW_COLUMNS.join(', ');
    const fields = STATEMENT_ROW_COLUMNS.map((_, i) => `t.${i + 1}`).join(', ');
    await command(
      this.warehouse.client,
      `INSERT INTO ${TABLES.statements} (${columns})
       SELECT ${fields} FROM (
         SELECT JSONExtract(row, '${ROW_TUPLE}') AS t FROM ${TABLES.landing} WHERE gen = {gen:UInt64} ${missing}
       )`,
      { gen },
    );
    await command(this.warehouse.client, `ALTER TABLE ${TABLES.landing} DROP PARTITION {gen:UInt64}`, { gen });
  }
}
