import { hostname } from 'node:os';
import {
  LeaseHeld,
  type LeaseOptions,
  TABLES,
  type Warehouse,
  command,
  committedBefore,
  movePartitions,
  nodeLocal,
  queryRows,
  retainedFrom,
  storedTable,
  withLease,
} from '@ent-observatory/warehouse';
import {
  batchDayStageSql,
  batchPairsSql,
  cubeStageSql,
  establishmentDaysSql,
  personDeltaSql,
  startsDeltaSql,
} from './visit-rollup-sql.js';

/**
 * The visit rollups (migrations 040, 058, 061; docs/indicators.md "Rollups"): visit_person, visit_cube and
 * visit_starts, kept up to date incrementally from activity_actor_daily's exact minute sets.
 *
 * The materialized view visit_dirty_person_mv marks, for every insert, the persons × Paris days × establishments (UAI)
 * of its statements, stamped when; a mark of person 0 stands for every person of its day × establishment (the marks
 * of markDaysDirty and of migration 058). A catch-up counts every mark newer than the last complete catch-up
 * (visit_complete), in batches of days (BATCH_DAYS), and then records as complete its own start less a margin, and
 * never later than the start of an insert still running then (committedBefore in libs/warehouse): such an insert's
 * marks, stamped while it runs and visible once it commits, are newer than the record and counted by the next
 * catch-up, however long it takes; so are, again, the newer marks this one did count (their deltas are then 0).
 * A batch:
 * 1. reads its marks once (visit_batch_days: every statement of the batch works on the same set while marks keep
 *    arriving) and counts the day rows of the persons they name (visit_day_stage, visit-rollup-sql.ts dayStageSql);
 * 2. writes into the stage tables the signed deltas against what the rollups hold for them: visit_person's day cells
 *    (new − old) and the same deltas as week and month cells, visit_starts' cells, and visit_cube's cells from the
 *    person deltas (sums of deltas; the user states of the delta's persons, merged by union);
 * 3. records that the stage is complete (visit_stage_ready), then moves each stage partition into its table
 *    (ALTER TABLE … MOVE PARTITION: a moved partition leaves the stage, so a catch-up killed half-way moves only what
 *    is left when the next one starts: exactly once), and clears the record.
 * The cost of a catch-up is that of the person-days that received statements, whatever the store's size
 * (bench/results/rollups-2026-12-06.md) and however much the same day × establishment already holds
 * (bench/results/rollups-live-*.md). Counting a person-day again is harmless (its delta is then 0), so
 * a catch-up cut short before step 3 is simply done again. Erasure and the reference full recomputation are in
 * visit-rollup-full.ts.
 *
 * The stage tables are shared by every process on the database (API instances, CLI commands): a catch-up runs under
 * the lease RECOMPUTE_LEASE (libs/warehouse lease.ts), held in ClickHouse, so one runs at a time among them all; the
 * others wait for it, then count what is still dirty.
 */

/** The lease a catch-up (or an erasure, or a full recomputation) holds (libs/warehouse lease.ts). */
export const RECOMPUTE_LEASE = 'visit-rollups';

/** Default RefreshOptions.inFlightMarginSeconds. */
const IN_FLIGHT_MARGIN_SECONDS = 2;
/**
 * Days counted per batch: bounds the day rows held in memory (visit_day_stage) when a catch-up has many days to
 * count (the first one after migration 058 counts the whole store), and the work redone if it is killed.
 */
const BATCH_DAYS = 7;
const NEVER = '1970-01-01 00:00:00.000';
/**
 * Persons marked on a day × establishment beyond which a catch-up counts it whole (visit-rollup-sql.ts
 * batchPairsSql): a steady flow marks a few persons per establishment between two catch-ups, a new day or a bulk
 * load most of them.
 */
const PERSON_MARKS_PER_DAY = 1000;

/** The instant before which every mark is counted (SQL): the last complete catch-up's, NEVER when none completed. */
const CURSOR = `(SELECT max(at) FROM ${TABLES.visitComplete})`;

/**
 * The cursor (CURSOR: the last complete catch-up's instant, NEVER when none completed) and the days with marks newer
 * than it, oldest first, read together.
 */
async function pendingDays(w: Warehouse): Promise<{ cursor: string; days: string[] }> {
  const [row] = await queryRows<{ cursor: string; days: string[] }>(
    w.client,
    `WITH ${CURSOR} AS complete
SELECT toString(complete) AS cursor, arraySort(groupUniqArray(toString(day))) AS days
FROM ${TABLES.visitDirtyDay} WHERE at > complete`,
  );
  return { cursor: row?.cursor ?? NEVER, days: row?.days ?? [] };
}

/** The months (first days) with days not yet counted by the visit rollups, oldest first. */
export async function dirtyMonths(w: Warehouse): Promise<string[]> {
  const months = (await pendingDays(w)).days.map((d) => `${d.slice(0, 7)}-01`);
  return [...new Set(months)];
}

/**
 * Marks every establishment of these days for counting again: the days activity_actor_daily was rewritten for
 * (lrs:check --repair), with the establishments it holds for them and those the rollups hold; every person of each
 * (person 0).
 */
export async function markDaysDirty(w: Warehouse, days: string[]): Promise<void> {
  if (days.length === 0) return;
  await command(
    w.client,
    `INSERT INTO ${TABLES.visitDirtyDay} (at, day, uai)
SELECT now64(3, 'UTC'), day, uai FROM (
  SELECT day, uai FROM ${TABLES.activityActorDaily} WHERE day IN {days:Array(Date)}
  UNION DISTINCT
  SELECT period AS day, uai FROM ${TABLES.visitPerson} WHERE grain = 'day' AND period IN {days:Array(Date)}
)`,
    { days },
  );
}

export interface RefreshOptions {
  /**
   * Seconds kept between a catch-up's start and the instant it records as complete (default 2). An insert still
   * running when a catch-up starts holds that instant before its own start whatever this margin (committedBefore in
   * libs/warehouse: its marks, stamped while it runs, are counted by the next catch-up); the margin is for what no
   * process list shows, a mark committed on another replica of a cluster and not yet fetched by this one.
   * 0 in tests and benchmarks.
   */
  inFlightMarginSeconds?: number;
  /**
   * The instant (ms since the epoch) before which every statement this process's LRS acknowledged is in `statements`
   * (its Consistent-Through): an acknowledged statement reaches `statements` when its journal generation is moved,
   * later than it was stored. What a catch-up records and says is never later (settledBefore). Unset: no journal here.
   */
  acknowledgedThrough?: () => number;
  /**
   * A day × establishment with more persons marked than this is recounted whole (default PERSON_MARKS_PER_DAY;
   * 0: every one, as before migration 061).
   */
  personMarksPerDay?: number;
  /** Days counted per batch (default BATCH_DAYS; tests make a catch-up of a few days run several batches). */
  batchDays?: number;
  /**
   * ClickHouse threads for each counting statement (`max_threads`); unset or 0: the server's default (every core).
   * The API's catch-ups run beside ingest, where one thread left the inserts more room than a second one saved.
   */
  maxThreads?: number;
  /** Names this process in the lease table and in "held by" errors (default `<hostname>:<pid>`). */
  holder?: string;
  /**
   * How long to wait for another process's catch-up (the lease) before giving up with LeaseHeld (default
   * 10 minutes: the first catch-up after migration 058 counts the whole store).
   */
  leaseWaitMs?: number;
  /** Stops waiting for the lease (LeaseHeld is thrown); a catch-up already running finishes its work. */
  signal?: AbortSignal;
  /** Lease timing (tests). */
  lease?: LeaseOptions;
  /** Called after each stage table is moved into its table (tests stop a catch-up there, as a crash would). */
  afterMove?: (table: string) => void | Promise<void>;
}

const DEFAULT_LEASE_WAIT_MS = 10 * 60_000;
/** How often a process waiting for the lease looks again: about as long as taking it costs (its settle read). */
const LEASE_POLL_MS = 250;

export interface RefreshResult {
  /** The months of the days counted. */
  months: string[];
  /** The days counted (each for its dirty establishments only). */
  days: string[];
  milliseconds: number;
  /**
   * Every statement marked before this instant (ISO, UTC) is counted: when (server clock) the check found nothing
   * left to count, or the instant this catch-up recorded as complete (startOf) when it counted; held before the start
   * of an insert still running either way. What rollupsAsOf would say right after, or earlier (it says now when no
   * mark arrived since).
   */
  asOf: string;
}

/** Serialises the calls of this process on one warehouse, so that it never contends with itself for the lease. */
const running = new WeakMap<Warehouse, Promise<unknown>>();

/** Runs `work` after this process's previous one on `w` (catch-ups, erasures, full recomputations). */
export async function oneAtATime<T>(w: Warehouse, work: () => Promise<T>): Promise<T> {
  const previous = running.get(w);
  const next = (async () => {
    if (previous) await previous.catch(() => undefined);
    return work();
  })();
  running.set(w, next);
  try {
    return await next;
  } finally {
    if (running.get(w) === next) running.delete(w);
  }
}

/**
 * Counts every dirty day × establishment, under the lease RECOMPUTE_LEASE (one catch-up at a time among every
 * process on the database). When another process holds it, waits for it (up to `leaseWaitMs`, then LeaseHeld),
 * then counts what is still dirty (usually nothing: the holder did it). Nothing dirty: returns without the lease.
 * Calls of one process on the same warehouse run one after the other.
 */
export async function refreshVisitRollups(w: Warehouse, options: RefreshOptions = {}): Promise<RefreshResult> {
  checkCounts(options);
  return oneAtATime(w, async () => refreshUnderLease(await onShard(w, 'catch-up'), options));
}

/**
 * The RefreshOptions that are counts, checked before anything runs (they end up in SQL text), so that a bad value is
 * refused whether or not there is something to count.
 */
function checkCounts(options: RefreshOptions): void {
  const counts: [number | undefined, string, number][] = [
    [options.maxThreads, 'threads', 0],
    [options.personMarksPerDay, 'person marks per day', 0],
    [options.batchDays, 'days per batch', 1],
  ];
  for (const [value, what, least] of counts) {
    if (value !== undefined && !(Number.isInteger(value) && value >= least))
      throw new Error(`invalid number of ${what} "${value}" (an integer, at least ${least})`);
  }
}

/** The tables a catch-up, an erasure or a full recomputation counts from and writes: the node's own on a cluster. */
const SHARD_TABLES = [
  TABLES.activityActorDaily,
  TABLES.visitBatchDays,
  TABLES.visitDayStage,
  TABLES.visitPerson,
  TABLES.visitPersonStage,
  TABLES.visitCube,
  TABLES.visitCubeStage,
  TABLES.visitStarts,
  TABLES.visitStartsStage,
  TABLES.visitEstablishmentDays,
  TABLES.visitEstablishmentDaysStage,
];

const shards = new WeakMap<Warehouse, Promise<number>>();

/**
 * The warehouse the visit rollups' work runs on: `w` itself on one server; on a cluster, `w` addressing the local
 * tables of the node it is connected to (nodeLocal): stages filled, partitions moved and swapped, mutations run on
 * the node's parts (through the Distributed names the catch-up ran without error and moved nothing in). Correct for a
 * cluster of one shard (any number of replicas: every replica holds every row, and the lease and the marks are
 * global). With several shards each would have to count its own marks under its own lease (docs/scaling.md "Where
 * the recomputation runs"): refused with an error saying so.
 */
export async function onShard(w: Warehouse, what: string): Promise<Warehouse> {
  if (!w.cluster) return w;
  const n = await shardCount(w);
  if (n !== 1) {
    const found = n === 0 ? 'is not in system.clusters' : `has ${n} shards`;
    throw new Error(
      `the visit rollups ${what} runs on a cluster of one shard; CLICKHOUSE_CLUSTER "${w.cluster}" ${found} ` +
        `(docs/scaling.md, "Where the recomputation runs")`,
    );
  }
  return rollupTablesOf(w);
}

/**
 * `w` addressing the node's own rollup tables (nodeLocal over SHARD_TABLES), whatever the number of shards. On a
 * cluster the stage tables are replicated, and a replicated table drops an inserted block identical to a recent one
 * (insert deduplication): two catch-ups can stage the same deltas, and a month recomputed twice the same rows. The
 * work's inserts are therefore not deduplicated (its exactly-once moves do not rely on it: visit_stage_ready).
 */
export function rollupTablesOf(w: Warehouse): Warehouse {
  return nodeLocal(w, SHARD_TABLES, { insert_deduplicate: 0 });
}

/**
 * The shards of `w`'s cluster (system.clusters), read once per warehouse and process: a change of the server's
 * remote_servers is seen after a restart.
 */
export function shardCount(w: Warehouse): Promise<number> {
  let count = shards.get(w);
  if (!count) {
    count = queryRows<{ n: string }>(
      w.client,
      `SELECT toString(uniqExact(shard_num)) AS n FROM system.clusters WHERE cluster = {cluster:String}`,
      { cluster: w.cluster ?? '' },
    ).then((rows) => Number(rows[0]?.n ?? 0));
    shards.set(w, count);
    count.catch(() => shards.delete(w));
  }
  return count;
}

async function refreshUnderLease(w: Warehouse, options: RefreshOptions): Promise<RefreshResult> {
  const t = performance.now();
  for (;;) {
    const state = await pendingState(w, options);
    if (!state.pending) {
      // (An INSERT, even of no row, costs more than the check: 30 ms of 50 at 10M statements. Only when due.)
      if (state.recordStale) await recordComplete(w, options);
      return { months: [], days: [], milliseconds: performance.now() - t, asOf: state.checkedAt };
    }
    const counted = await underLease(
      w,
      options,
      () => refreshDirty(w, options),
      async () => !(await pendingState(w, options)).pending,
    );
    if (counted) return { ...counted, milliseconds: performance.now() - t };
  }
}

/**
 * Runs `work` holding the lease RECOMPUTE_LEASE, waiting for another holder up to `leaseWaitMs` (then LeaseHeld).
 * Returns null when, while it waited, `done` said the work was no longer needed (another holder did it).
 */
export async function underLease<T>(
  w: Warehouse,
  options: RefreshOptions,
  work: () => Promise<T>,
  done?: () => Promise<boolean>,
): Promise<T | null> {
  const holder = options.holder ?? `${hostname()}:${process.pid}`;
  const deadline = Date.now() + (options.leaseWaitMs ?? DEFAULT_LEASE_WAIT_MS);
  for (;;) {
    try {
      return await withLease(w, RECOMPUTE_LEASE, holder, work, options.lease);
    } catch (e) {
      if (!(e instanceof LeaseHeld) || Date.now() >= deadline || options.signal?.aborted) throw e;
      await new Promise((r) => setTimeout(r, Math.min(LEASE_POLL_MS, deadline - Date.now())));
      if (done && (await done())) return null;
    }
  }
}

/**
 * Whether marks newer than the last complete catch-up, or a stage left complete by a catch-up that died, are
 * pending; whether the record of a complete state is older than COMPLETE_RECORD_EVERY_SECONDS, and when (server
 * clock, ISO: what rollupsAsOf says when nothing is pending) the check read the marks, or the start of an insert
 * still running then, whichever is earlier (committedBefore).
 */
async function pendingState(
  w: Warehouse,
  options: RefreshOptions,
): Promise<{ pending: boolean; recordStale: boolean; checkedAt: string }> {
  // Before the marks are read (settledBefore).
  const committed = await settledBefore(w, 0, options.acknowledgedThrough);
  const marks = await markState(w);
  return {
    pending: marks.pending || marks.staged,
    recordStale: marks.cursorStale,
    checkedAt: `${committed.replace(' ', 'T')}Z`,
  };
}

/**
 * Whether marks newer than the cursor (the last complete catch-up) are there, the cursor itself and whether it is
 * older than COMPLETE_RECORD_EVERY_SECONDS, and whether a stage was left complete by a catch-up that died. Marks
 * newer than the cursor exist exactly when the newest mark is (an empty table's max is the epoch, as is an empty
 * cursor's); three plain reads side by side rather than scalar subqueries: 5.7 instead of 8.7 ms at 10M statements.
 */
async function markState(
  w: Warehouse,
): Promise<{ pending: boolean; cursor: string; cursorStale: boolean; staged: boolean }> {
  const rows = await queryRows<{ k: 'dirty' | 'cursor' | 'staged'; v: string; stale: number }>(
    w.client,
    `SELECT 'dirty' AS k, toString(max(at)) AS v, 0 AS stale FROM ${TABLES.visitDirtyDay}
UNION ALL SELECT 'cursor', toString(max(at)), max(at) < now64(3, 'UTC') - toIntervalSecond({every:UInt32})
  FROM ${TABLES.visitComplete}
UNION ALL SELECT 'staged', toString(count()), 0 FROM ${TABLES.visitStageReady}`,
    { every: COMPLETE_RECORD_EVERY_SECONDS },
  );
  const of = (k: string) => rows.find((r) => r.k === k);
  const cursor = of('cursor')?.v ?? NEVER;
  return {
    pending: (of('dirty')?.v ?? NEVER) > cursor,
    cursor,
    cursorStale: Number(of('cursor')?.stale ?? 1) === 1,
    staged: Number(of('staged')?.v ?? 0) > 0,
  };
}

/** How stale the record of a complete state may grow while nothing is dirty (one insert a minute at most). */
const COMPLETE_RECORD_EVERY_SECONDS = 60;

/**
 * Nothing dirty: every statement marked before now (less the margin, and before any insert still running) is
 * counted. Recorded when the last record is older than a minute (or absent: rollupsAsOf would otherwise stay unknown
 * on an empty store), and only if no mark newer than the last record is there when it is written (the record is the
 * next catch-up's cursor).
 */
async function recordComplete(w: Warehouse, options: RefreshOptions): Promise<void> {
  // Before the marks are read (settledBefore).
  const committed = await settledBefore(w, marginMs(options), options.acknowledgedThrough);
  await command(
    w.client,
    `INSERT INTO ${TABLES.visitComplete}
WITH ${CURSOR} AS cursor
SELECT toDateTime64({committed:String}, 3, 'UTC')
WHERE cursor < now64(3, 'UTC') - toIntervalSecond({every:UInt32})
  AND (SELECT count() FROM ${TABLES.visitDirtyDay} WHERE at > cursor) = 0`,
    { every: COMPLETE_RECORD_EVERY_SECONDS, committed },
  );
}

/**
 * committedBefore (libs/warehouse), and never later than `acknowledgedThrough` (RefreshOptions), read first: every
 * statement acknowledged before it is then in `statements`, its marks committed before the marks are read.
 */
function settledBefore(w: Warehouse, marginMs: number, acknowledgedThrough?: () => number): Promise<string> {
  return committedBefore(w, marginMs, acknowledgedThrough?.());
}

export function marginMs(options: RefreshOptions): number {
  return Math.round((options.inFlightMarginSeconds ?? IN_FLIGHT_MARGIN_SECONDS) * 1000);
}

/**
 * Now less the margin (server clock), before the start of any insert still running and before what this process's
 * LRS still journals (settledBefore): every mark stamped before it is committed. Read before the marks are.
 */
export function startOf(w: Warehouse, options: RefreshOptions): Promise<string> {
  return settledBefore(w, marginMs(options), options.acknowledgedThrough);
}

/**
 * Holding the lease: finishes a stage a dead catch-up left complete, then counts the days marked since the last
 * complete catch-up and before this one's start, in batches, and records the start as complete.
 */
async function refreshDirty(w: Warehouse, options: RefreshOptions): Promise<Omit<RefreshResult, 'milliseconds'>> {
  // Leaves every stage table empty, and so does each batch: a batch starts on empty stages.
  await finishStaged(w, options);
  const upto = await startOf(w, options);
  // The cursor (read with the pending days) moves only under the lease, which this catch-up holds.
  // A day before the person-level retention horizon has lost its activity_actor_daily and visit_person rows: its
  // deltas would be its late statements counted as if nobody had been active that day, added to visit_cube, which
  // is kept. Its marks (late statements) are dropped with the others below, nothing counted (test/retention.e2e.ts).
  const [{ cursor: after, days: pending }, horizon] = await Promise.all([
    pendingDays(w),
    retainedFrom(w, TABLES.activityActorDaily),
  ]);
  const days = pending.filter((d) => horizon === null || d >= horizon);
  const perBatch = options.batchDays ?? BATCH_DAYS;
  for (let i = 0; i < days.length; i += perBatch) {
    const batch = days.slice(i, i + perBatch);
    await countBatch(w, { after, from: batch[0] as string, to: batch[batch.length - 1] as string }, options);
  }
  // Every statement marked before this catch-up's start (less the margin, before any insert then running) is now
  // counted: rollupsAsOf, and the next catch-up's cursor.
  await command(w.client, `INSERT INTO ${TABLES.visitComplete} SELECT toDateTime64({upto:String}, 3, 'UTC')`, { upto });
  await dropCountedMarks(w, upto);
  return { months: [...new Set(days.map((d) => `${d.slice(0, 7)}-01`))], days, asOf: `${upto.replace(' ', 'T')}Z` };
}

/** A batch: the marks newer than `after` on the days [from, to]. */
interface Batch {
  after: string;
  from: string;
  to: string;
}

const STAGES = [
  [TABLES.visitPerson, TABLES.visitPersonStage],
  [TABLES.visitStarts, TABLES.visitStartsStage],
  [TABLES.visitCube, TABLES.visitCubeStage],
] as const;

/** Empties the stage tables: what they hold, with no ready record, is a computation cut short. */
export async function clearStages(w: Warehouse): Promise<void> {
  for (const table of [
    TABLES.visitBatchDays,
    TABLES.visitDayStage,
    TABLES.visitPersonStage,
    TABLES.visitCubeStage,
    TABLES.visitStartsStage,
    TABLES.visitEstablishmentDaysStage,
  ]) {
    await command(w.client, `TRUNCATE TABLE ${table}`);
  }
}

/** Steps 1-3 of a batch (see the top of this file), on empty stage tables; it leaves them empty. */
async function countBatch(w: Warehouse, batch: Batch, options: RefreshOptions): Promise<void> {
  const count = (sql: string, params?: Record<string, unknown>) =>
    command(w.client, sql + threadsSetting(options.maxThreads), params);
  await count(batchPairsSql(options.personMarksPerDay ?? PERSON_MARKS_PER_DAY), { ...batch });
  const days = { from: batch.from, to: batch.to };
  await count(batchDayStageSql(), days);
  await count(establishmentDaysSql());
  await count(personDeltaSql(), days);
  await count(startsDeltaSql(), days);
  for (const sql of cubeStageSql(TABLES.visitPersonStage, '1', { together: true })) await count(sql);
  await command(w.client, `TRUNCATE TABLE ${TABLES.visitDayStage}`);
  await command(w.client, `TRUNCATE TABLE ${TABLES.visitBatchDays}`);
  await command(w.client, `INSERT INTO ${TABLES.visitStageReady} SELECT now64(3, 'UTC')`);
  await moveStages(w, options);
}

/**
 * RefreshOptions.maxThreads as a SETTINGS clause for the end of an INSERT … SELECT (in the SQL text: the chdb
 * connection would turn request settings into session-wide ones).
 */
function threadsSetting(maxThreads: number | undefined): string {
  // (checked by refreshVisitRollups: checkCounts)
  return maxThreads === undefined || maxThreads === 0 ? '' : `\nSETTINGS max_threads = ${maxThreads}`;
}

/**
 * A stage left complete by a catch-up that died is moved in (what is left of it); an incomplete one is dropped.
 * Either way every stage table is empty after it.
 */
export async function finishStaged(w: Warehouse, options: RefreshOptions = {}): Promise<void> {
  const [ready] = await queryRows<{ n: string }>(w.client, `SELECT count() AS n FROM ${TABLES.visitStageReady}`);
  if (Number(ready?.n ?? 0) > 0) await moveStages(w, options);
  else await clearStages(w);
}

/** Moves every partition of the stage tables into their tables, then clears the ready record. */
async function moveStages(w: Warehouse, options: RefreshOptions): Promise<void> {
  // Names as values (system.parts): the node's own tables on a cluster.
  const stored = STAGES.map(([table, stage]) => [storedTable(w, stage), storedTable(w, table)] as const);
  await movePartitions(w, stored, (pair) => options.afterMove?.(STAGES[pair]![0]));
  await command(w.client, `TRUNCATE TABLE ${TABLES.visitStageReady}`);
}

/** Per warehouse, the day of marking before which this process dropped every partition of marks (dropCountedMarks). */
const marksDroppedBefore = new WeakMap<Warehouse, string>();

/**
 * Drops the partitions of marks (days of marking) wholly before the day of the cursor: all counted. Once per day
 * and process: marks are stamped when written, so no partition before a day already cleared can appear after.
 */
async function dropCountedMarks(w: Warehouse, upto: string): Promise<void> {
  const day = upto.slice(0, 10);
  if (marksDroppedBefore.get(w) === day) return;
  const partitions = await queryRows<{ id: string }>(
    w.client,
    `SELECT DISTINCT partition_id AS id FROM system.parts
     WHERE database = currentDatabase() AND table = {table:String} AND active
       AND partition_id < formatDateTime(toDateTime64({upto:String}, 3, 'UTC'), '%Y%m%d')`,
    { table: TABLES.visitDirtyDay, upto },
  );
  for (const { id } of partitions) {
    if (!/^\d{8}$/.test(id)) throw new Error(`unexpected partition ID "${id}" in ${TABLES.visitDirtyDay}`);
    await command(w.client, `ALTER TABLE ${TABLES.visitDirtyDay} DROP PARTITION ID '${id}'`);
  }
  marksDroppedBefore.set(w, day);
}

/**
 * The instant before which every statement is counted by the visit rollups (ISO, UTC), or null when no catch-up
 * ever completed while statements are marked (the first catch-up after a bulk load or migration 058). Nothing
 * dirty: now, or before an insert still running or a statement this process still journals (settledBefore).
 * Otherwise what the last complete catch-up recorded (startOf), or that instant if it is earlier.
 */
export async function rollupsAsOf(w: Warehouse, acknowledgedThrough?: () => number): Promise<string | null> {
  // Before the marks are read (settledBefore).
  const committed = await settledBefore(w, 0, acknowledgedThrough);
  const marks = await markState(w);
  // What a catch-up recorded was bounded by what its process knew (another process's by ClickHouse only): the
  // smaller of the two is true of both.
  const asOf = !marks.pending || committed < marks.cursor ? committed : marks.cursor;
  if (asOf.startsWith('1970-01-01')) return null;
  return `${asOf.replace(' ', 'T')}Z`;
}
