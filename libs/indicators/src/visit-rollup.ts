import { hostname } from 'node:os';
import {
  LeaseHeld,
  type LeaseOptions,
  TABLES,
  type Warehouse,
  command,
  queryRows,
  retainedFrom,
  withLease,
} from '@ent-observatory/warehouse';
import { DEVICE_EXPR, PROFILE_EXPR, SERVICE_EXPR, addDays, mondayOf, monthEndOf } from './filter.js';
import { visitCount, visitSpan, visitStarts, visitsWithin } from './visits.js';

/**
 * The visit rollups (migration 040, docs/indicators.md "Rollups"): visit_person and visit_starts, recomputed one
 * calendar month at a time from activity_actor_daily's exact minute sets.
 *
 * A month's recomputation:
 * 1. day rows (visit_day_stage): per person × Paris day × establishment × profile × device, the union of their
 *    active minutes across services gives the ENT visits (runs with no gap over 30 minutes), their span and the hour
 *    each visit starts; a service's visits are the ENT visits it was opened in (never more than the ENT's), its
 *    span that of its own minutes. The days are the month's,
 *    plus the days of its last week that fall in the next month (the week row lives with its Monday);
 * 2. visit_person rows: the day rows of the month's days, the week rows of the weeks whose Monday is in the
 *    month (a person's days of the week summed) and the month rows (the month's days summed);
 * 3. visit_cube rows: the visit_person rows without the person (département cells, sector × REP cells; users as
 *    uniqCombined states); visit_starts rows: the visits of the month's days by start hour;
 * 4. the month's partition of both tables replaced by the staging tables' (atomic per table), and the month
 *    recorded in visit_refreshed as done up to its latest dirty mark (RefreshOptions: an insert still in flight
 *    during the recomputation leaves the month dirty).
 *
 * The staging tables are shared by every process on the database (API instances, CLI commands): a recomputation
 * runs under the lease RECOMPUTE_LEASE (libs/warehouse lease.ts), held in ClickHouse, so one runs at a time among
 * them all; the others wait for it, then recompute what is still dirty.
 */

/** The lease a recomputation holds (libs/warehouse lease.ts). */
export const RECOMPUTE_LEASE = 'visit-rollups';

const TERRITORY = 'region, academie, departement, uai, sector, rep';
/** Default RefreshOptions.inFlightMarginSeconds. */
const IN_FLIGHT_MARGIN_SECONDS = 2;

/** Step 1: one row per person × day × establishment × profile × device of [{from}, {to}]. */
export function dayStageSql(): string {
  return `INSERT INTO ${TABLES.visitDayStage} (day, ${TERRITORY}, ent_profile, device, person, visits, span_minutes,
  events, start_hours, services, service_visits, service_spans, service_events)
SELECT day, ${TERRITORY}, p, d, person,
  ${visitCount('(arraySort(arrayDistinct(arrayFlatten(groupArray(m) AS ms))) AS mm)')}, ${visitSpan('mm')}, toUInt32(sum(e)),
  arrayMap(x -> toUInt8(intDiv(x, 60)), ${visitStarts('mm')}),
  groupArray(s), arrayMap(z -> ${visitsWithin('mm', 'z')}, ms), arrayMap(z -> ${visitSpan('z')}, ms), groupArray(toUInt32(e))
FROM (
  SELECT day, ${TERRITORY}, ${PROFILE_EXPR} AS p, ${DEVICE_EXPR} AS d, ${SERVICE_EXPR} AS s,
    cityHash64(actor_pseudonym) AS person, arraySort(groupUniqArrayMerge(minutes)) AS m, sum(events) AS e
  FROM ${TABLES.activityActorDaily}
  WHERE day BETWEEN {from:Date} AND {to:Date}
  GROUP BY day, ${TERRITORY}, p, d, s, person
)
GROUP BY day, ${TERRITORY}, p, d, person`;
}

const PERSON_COLUMNS = `grain, period, ${TERRITORY}, ent_profile, ent_service, device, person, visits, span_minutes, events`;
/** The ENT-wide cell ('*') and each service's cell of a day row. */
const SERVICE_CELLS = `ARRAY JOIN arrayConcat(['*'], services) AS svc, arrayConcat([visits], service_visits) AS v,
  arrayConcat([span_minutes], service_spans) AS sp, arrayConcat([events], service_events) AS ev`;

/** Steps 2-3: the month's visit_person and visit_starts rows, from the day rows. */
export function monthStageSql(): string[] {
  return [
    `INSERT INTO ${TABLES.visitPersonStage} (${PERSON_COLUMNS})
SELECT 'day', day, ${TERRITORY}, ent_profile, svc, device, person, v, sp, ev
FROM ${TABLES.visitDayStage}
${SERVICE_CELLS}
WHERE toStartOfMonth(day) = {month:Date}`,
    `INSERT INTO ${TABLES.visitPersonStage} (${PERSON_COLUMNS})
SELECT 'week', toMonday(day) AS monday, ${TERRITORY}, ent_profile, svc, device, person, sum(v), sum(sp), sum(ev)
FROM ${TABLES.visitDayStage}
${SERVICE_CELLS}
WHERE toStartOfMonth(toMonday(day)) = {month:Date}
GROUP BY monday, ${TERRITORY}, ent_profile, svc, device, person`,
    `INSERT INTO ${TABLES.visitPersonStage} (${PERSON_COLUMNS})
SELECT 'month', {month:Date}, ${TERRITORY}, ent_profile, svc, device, person, sum(v), sum(sp), sum(ev)
FROM ${TABLES.visitDayStage}
${SERVICE_CELLS}
WHERE toStartOfMonth(day) = {month:Date}
GROUP BY ${TERRITORY}, ent_profile, svc, device, person`,
    `INSERT INTO ${TABLES.visitStartsStage} (day, ${TERRITORY}, ent_profile, hour, person, visits)
SELECT day, ${TERRITORY}, ent_profile, hour, person, toUInt32(count())
FROM ${TABLES.visitDayStage}
ARRAY JOIN start_hours AS hour
WHERE toStartOfMonth(day) = {month:Date}
GROUP BY day, ${TERRITORY}, ent_profile, hour, person`,
  ];
}

/** Step 2b: the month's visit_cube cells, from its visit_person rows (persons merged into uniqCombined states). */
export function cubeStageSql(): string[] {
  const columns = `level, grain, period, ${TERRITORY}, ent_profile, ent_service, device, visits, span_minutes, events, users`;
  const measures = 'sum(visits), sum(span_minutes), sum(events), uniqCombinedState(12)(person)';
  return [
    `INSERT INTO ${TABLES.visitCubeStage} (${columns})
SELECT 'dept', grain, period, region, academie, departement, '', '', '', ent_profile, ent_service, device, ${measures}
FROM ${TABLES.visitPersonStage}
GROUP BY grain, period, region, academie, departement, ent_profile, ent_service, device`,
    `INSERT INTO ${TABLES.visitCubeStage} (${columns})
SELECT 'dept_total', grain, period, region, academie, departement, '', '', '', '*', '*', '*', ${measures}
FROM ${TABLES.visitPersonStage}
WHERE ent_service = '*'
GROUP BY grain, period, region, academie, departement`,
    `INSERT INTO ${TABLES.visitCubeStage} (${columns})
SELECT 'dept_service', grain, period, region, academie, departement, '', '', '', '*', ent_service, '*', ${measures}
FROM ${TABLES.visitPersonStage}
WHERE ent_service != '*'
GROUP BY grain, period, region, academie, departement, ent_service`,
    `INSERT INTO ${TABLES.visitCubeStage} (${columns})
SELECT 'sector', grain, period, region, academie, departement, '', sector, rep, ent_profile, '*', '*', ${measures}
FROM ${TABLES.visitPersonStage}
WHERE ent_service = '*'
GROUP BY grain, period, region, academie, departement, sector, rep, ent_profile`,
  ];
}

/** A month to recompute: its first day and its latest dirty mark. */
export interface DirtyMonth {
  month: string;
  /** The latest insert mark seen (DateTime64 text, UTC). */
  at: string;
}

/** The months (first days) whose statements changed since they were last recomputed, oldest first. */
export async function dirtyMonths(w: Warehouse): Promise<string[]> {
  return (await dirtyMonthMarks(w)).map((d) => d.month);
}

async function dirtyMonthMarks(w: Warehouse): Promise<DirtyMonth[]> {
  return queryRows<DirtyMonth>(
    w.client,
    `SELECT toString(d.month) AS month, toString(d.at) AS at
FROM (SELECT month, max(at) AS at FROM ${TABLES.visitDirty} GROUP BY month) AS d
LEFT JOIN (SELECT month, max(at) AS at FROM ${TABLES.visitRefreshed} GROUP BY month) AS r ON r.month = d.month
WHERE d.at > r.at
ORDER BY month`,
  );
}

/** Marks the months of these days for recomputation (erasure: the days a removed person was active on). */
export async function markDaysDirty(w: Warehouse, days: string[]): Promise<void> {
  if (days.length === 0) return;
  await command(
    w.client,
    `INSERT INTO ${TABLES.visitDirty}
SELECT arrayJoin(arrayDistinct([toStartOfMonth(d), toStartOfMonth(toMonday(d))])) AS month, max(now64(3, 'UTC')) AS at
FROM (SELECT toDate(arrayJoin({days:Array(String)})) AS d)
GROUP BY month`,
    { days },
  );
}

export interface RefreshOptions {
  /**
   * Seconds an insert may take between its dirty mark and its commit (default 2): a recomputation records the
   * month as done up to its latest mark, but never later than its own start minus this margin, so an insert still
   * in flight when it read the month marks it again. 0 where no insert runs concurrently (tests, benchmark).
   */
  inFlightMarginSeconds?: number;
  /** Names this process in the lease table and in "held by" errors (default `<hostname>:<pid>`). */
  holder?: string;
  /**
   * How long to wait for another process's recomputation (the lease) before giving up with LeaseHeld (default
   * 10 minutes: a whole store after a bulk load at 10M statements takes about one).
   */
  leaseWaitMs?: number;
  /** Stops waiting for the lease (LeaseHeld is thrown); a recomputation already running finishes its work. */
  signal?: AbortSignal;
  /** Lease timing (tests). */
  lease?: LeaseOptions;
}

const DEFAULT_LEASE_WAIT_MS = 10 * 60_000;
/** How often a process waiting for the lease looks again: about as long as taking it costs (its settle read). */
const LEASE_POLL_MS = 250;

/** The days a month's recomputation reads: the month, and the rest of the week of its last Monday. */
export function monthDays(month: string): { from: string; to: string } {
  const last = monthEndOf(month);
  const weekEnd = addDays(mondayOf(last), 6);
  return { from: month, to: weekEnd > last ? weekEnd : last };
}

/** Recomputes one month of visit_person and visit_starts and swaps it in. */
export async function refreshMonth(w: Warehouse, dirty: DirtyMonth, options: RefreshOptions = {}): Promise<void> {
  const { month } = dirty;
  const [{ done }] = (await queryRows<{ done: string }>(
    w.client,
    `SELECT toString(least(toDateTime64({at:String}, 3, 'UTC'), now64(3, 'UTC') - toIntervalMillisecond({margin:UInt32}))) AS done`,
    { at: dirty.at, margin: marginMs(options) },
  )) as [{ done: string }];
  // A month before the person-level retention horizon has lost its activity_actor_daily rows: recomputing it would
  // empty visit_cube, which is kept. Its mark (a late statement) is acknowledged, nothing recomputed.
  const horizon = await retainedFrom(w, TABLES.activityActorDaily);
  if (horizon !== null && month < horizon) {
    await command(
      w.client,
      `INSERT INTO ${TABLES.visitRefreshed} SELECT toDate({month:String}), toDateTime64({done:String}, 3, 'UTC')`,
      { month, done },
    );
    return;
  }
  for (const table of [TABLES.visitDayStage, TABLES.visitPersonStage, TABLES.visitCubeStage, TABLES.visitStartsStage]) {
    await command(w.client, `TRUNCATE TABLE ${table}`);
  }
  await command(w.client, dayStageSql(), monthDays(month));
  for (const sql of monthStageSql()) await command(w.client, sql, { month });
  for (const sql of cubeStageSql()) await command(w.client, sql);
  const partition = month.replaceAll('-', '');
  for (const [table, stage] of [
    [TABLES.visitPerson, TABLES.visitPersonStage],
    [TABLES.visitCube, TABLES.visitCubeStage],
    [TABLES.visitStarts, TABLES.visitStartsStage],
  ] as const) {
    // One part per month: a view reads a handful of parts instead of one per insert.
    await command(w.client, `OPTIMIZE TABLE ${stage} FINAL`);
    const [{ n }] = (await queryRows<{ n: string }>(w.client, `SELECT count() AS n FROM ${stage}`)) as [{ n: string }];
    // A month left without activity (erasure) has nothing to swap in: its partition is dropped.
    await command(
      w.client,
      Number(n) > 0
        ? `ALTER TABLE ${table} REPLACE PARTITION ID '${partition}' FROM ${stage}`
        : `ALTER TABLE ${table} DROP PARTITION ID '${partition}'`,
    );
  }
  await command(
    w.client,
    `INSERT INTO ${TABLES.visitRefreshed} SELECT toDate({month:String}), toDateTime64({done:String}, 3, 'UTC')`,
    { month, done },
  );
  await command(w.client, `TRUNCATE TABLE ${TABLES.visitDayStage}`);
}

export interface RefreshResult {
  months: string[];
  milliseconds: number;
}

/** Serialises the calls of this process on one warehouse, so that it never contends with itself for the lease. */
const running = new WeakMap<Warehouse, Promise<RefreshResult>>();

/**
 * Recomputes every dirty month, under the lease RECOMPUTE_LEASE (one recomputation at a time among every process
 * on the database). When another process holds it, waits for it (up to `leaseWaitMs`, then LeaseHeld), then
 * recomputes what is still dirty (usually nothing: the holder did it). Nothing dirty: returns without the lease.
 * Calls of one process on the same warehouse run one after the other.
 */
export async function refreshVisitRollups(w: Warehouse, options: RefreshOptions = {}): Promise<RefreshResult> {
  const previous = running.get(w);
  const next = (async () => {
    if (previous) await previous.catch(() => undefined);
    return refreshUnderLease(w, options);
  })();
  running.set(w, next);
  try {
    return await next;
  } finally {
    if (running.get(w) === next) running.delete(w);
  }
}

async function refreshUnderLease(w: Warehouse, options: RefreshOptions): Promise<RefreshResult> {
  const t = performance.now();
  const holder = options.holder ?? `${hostname()}:${process.pid}`;
  const deadline = Date.now() + (options.leaseWaitMs ?? DEFAULT_LEASE_WAIT_MS);
  for (;;) {
    if ((await dirtyMonthMarks(w)).length === 0) {
      await recordComplete(w, options);
      return { months: [], milliseconds: performance.now() - t };
    }
    try {
      return await withLease(w, RECOMPUTE_LEASE, holder, () => refreshDirty(w, options, t), options.lease);
    } catch (e) {
      if (!(e instanceof LeaseHeld) || Date.now() >= deadline || options.signal?.aborted) throw e;
      await new Promise((r) => setTimeout(r, Math.min(LEASE_POLL_MS, deadline - Date.now())));
    }
  }
}

/** How stale the record of a complete state may grow while nothing is dirty (one insert a minute at most). */
const COMPLETE_RECORD_EVERY_SECONDS = 60;

/**
 * Nothing dirty: every statement marked before now (less the in-flight margin) is counted. Recorded when the last
 * record is older than a minute (or absent: after a start on an empty store, a later month never computed would
 * otherwise leave rollupsAsOf unknown).
 */
async function recordComplete(w: Warehouse, options: RefreshOptions): Promise<void> {
  await command(
    w.client,
    `INSERT INTO ${TABLES.visitComplete}
SELECT now64(3, 'UTC') - toIntervalMillisecond({margin:UInt32})
WHERE (SELECT max(at) FROM ${TABLES.visitComplete}) < now64(3, 'UTC') - toIntervalSecond({every:UInt32})`,
    { margin: marginMs(options), every: COMPLETE_RECORD_EVERY_SECONDS },
  );
}

function marginMs(options: RefreshOptions): number {
  return Math.round((options.inFlightMarginSeconds ?? IN_FLIGHT_MARGIN_SECONDS) * 1000);
}

/** Holding the lease: the months still dirty now (another holder may have done some), each recomputed. */
async function refreshDirty(w: Warehouse, options: RefreshOptions, t: number): Promise<RefreshResult> {
  const [{ start }] = (await queryRows<{ start: string }>(
    w.client,
    `SELECT toString(now64(3, 'UTC') - toIntervalMillisecond({margin:UInt32})) AS start`,
    { margin: marginMs(options) },
  )) as [{ start: string }];
  const dirty = await dirtyMonthMarks(w);
  for (const d of dirty) await refreshMonth(w, d, options);
  // Every statement marked before this run started (less the in-flight margin) is now counted: rollupsAsOf.
  await command(w.client, `INSERT INTO ${TABLES.visitComplete} SELECT toDateTime64({start:String}, 3, 'UTC')`, {
    start,
  });
  return { months: dirty.map((d) => d.month), milliseconds: performance.now() - t };
}

/**
 * The instant before which every statement is counted by the visit rollups (ISO, UTC), or null when some month
 * with statements was never computed (first catch-up after a bulk load or migration 040). Nothing dirty: now.
 * Otherwise the later of the last complete catch-up's start and the earliest recomputation of a dirty month (a
 * dirty month counts every statement marked before its own recomputation).
 */
export async function rollupsAsOf(w: Warehouse): Promise<string | null> {
  const [row] = await queryRows<{ pending: string; as_of: string }>(
    w.client,
    `SELECT toString(count()) AS pending,
  toString(if(count() = 0, now64(3, 'UTC'),
    greatest((SELECT max(at) FROM ${TABLES.visitComplete}), min(r.at)))) AS as_of
FROM (SELECT month, max(at) AS at FROM ${TABLES.visitDirty} GROUP BY month) AS d
LEFT JOIN (SELECT month, max(at) AS at FROM ${TABLES.visitRefreshed} GROUP BY month) AS r ON r.month = d.month
WHERE d.at > r.at`,
  );
  if (!row || row.as_of.startsWith('1970-01-01')) return null;
  return `${row.as_of.replace(' ', 'T')}Z`;
}
