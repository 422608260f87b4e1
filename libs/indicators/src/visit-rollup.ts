import { TABLES, type Warehouse, command, queryRows } from '@ent-observatory/warehouse';
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
 */

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
}

/** The days a month's recomputation reads: the month, and the rest of the week of its last Monday. */
export function monthDays(month: string): { from: string; to: string } {
  const last = monthEndOf(month);
  const weekEnd = addDays(mondayOf(last), 6);
  return { from: month, to: weekEnd > last ? weekEnd : last };
}

/** Recomputes one month of visit_person and visit_starts and swaps it in. */
export async function refreshMonth(w: Warehouse, dirty: DirtyMonth, options: RefreshOptions = {}): Promise<void> {
  const { month } = dirty;
  const margin = options.inFlightMarginSeconds ?? IN_FLIGHT_MARGIN_SECONDS;
  const [{ done }] = (await queryRows<{ done: string }>(
    w.client,
    `SELECT toString(least(toDateTime64({at:String}, 3, 'UTC'), now64(3, 'UTC') - toIntervalMillisecond({margin:UInt32}))) AS done`,
    { at: dirty.at, margin: Math.round(margin * 1000) },
  )) as [{ done: string }];
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

const running = new WeakMap<Warehouse, Promise<RefreshResult>>();

/**
 * Recomputes every dirty month. Calls on the same warehouse are serialised (one staging area): a call made while
 * another runs waits for it, then looks for months dirtied meanwhile.
 */
export async function refreshVisitRollups(w: Warehouse, options: RefreshOptions = {}): Promise<RefreshResult> {
  const previous = running.get(w);
  const next = (async () => {
    if (previous) await previous.catch(() => undefined);
    const t = performance.now();
    const dirty = await dirtyMonthMarks(w);
    for (const d of dirty) await refreshMonth(w, d, options);
    return { months: dirty.map((d) => d.month), milliseconds: performance.now() - t };
  })();
  running.set(w, next);
  try {
    return await next;
  } finally {
    if (running.get(w) === next) running.delete(w);
  }
}
