import type { Warehouse } from './client.js';
import { createWarehouse } from './client.js';
import { type Migration, loadMigrations, migrate } from './migrate.js';
import { command, queryRows } from './query.js';
import { TABLES } from './tables.js';
import { workerDataDir } from '../../../test/support/paths.js';
import { freshWarehouse } from '../../../test/support/warehouse.js';

/** A migration that creates a table of 1,000 rows and backfills a second one from it. */
function backfilling(version: number, last = 'SELECT 1'): Migration {
  const source = `mig_source_${version}`;
  const target = `mig_target_${version}`;
  return {
    version,
    name: `${version}_test.sql`,
    statements: [
      `CREATE TABLE IF NOT EXISTS ${source} (n UInt64) ENGINE = MergeTree ORDER BY n`,
      `INSERT INTO ${source} SELECT number FROM numbers(1000)`,
      `CREATE TABLE IF NOT EXISTS ${target} (n UInt64, tens UInt64) ENGINE = MergeTree PARTITION BY tens % 3 ORDER BY n`,
      `INSERT INTO ${target} SELECT n, intDiv(n, 10) FROM ${source}`,
      last,
    ],
  };
}

async function count(w: Warehouse, table: string): Promise<number> {
  const [row] = await queryRows<{ n: string }>(w.client, `SELECT toString(count()) AS n FROM ${table}`);
  return Number(row?.n);
}

async function recorded(w: Warehouse, version: number): Promise<number> {
  const [row] = await queryRows<{ n: string }>(
    w.client,
    `SELECT toString(count()) AS n FROM ${TABLES.migrations} WHERE version = {version:UInt32}`,
    { version },
  );
  return Number(row?.n);
}

describe('migrations shared by several processes', () => {
  let w: Warehouse;
  /** A second client of the same database: another API instance or the CLI starting at the same time. */
  let other: Warehouse;

  /** The test migrations leave nothing behind: the worker's database is shared by the next test files. */
  async function forget(): Promise<void> {
    await command(
      w.client,
      `ALTER TABLE ${TABLES.migrations} DELETE WHERE version >= 9000 SETTINGS mutations_sync = 2`,
    );
    for (const v of [9001, 9002, 9003]) {
      for (const t of [`mig_view_${v}`, `mig_source_${v}`, `mig_target_${v}`])
        await command(w.client, `DROP TABLE IF EXISTS ${t}`);
    }
    await command(w.client, `TRUNCATE TABLE ${TABLES.migrationCutoffs}`);
    await command(w.client, `TRUNCATE TABLE ${TABLES.migrationSteps}`);
  }

  beforeAll(async () => {
    w = await freshWarehouse();
    other = createWarehouse({ dataDir: workerDataDir() });
    await forget();
  });
  afterAll(async () => {
    await forget();
    await other.client.close();
    await w.client.close();
  });

  it('applies a migration once when two processes start at once, its backfill counted once', async () => {
    const migrations = [backfilling(9001)];
    const [a, b] = await Promise.all([
      migrate(w, migrations, { holder: 'api-1', lease: { settleMs: 50 } }),
      migrate(other, migrations, { holder: 'api-2', lease: { settleMs: 50 } }),
    ]);
    expect([...a, ...b]).toEqual([9001]);
    expect(await recorded(w, 9001)).toBe(1);
    expect(await count(w, 'mig_source_9001')).toBe(1000);
    expect(await count(w, 'mig_target_9001')).toBe(1000);
  });

  it('re-runs a migration that failed after its backfills without duplicating their rows', async () => {
    await expect(migrate(w, [backfilling(9002, "SELECT throwIf(1, 'disk full')")])).rejects.toThrow('disk full');
    expect(await recorded(w, 9002)).toBe(0);
    expect(await count(w, 'mig_target_9002')).toBe(1000);
    // Fixed, started again: the whole migration runs again, the backfilled rows stay as they were.
    expect(await migrate(w, [backfilling(9002)])).toEqual([9002]);
    expect(await count(w, 'mig_source_9002')).toBe(1000);
    expect(await count(w, 'mig_target_9002')).toBe(1000);
    const [sum] = await queryRows<{ s: string }>(w.client, 'SELECT toString(sum(n)) AS s FROM mig_target_9002');
    expect(sum?.s).toBe(String((999 * 1000) / 2));
    const leftovers = await queryRows<{ name: string }>(
      w.client,
      `SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE '\\_backfill\\_%'`,
    );
    expect(leftovers).toEqual([]);
  });

  /** A table stamped at insert like `statements` (inserted DEFAULT now64), holding 0 … rows − 1. */
  async function stampedSource(version: number, rows: number): Promise<void> {
    await command(
      w.client,
      `CREATE TABLE mig_source_${version} (n UInt64, inserted DateTime64(3, 'UTC') DEFAULT now64(3, 'UTC'))
       ENGINE = MergeTree ORDER BY n`,
    );
    await command(w.client, `INSERT INTO mig_source_${version} (n) SELECT number FROM numbers(${rows})`);
  }

  /** A migration that adds a view on mig_source_<version> and backfills its target, bounded by the cut-off. */
  const viewMigration = (version: number): Migration => ({
    version,
    name: `${version}_view.sql`,
    statements: [
      `CREATE TABLE IF NOT EXISTS mig_target_${version} (n UInt64) ENGINE = MergeTree ORDER BY n`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS mig_view_${version} TO mig_target_${version} AS
       SELECT n FROM mig_source_${version} WHERE inserted >= {cutoff}`,
      `INSERT INTO mig_target_${version} SELECT n FROM mig_source_${version} WHERE inserted < {cutoff}`,
    ],
  });

  it('counts rows inserted while a view and its backfill are created exactly once (cut-off before the view)', async () => {
    // A table written to all along.
    await stampedSource(9003, 100);
    let writing = true;
    const writer = (async () => {
      for (let n = 100; writing; n++) {
        await command(other.client, `INSERT INTO mig_source_9003 (n) SELECT {n:UInt64}`, { n });
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    expect(await migrate(w, [viewMigration(9003)], { cutoffLeadMs: 500, cutoffInFlightMs: 200 })).toEqual([9003]);
    await new Promise((r) => setTimeout(r, 300));
    writing = false;
    await writer;
    const [row] = await queryRows<{ rows: string; distinct: string; source: string }>(
      w.client,
      `SELECT toString(count()) AS rows, toString(uniqExact(n)) AS distinct,
         toString((SELECT count() FROM mig_source_9003)) AS source FROM mig_target_9003`,
    );
    expect(Number(row?.source)).toBeGreaterThan(110);
    expect(row?.rows).toBe(row?.source);
    expect(row?.distinct).toBe(row?.source);
  });

  it('backfills a row stamped before the cut-off by an insert that commits long after it', async () => {
    await stampedSource(9004, 10);
    // Another process's insert stamps its row now (before the cut-off) and commits it 2 s later, well past the cut-off
    // and its in-flight allowance: as a large insert with its views does on a loaded machine.
    const slow = command(
      other.client,
      `INSERT INTO mig_source_9004 (n, inserted) SELECT 10, now64(3, 'UTC') FROM numbers(1) WHERE sleepEachRow(2) = 0`,
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(await migrate(w, [viewMigration(9004)], { cutoffLeadMs: 300, cutoffInFlightMs: 200 })).toEqual([9004]);
    await slow;
    const numbers = await queryRows<{ n: number }>(w.client, 'SELECT n FROM mig_target_9004 ORDER BY n');
    expect(numbers.map((r) => Number(r.n))).toEqual(Array.from({ length: 11 }, (_, i) => i));
  });
});

describe('migration 051 killed between any two of its statements', () => {
  let w: Warehouse;
  const all = loadMigrations();
  const m051 = all.find((m) => m.version === 51) as Migration;
  const m050 = all.find((m) => m.version === 50) as Migration;
  /** 050's DDL of follow_up_pupil_events: the coarse table 051 replaces. */
  const coarse = m050.statements.find((s) => /^CREATE TABLE IF NOT EXISTS follow_up_pupil_events\s/.test(s)) as string;

  beforeAll(async () => {
    w = await freshWarehouse();
  });
  afterAll(async () => {
    await command(w.client, `TRUNCATE TABLE ${TABLES.followUpPupilEvents}`);
    await w.client.close();
  });

  /** As before 051: the coarse table holding 3,000 rows, no fine copy, 051 not recorded. */
  async function before051(): Promise<void> {
    await command(w.client, 'DROP VIEW IF EXISTS follow_up_pupil_events_mv');
    await command(w.client, 'DROP TABLE IF EXISTS follow_up_pupil_events_fine');
    await command(w.client, `DROP TABLE IF EXISTS ${TABLES.followUpPupilEvents}`);
    await command(w.client, coarse.replaceAll('{on_cluster}', ''));
    await command(
      w.client,
      `INSERT INTO ${TABLES.followUpPupilEvents} (actor_pseudonym, timestamp, id, kind)
       SELECT concat('p', toString(number % 50)), toDateTime64('2026-09-01 08:00:00', 3, 'UTC') + number, generateUUIDv4(), 'activity'
       FROM numbers(3000)`,
    );
    await command(w.client, `ALTER TABLE ${TABLES.migrations} DELETE WHERE version = 51 SETTINGS mutations_sync = 2`);
    await command(
      w.client,
      `ALTER TABLE ${TABLES.migrationSteps} DELETE WHERE version = 51 SETTINGS mutations_sync = 2`,
    );
  }

  async function granularity(): Promise<string> {
    const [row] = await queryRows<{ g: string }>(
      w.client,
      `SELECT extract(engine_full, 'index_granularity = (\\d+)') AS g FROM system.tables
       WHERE database = currentDatabase() AND name = {name:String}`,
      { name: TABLES.followUpPupilEvents },
    );
    return row?.g ?? 'missing';
  }

  it.each(m051.statements.map((_, i) => i + 1))(
    'completes when run again after its first %i statement(s), every row kept once',
    async (done) => {
      await before051();
      expect(await granularity()).toBe('8192');
      // The kill: the first `done` statements ran (with their guards), the migration was not recorded.
      const partial: Migration = { ...m051, statements: m051.statements.slice(0, done) };
      await migrate(w, [partial]);
      await command(w.client, `ALTER TABLE ${TABLES.migrations} DELETE WHERE version = 51 SETTINGS mutations_sync = 2`);
      expect(await migrate(w, [m051])).toEqual([51]);
      expect(await granularity()).toBe('256');
      expect(await count(w, TABLES.followUpPupilEvents)).toBe(3000);
      const [row] = await queryRows<{ n: string }>(
        w.client,
        `SELECT toString(uniqExact(id)) AS n FROM ${TABLES.followUpPupilEvents}`,
      );
      expect(row?.n).toBe('3000');
      const views = await queryRows<{ name: string }>(
        w.client,
        `SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE 'follow_up_pupil_events%' ORDER BY name`,
      );
      expect(views.map((v) => v.name)).toEqual(['follow_up_pupil_events', 'follow_up_pupil_events_mv']);
    },
  );
});
