import { TABLES, type Warehouse, command, queryRows } from '@ent-observatory/warehouse';
import { DEVICE_EXPR, PROFILE_EXPR, SERVICE_EXPR } from './filter.js';

/**
 * The person-free visit rollups (migration 040, docs/indicators.md "Rollups"): visit_cube and visit_starts,
 * recomputed one ISO week at a time from activity_actor_daily's exact minute sets.
 *
 * A week's recomputation:
 * 1. person rows (visit_person_stage): per person × Paris day × establishment × profile × device, the union of their
 *    active minutes across services gives the ENT visits (runs with no gap over 30 minutes), their span and the hour
 *    each visit starts; each service's own minutes give that service's visits and span;
 * 2. establishment cells (levels 'uai' for service '*' and 'uai_service'), per day, with the persons as uniq states;
 * 3. département cells (level 'dept') merged from them, then every level's week cells merged from the day cells
 *    (uniqMergeState: a person active on three days of the week counts once in the week);
 * 4. the same for visit starts by hour;
 * 5. the week's partition of visit_cube and visit_starts replaced by the staging tables' (atomic per table), and the
 *    week recorded in visit_refreshed as done up to its latest dirty mark (RefreshOptions: an insert still in flight
 *    during the recomputation leaves the week dirty).
 */

const TERRITORY = 'region, academie, departement, uai, sector, rep';
const NO_UAI_TERRITORY = `region, academie, departement, '' AS uai, sector, rep`;
/** Default RefreshOptions.inFlightMarginSeconds. */
const IN_FLIGHT_MARGIN_SECONDS = 2;

const RUNS = (m: string) => `toUInt32(1 + arrayCount(x -> x > 30, arrayDifference(${m})))`;
const SPAN = (m: string) => `toUInt32(arraySum(x -> if(x <= 30, x, 0), arrayDifference(${m})))`;

export function personStageSql(): string {
  return `INSERT INTO ${TABLES.visitPersonStage} (day, region, academie, departement, uai, sector, rep, ent_profile,
  device, person, visits, span_minutes, events, start_hours, services, service_visits, service_spans, service_events)
SELECT day, region, academie, departement, uai, sector, rep, p, d, person,
  ${RUNS('(arraySort(arrayDistinct(arrayFlatten(groupArray(m) AS ms))) AS mm)')}, ${SPAN('mm')}, sum(e),
  arrayMap(x -> toUInt8(intDiv(x, 60)), arrayFilter((x, i) -> i = 1 OR x - mm[i - 1] > 30, mm, arrayEnumerate(mm))),
  groupArray(s), arrayMap(z -> ${RUNS('z')}, ms), arrayMap(z -> ${SPAN('z')}, ms), groupArray(e)
FROM (
  SELECT day, ${TERRITORY}, ${PROFILE_EXPR} AS p, ${DEVICE_EXPR} AS d, ${SERVICE_EXPR} AS s,
    actor_pseudonym AS person, arraySort(groupUniqArrayMerge(minutes)) AS m, sum(events) AS e
  FROM ${TABLES.activityActorDaily}
  WHERE day BETWEEN {week:Date} AND {week:Date} + 6
  GROUP BY day, ${TERRITORY}, p, d, s, person
)
GROUP BY day, ${TERRITORY}, p, d, person`;
}

const CUBE_COLUMNS = `level, grain, period, ${TERRITORY}, ent_profile, ent_service, device, visits, span_minutes, events, users`;

/** Step 2-3: establishment day cells, département day cells, then week cells of every level. */
export function cubeStageSql(): string[] {
  const stage = TABLES.visitCubeStage;
  return [
    `INSERT INTO ${stage} (${CUBE_COLUMNS})
SELECT if(svc = '*', 'uai', 'uai_service'), 'day', day, ${TERRITORY}, ent_profile, svc, device,
  sum(v), sum(sp), sum(ev), uniqState(person)
FROM ${TABLES.visitPersonStage}
ARRAY JOIN arrayConcat(['*'], services) AS svc, arrayConcat([visits], service_visits) AS v,
  arrayConcat([span_minutes], service_spans) AS sp, arrayConcat([events], service_events) AS ev
GROUP BY svc, day, ${TERRITORY}, ent_profile, device`,
    `INSERT INTO ${stage} (${CUBE_COLUMNS})
SELECT 'dept', 'day', period, ${NO_UAI_TERRITORY}, ent_profile, ent_service, device,
  sum(visits), sum(span_minutes), sum(events), uniqMergeState(users)
FROM ${stage}
WHERE grain = 'day' AND level IN ('uai', 'uai_service')
GROUP BY period, region, academie, departement, sector, rep, ent_profile, ent_service, device`,
    `INSERT INTO ${stage} (${CUBE_COLUMNS})
SELECT level, 'week', toMonday(period) AS monday, ${TERRITORY}, ent_profile, ent_service, device,
  sum(visits), sum(span_minutes), sum(events), uniqMergeState(users)
FROM ${stage}
WHERE grain = 'day'
GROUP BY level, monday, ${TERRITORY}, ent_profile, ent_service, device`,
  ];
}

const STARTS_COLUMNS = `level, day, ${TERRITORY}, ent_profile, hour, visits, users`;

/** Step 4: visit starts by hour, per establishment then per département. */
export function startsStageSql(): string[] {
  const stage = TABLES.visitStartsStage;
  return [
    `INSERT INTO ${stage} (${STARTS_COLUMNS})
SELECT 'uai', day, ${TERRITORY}, ent_profile, hour, count(), uniqState(person)
FROM ${TABLES.visitPersonStage}
ARRAY JOIN start_hours AS hour
GROUP BY day, ${TERRITORY}, ent_profile, hour`,
    `INSERT INTO ${stage} (${STARTS_COLUMNS})
SELECT 'dept', day, ${NO_UAI_TERRITORY}, ent_profile, hour, sum(visits), uniqMergeState(users)
FROM ${stage}
WHERE level = 'uai'
GROUP BY day, region, academie, departement, sector, rep, ent_profile, hour`,
  ];
}

/** A week to recompute: its Monday and its latest dirty mark. */
export interface DirtyWeek {
  week: string;
  /** The latest insert mark seen (DateTime64 text, UTC). */
  at: string;
}

/** The weeks whose statements changed since they were last recomputed, oldest first. */
export async function dirtyWeeks(w: Warehouse): Promise<string[]> {
  return (await dirtyWeekMarks(w)).map((d) => d.week);
}

async function dirtyWeekMarks(w: Warehouse): Promise<DirtyWeek[]> {
  return queryRows<DirtyWeek>(
    w.client,
    `SELECT toString(d.week) AS week, toString(d.at) AS at
FROM (SELECT week, max(at) AS at FROM ${TABLES.visitDirty} GROUP BY week) AS d
LEFT JOIN (SELECT week, max(at) AS at FROM ${TABLES.visitRefreshed} GROUP BY week) AS r ON r.week = d.week
WHERE d.at > r.at
ORDER BY week`,
  );
}

/** Marks weeks for recomputation (erasure: the weeks a removed person was active in). */
export async function markWeeksDirty(w: Warehouse, weeks: string[]): Promise<void> {
  if (weeks.length === 0) return;
  await command(
    w.client,
    `INSERT INTO ${TABLES.visitDirty} SELECT toDate(week) AS week, now64(3, 'UTC') AS at FROM (SELECT arrayJoin({weeks:Array(String)}) AS week)`,
    { weeks },
  );
}

export interface RefreshOptions {
  /**
   * Seconds an insert may take between its dirty mark and its commit (default 2): a recomputation records the week
   * as done up to its latest mark, but never later than its own start minus this margin, so an insert still in
   * flight when it read the week marks it again. 0 where no insert runs concurrently (tests, benchmark).
   */
  inFlightMarginSeconds?: number;
}

/** Recomputes one week of visit_cube and visit_starts and swaps it in. */
export async function refreshWeek(w: Warehouse, dirty: DirtyWeek, options: RefreshOptions = {}): Promise<void> {
  const { week } = dirty;
  const margin = options.inFlightMarginSeconds ?? IN_FLIGHT_MARGIN_SECONDS;
  const [{ done }] = (await queryRows<{ done: string }>(
    w.client,
    `SELECT toString(least(toDateTime64({at:String}, 3, 'UTC'), now64(3, 'UTC') - toIntervalMillisecond({margin:UInt32}))) AS done`,
    { at: dirty.at, margin: Math.round(margin * 1000) },
  )) as [{ done: string }];
  for (const table of [TABLES.visitPersonStage, TABLES.visitCubeStage, TABLES.visitStartsStage]) {
    await command(w.client, `TRUNCATE TABLE ${table}`);
  }
  await command(w.client, personStageSql(), { week });
  for (const sql of [...cubeStageSql(), ...startsStageSql()]) await command(w.client, sql);
  const partition = week.replaceAll('-', '');
  for (const [table, stage] of [
    [TABLES.visitCube, TABLES.visitCubeStage],
    [TABLES.visitStarts, TABLES.visitStartsStage],
  ] as const) {
    const [{ n }] = (await queryRows<{ n: string }>(w.client, `SELECT count() AS n FROM ${stage}`)) as [{ n: string }];
    // A week left without activity (erasure) has nothing to swap in: its partition is dropped.
    await command(
      w.client,
      Number(n) > 0
        ? `ALTER TABLE ${table} REPLACE PARTITION ID '${partition}' FROM ${stage}`
        : `ALTER TABLE ${table} DROP PARTITION ID '${partition}'`,
    );
  }
  await command(
    w.client,
    `INSERT INTO ${TABLES.visitRefreshed} SELECT toDate({week:String}), toDateTime64({done:String}, 3, 'UTC')`,
    { week, done },
  );
  await command(w.client, `TRUNCATE TABLE ${TABLES.visitPersonStage}`);
}

export interface RefreshResult {
  weeks: string[];
  milliseconds: number;
}

const running = new WeakMap<Warehouse, Promise<RefreshResult>>();

/**
 * Recomputes every dirty week. Calls on the same warehouse are serialised (one staging area): a call made while
 * another runs waits for it, then looks for weeks dirtied meanwhile.
 */
export async function refreshVisitRollups(w: Warehouse, options: RefreshOptions = {}): Promise<RefreshResult> {
  const previous = running.get(w);
  const next = (async () => {
    if (previous) await previous.catch(() => undefined);
    const t = performance.now();
    const dirty = await dirtyWeekMarks(w);
    for (const d of dirty) await refreshWeek(w, d, options);
    return { weeks: dirty.map((d) => d.week), milliseconds: performance.now() - t };
  })();
  running.set(w, next);
  try {
    return await next;
  } finally {
    if (running.get(w) === next) running.delete(w);
  }
}
