import { TABLES, type Warehouse, command, onCluster, queryRows } from '@ent-observatory/warehouse';
import { addDays, mondayOf, monthEndOf } from './filter.js';
import {
  type RefreshOptions,
  clearStages,
  finishStaged,
  onShard,
  oneAtATime,
  rollupTablesOf,
  shardCount,
  startOf,
  underLease,
} from './visit-rollup.js';
import { TERRITORY, cubeStageSql, dayStageSql, monthStageSql } from './visit-rollup-sql.js';

/**
 * The visit rollups rewritten whole rather than by deltas (visit-rollup.ts): the reference the incremental catch-up
 * is tested against, and the benchmark's baseline (the recomputation before migration 058); and the erasure of
 * persons, which no delta can express.
 */

/** The days a month's recomputation reads: the month, and the rest of the week of its last Monday. */
export function monthDays(month: string): { from: string; to: string } {
  const last = monthEndOf(month);
  const weekEnd = addDays(mondayOf(last), 6);
  return { from: month, to: weekEnd > last ? weekEnd : last };
}

/**
 * Recomputes one month of visit_person, visit_cube and visit_starts from activity_actor_daily and swaps it in
 * (REPLACE PARTITION, atomic per table): its day rows, the week rows of the weeks whose Monday is in it (reading the
 * days of its last week in the next month), its month rows; visit_cube's cells from those; then the month's rows of
 * visit_establishment_days, from the same day rows. Holding the lease.
 */
export async function recomputeMonth(w: Warehouse, month: string): Promise<void> {
  await clearStages(w);
  await command(w.client, dayStageSql(), monthDays(month));
  for (const sql of monthStageSql()) await command(w.client, sql, { month });
  for (const sql of cubeStageSql()) await command(w.client, sql);
  await replaceMonth(w, month);
  // A repair may have removed a day's only statements: the month's measured days are rewritten too.
  await rewriteEstablishmentDays(w, month, `SELECT day, ${TERRITORY} FROM ${TABLES.visitDayStage}`);
  await command(w.client, `TRUNCATE TABLE ${TABLES.visitDayStage}`);
}

/**
 * Replaces a month of visit_establishment_days with the days × establishments `days` gives (a SELECT of day and the
 * territory columns; its parameters in `params`), swapped in whole (REPLACE PARTITION: a view never sees the month
 * empty). Holding the lease (no catch-up adds days meanwhile), the stages cleared by the caller (clearStages).
 */
async function rewriteEstablishmentDays(
  w: Warehouse,
  month: string,
  days: string,
  params: Record<string, unknown> = {},
): Promise<void> {
  const stage = TABLES.visitEstablishmentDaysStage;
  await command(
    w.client,
    `INSERT INTO ${stage} (day, ${TERRITORY})
SELECT DISTINCT day, ${TERRITORY} FROM (${days}) WHERE toStartOfMonth(day) = {month:Date}`,
    { ...params, month },
  );
  await swapMonth(w, month, TABLES.visitEstablishmentDays, stage);
}

/** Swaps a stage table's month into its table (REPLACE PARTITION, atomic); a month left without rows is dropped. */
async function swapMonth(w: Warehouse, month: string, table: string, stage: string): Promise<void> {
  const partition = month.replaceAll('-', '');
  if (!/^\d{8}$/.test(partition)) throw new Error(`"${month}" is not a month's first day`);
  const [{ n }] = (await queryRows<{ n: string }>(w.client, `SELECT count() AS n FROM ${stage}`)) as [{ n: string }];
  await command(
    w.client,
    Number(n) > 0
      ? `ALTER TABLE ${table} REPLACE PARTITION ID '${partition}' FROM ${stage}`
      : `ALTER TABLE ${table} DROP PARTITION ID '${partition}'`,
  );
}

/** Swaps the stage tables' month in (a month left without rows is dropped). */
async function replaceMonth(w: Warehouse, month: string): Promise<void> {
  for (const [table, stage] of [
    [TABLES.visitPerson, TABLES.visitPersonStage],
    [TABLES.visitCube, TABLES.visitCubeStage],
    [TABLES.visitStarts, TABLES.visitStartsStage],
  ] as const) {
    // One part per month: a view reads a handful of parts instead of one per insert.
    await command(w.client, `OPTIMIZE TABLE ${stage} FINAL`);
    await swapMonth(w, month, table, stage);
  }
}

/**
 * Recomputes every month of the visit rollups whole, under the lease, and records the state complete as of its
 * start. A reference for a store that receives no statements meanwhile (tests, the benchmark's baseline): months
 * recomputed one after the other are not one snapshot, so statements arriving during it could be counted twice by
 * a later catch-up's deltas.
 */
export async function recomputeVisitRollups(at: Warehouse, options: RefreshOptions = {}): Promise<string[]> {
  const months = await oneAtATime(at, async () => {
    const w = await onShard(at, 'recomputation');
    return underLease(w, options, async () => {
      await finishStaged(w, options);
      const upto = await startOf(w, options);
      const rows = await queryRows<{ month: string }>(
        w.client,
        `SELECT toString(month) AS month FROM (
  SELECT DISTINCT toStartOfMonth(day) AS month FROM ${TABLES.activityActorDaily}
  UNION DISTINCT
  SELECT DISTINCT toStartOfMonth(period) AS month FROM ${TABLES.visitPerson}
) ORDER BY month`,
      );
      for (const { month } of rows) await recomputeMonth(w, month);
      await command(w.client, `INSERT INTO ${TABLES.visitComplete} SELECT toDateTime64({upto:String}, 3, 'UTC')`, {
        upto,
      });
      return rows.map((r) => r.month);
    });
  });
  return months ?? [];
}

/**
 * Erases persons (pseudonyms) from the visit rollups, after their rows left activity_actor_daily (right to
 * erasure). A person cannot be taken out of a uniqCombined state, so, holding the lease: each month of visit_cube
 * they count in is rebuilt from visit_person's rows of the others (REPLACE PARTITION), and so is the month's
 * visit_establishment_days, then their rows are deleted
 * from visit_person and visit_starts (mutations: the data is physically gone when they return). In that order, an
 * erasure cut short is done again whole by a retry (their rows are still there to find the months). On a cluster of
 * one shard, on the node's local tables (rollupTablesOf); on several, where nothing is counted, see nothingCounted.
 */
export async function eraseFromVisitRollups(
  at: Warehouse,
  pseudonyms: string[],
  options: RefreshOptions = {},
): Promise<void> {
  if (pseudonyms.length === 0) return;
  if (at.cluster && (await shardCount(at)) !== 1) {
    await nothingCounted(at, pseudonyms);
    return;
  }
  const w = rollupTablesOf(at);
  await oneAtATime(at, () =>
    underLease(w, options, async () => {
      // visit_person's `person`: a 64-bit hash of the pseudonym (visit-rollup-sql.ts dayStageSql).
      const [{ hashes }] = (await queryRows<{ hashes: string[] }>(
        w.client,
        `SELECT arrayMap(p -> toString(cityHash64(p)), {pseudonyms:Array(String)}) AS hashes`,
        { pseudonyms },
      )) as [{ hashes: string[] }];
      const persons = '(SELECT toUInt64(arrayJoin({persons:Array(String)})))';
      await finishStaged(w, options);
      const months = await queryRows<{ month: string }>(
        w.client,
        `SELECT DISTINCT toString(toStartOfMonth(period)) AS month FROM ${TABLES.visitPerson}
         WHERE person IN ${persons} ORDER BY month`,
        { persons: hashes },
      );
      for (const { month } of months) {
        await clearStages(w);
        const where = `toStartOfMonth(period) = {month:Date} AND person NOT IN ${persons}`;
        for (const sql of cubeStageSql(TABLES.visitPerson, where))
          await command(w.client, sql, { month, persons: hashes });
        await swapMonth(w, month, TABLES.visitCube, TABLES.visitCubeStage);
        // The month's measured days: those of everyone else's day rows (an establishment-day that was theirs alone
        // is no longer measured, as a full recomputation would find).
        await rewriteEstablishmentDays(
          w,
          month,
          `SELECT period AS day, ${TERRITORY} FROM ${TABLES.visitPerson}
           WHERE grain = 'day' AND ent_service = '*' AND toStartOfMonth(period) = {month:Date}
             AND person NOT IN ${persons}`,
          { persons: hashes },
        );
      }
      await clearStages(w);
      // Their marks too (migration 061): counted or not, they name the person, and nothing of theirs is left to count.
      for (const table of [TABLES.visitPerson, TABLES.visitStarts, TABLES.visitDirtyDay]) {
        await command(
          w.client,
          `ALTER TABLE ${table} ${onCluster(w)} DELETE WHERE person IN ${persons} SETTINGS mutations_sync = 2`,
          { persons: hashes },
        );
      }
    }),
  );
}

/**
 * On a cluster of several shards the catch-up refuses to run (onShard), so the visit rollups hold nobody: checked
 * (through the Distributed visit_person), since a cluster grown from one shard would hold the people counted then, and
 * their months' cubes could not be rebuilt on each shard from here. Refused with an error naming what to do.
 */
async function nothingCounted(w: Warehouse, pseudonyms: string[]): Promise<void> {
  const [row] = await queryRows<{ n: string }>(
    w.client,
    `SELECT toString(count()) AS n FROM ${TABLES.visitPerson}
     WHERE person IN (SELECT cityHash64(arrayJoin({pseudonyms:Array(String)})))`,
    { pseudonyms },
  );
  if (Number(row?.n ?? 0) > 0) {
    throw new Error(
      `the visit rollups hold ${row?.n} row(s) of these persons, counted when CLICKHOUSE_CLUSTER "${w.cluster}" had ` +
        'one shard; erasing them on a cluster of several shards is not built (docs/scaling.md, "Where the ' +
        'recomputation runs"): erase them before adding shards, or rebuild the visit rollups',
    );
  }
}
