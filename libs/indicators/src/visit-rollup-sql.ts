import { TABLES } from '@ent-observatory/warehouse';
import { DEVICE_EXPR, PROFILE_EXPR, SERVICE_EXPR } from './filter.js';
import { visitCount, visitSpan, visitStarts, visitsWithin } from './visits.js';

/**
 * The SQL of the visit rollups (migrations 040, 058; visit-rollup.ts runs it, docs/indicators.md "Rollups").
 *
 * Day rows (visit_day_stage) are counted from activity_actor_daily's minute sets, per person × Paris day ×
 * establishment × profile × device: the union of their active minutes across services gives the ENT visits (runs
 * with no gap over 30 minutes), their span and the hour each visit starts; a service's visits are the ENT visits it
 * was opened in (never more than the ENT's), its span that of its own minutes.
 *
 * A catch-up turns the day rows of its dirty persons × days × establishments into signed deltas against what
 * visit_person and visit_starts hold for them (personDeltaSql, startsDeltaSql); the reference full recomputation
 * (visit-rollup-full.ts) writes a month's rows whole (monthStageSql). Both derive visit_cube's cells from
 * visit_person rows the same way (cubeStageSql).
 */

export const TERRITORY = 'region, academie, departement, uai, sector, rep';

/** The days × establishments a catch-up batch counts (visit-rollup.ts fills the table once per batch). */
export const BATCH_PAIRS = `(SELECT DISTINCT day, uai FROM ${TABLES.visitBatchDays})`;

/**
 * Within the batch's days × establishments, the rows of the persons it counts (migration 061): every person of a day ×
 * establishment marked whole (person 0), the marked persons of the others. `day` and `person` are the column (or
 * expression) of the table read. BATCH_PAIRS is still given beside it: an IN on the sorting key's columns narrows the
 * scan, this condition only filters the rows read.
 */
export const batchPersons = (day: string, person: string) =>
  `((${day}, uai) IN (SELECT day, uai FROM ${TABLES.visitBatchDays} WHERE person = 0)
    OR (${day}, uai, ${person}) IN (SELECT day, uai, person FROM ${TABLES.visitBatchDays} WHERE person != 0))`;

/**
 * Fills visit_batch_days from the marks newer than {after} on the batch's days [{from}, {to}]: a row per person
 * marked, or one row of person 0 for a day × establishment marked whole or with more than `most` persons marked.
 * Past that many (a new day, a bulk load), reading its whole day costs about what filtering it would, and the sets
 * the catch-up looks persons up in stay bounded by the number of establishment-days. (`most`, spliced into the SQL,
 * is checked by refreshVisitRollups.)
 */
export function batchPairsSql(most: number): string {
  return `INSERT INTO ${TABLES.visitBatchDays} (day, uai, person)
SELECT day, uai, arrayJoin(if(has(persons, 0) OR length(persons) > ${most}, [toUInt64(0)], persons))
FROM (
  SELECT day, uai, groupUniqArray(${most + 1})(person) AS persons FROM ${TABLES.visitDirtyDay}
  WHERE at > toDateTime64({after:String}, 3, 'UTC') AND day BETWEEN {from:Date} AND {to:Date}
  GROUP BY day, uai
)`;
}

/** Step 1: one row per person × day × establishment × profile × device of activity_actor_daily matching `where`. */
export function dayStageSql(where = 'day BETWEEN {from:Date} AND {to:Date}'): string {
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
  WHERE ${where}
  GROUP BY day, ${TERRITORY}, p, d, s, person
)
GROUP BY day, ${TERRITORY}, p, d, person`;
}

/** The catch-up's step 1: the day rows of a batch's dirty persons × days × establishments. */
export const batchDayStageSql = () =>
  dayStageSql(
    `day BETWEEN {from:Date} AND {to:Date} AND (day, uai) IN ${BATCH_PAIRS}
    AND ${batchPersons('day', 'cityHash64(actor_pseudonym)')}`,
  );

/**
 * The days × establishments of a batch's day rows (visit_day_stage) added to visit_establishment_days (migration
 * 059): every day row is activity, so each is an ENT-wide visit_person cell.
 */
export const establishmentDaysSql = () => `INSERT INTO ${TABLES.visitEstablishmentDays} (day, ${TERRITORY})
SELECT DISTINCT day, ${TERRITORY} FROM ${TABLES.visitDayStage}`;

const PERSON_COLUMNS = `grain, period, ${TERRITORY}, ent_profile, ent_service, device, person, visits, span_minutes, events`;
/** The ENT-wide cell ('*') and each service's cell of a day row. */
const SERVICE_CELLS = `ARRAY JOIN arrayConcat(['*'], services) AS svc, arrayConcat([visits], service_visits) AS v,
  arrayConcat([span_minutes], service_spans) AS sp, arrayConcat([events], service_events) AS ev`;

/**
 * The catch-up's step 2: per visit_person cell of the batch's persons × days × establishments, new day row − old
 * day row (rows that did not change cancel out and are left out), written as the day's delta and again re-keyed as its
 * week's (period = Monday) and its month's (period = first day): week and month rows are sums of day rows. The old
 * rows of one day × establishment and service kind are a contiguous range of visit_person's sorting key.
 */
export function personDeltaSql(): string {
  return `INSERT INTO ${TABLES.visitPersonStage} (${PERSON_COLUMNS})
SELECT g.1, g.2, ${TERRITORY}, ent_profile, ent_service, device, person, dv, dsp, dev
FROM (
  SELECT day, ${TERRITORY}, ent_profile, ent_service, device, person, sum(v) AS dv, sum(sp) AS dsp, sum(ev) AS dev
  FROM (
    SELECT day, ${TERRITORY}, ent_profile, svc AS ent_service, device, person,
      toInt64(v) AS v, toInt64(sp) AS sp, toInt64(ev) AS ev
    FROM ${TABLES.visitDayStage}
    ${SERVICE_CELLS}
    UNION ALL
    SELECT period, ${TERRITORY}, ent_profile, ent_service, device, person,
      -toInt64(visits), -toInt64(span_minutes), -toInt64(events)
    FROM ${TABLES.visitPerson}
    WHERE grain = 'day' AND period BETWEEN {from:Date} AND {to:Date} AND (period, uai) IN ${BATCH_PAIRS}
      AND ${batchPersons('period', 'person')}
  )
  GROUP BY day, ${TERRITORY}, ent_profile, ent_service, device, person
  HAVING dv != 0 OR dsp != 0 OR dev != 0
)
ARRAY JOIN [('day', day), ('week', toMonday(day)), ('month', toStartOfMonth(day))] AS g`;
}

/**
 * The catch-up's step 3: per visit_starts cell (day × establishment × profile × hour × person), new visits starting
 * then − old. Unlike visit_person's, such a cell can fall to 0 (two visits merged by a late statement: the later
 * start is gone); its readers count only persons whose net visits in a cell are above 0.
 */
export function startsDeltaSql(): string {
  return `INSERT INTO ${TABLES.visitStartsStage} (day, ${TERRITORY}, ent_profile, hour, person, visits)
SELECT day, ${TERRITORY}, ent_profile, hour, person, sum(n) AS dn
FROM (
  SELECT day, ${TERRITORY}, ent_profile, hour, person, toInt64(1) AS n
  FROM ${TABLES.visitDayStage}
  ARRAY JOIN start_hours AS hour
  UNION ALL
  SELECT day, ${TERRITORY}, ent_profile, hour, person, -toInt64(visits)
  FROM ${TABLES.visitStarts}
  WHERE day BETWEEN {from:Date} AND {to:Date} AND (day, uai) IN ${BATCH_PAIRS}
    AND ${batchPersons('day', 'person')}
)
GROUP BY day, ${TERRITORY}, ent_profile, hour, person
HAVING dn != 0`;
}

/** The full recomputation of a month: its visit_person and visit_starts rows, from the day rows. */
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
SELECT day, ${TERRITORY}, ent_profile, hour, person, toInt32(count())
FROM ${TABLES.visitDayStage}
ARRAY JOIN start_hours AS hour
WHERE toStartOfMonth(day) = {month:Date}
GROUP BY day, ${TERRITORY}, ent_profile, hour, person`,
  ];
}

/**
 * visit_cube cells from visit_person rows (persons merged into uniqCombined states): from visit_person_stage, a
 * catch-up's deltas (sums of deltas; the states of the persons of the delta, a union with the cell's) or a month
 * recomputed whole; from visit_person itself, the months an erasure rewrites (`where`). One INSERT per level, or
 * `together`, one INSERT of the four levels (UNION ALL): a catch-up's stage is small, and each statement costs a few
 * milliseconds whatever its size; a month's is not, and one level at a time bounds the memory its states take.
 */
export function cubeStageSql(
  source: string = TABLES.visitPersonStage,
  where = '1',
  { together = false }: { together?: boolean } = {},
): string[] {
  const columns = `level, grain, period, ${TERRITORY}, ent_profile, ent_service, device, visits, span_minutes, events, users`;
  const measures = 'sum(visits), sum(span_minutes), sum(events), uniqCombinedState(12)(person)';
  const levels = [
    `SELECT 'dept', grain, period, region, academie, departement, '', '', '', ent_profile, ent_service, device, ${measures}
FROM ${source}
WHERE ${where}
GROUP BY grain, period, region, academie, departement, ent_profile, ent_service, device`,
    `SELECT 'dept_total', grain, period, region, academie, departement, '', '', '', '*', '*', '*', ${measures}
FROM ${source}
WHERE ent_service = '*' AND ${where}
GROUP BY grain, period, region, academie, departement`,
    `SELECT 'dept_service', grain, period, region, academie, departement, '', '', '', '*', ent_service, '*', ${measures}
FROM ${source}
WHERE ent_service != '*' AND ${where}
GROUP BY grain, period, region, academie, departement, ent_service`,
    `SELECT 'sector', grain, period, region, academie, departement, '', sector, rep, ent_profile, '*', '*', ${measures}
FROM ${source}
WHERE ent_service = '*' AND ${where}
GROUP BY grain, period, region, academie, departement, sector, rep, ent_profile`,
  ];
  const insert = `INSERT INTO ${TABLES.visitCubeStage} (${columns})\n`;
  return together ? [insert + levels.join('\nUNION ALL\n')] : levels.map((select) => insert + select);
}
