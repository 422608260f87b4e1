import { TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import type { FollowUpPeriod } from './model.js';

/**
 * The follow-up's ClickHouse reads: one query per question, over the narrow tables of migration 050 (keyed by
 * pupil pseudonym or by class), never over `statements`. Only rows that break no rule of the profile
 * (problem = '') are read. Times come back as epoch milliseconds (UTC); days are Paris days.
 */
type Client = Warehouse['client'];

const PARIS_DAY = `toDate(toTimeZone(timestamp, 'Europe/Paris'))`;
const IN_PERIOD = `${PARIS_DAY} BETWEEN {from:Date} AND {to:Date}`;
/**
 * What the pupil did themself: visits and hand-ins. Marks and positionings have the pupil as actor but are entered
 * by a teacher, so they are no sign of the pupil's activity (a pupil who drifted away still gets marks).
 */
const OWN_ACTIVITY = `kind IN ('activity', 'submitted')`;
/** A new visit starts after 30 minutes without a statement (the DNMA's rule, docs/indicators.md). */
const VISIT_GAP_SECONDS = 1800;

const ms = (v: string | number | null): number | null => (v === null ? null : Number(v));

export interface DayActivityRow {
  pupil: string;
  /** Paris day (YYYY-MM-DD). */
  day: string;
  visits: number;
}

/**
 * Visits per pupil and Paris day in the period (a visit that runs past midnight counts on both days): the weeks'
 * sparkline and the days the pupil was active, which the inactivity rule judges their rhythm on.
 */
export async function dailyVisits(client: Client, pupils: string[], period: FollowUpPeriod): Promise<DayActivityRow[]> {
  const rows = await queryRows<{ pupil: string; day: string; visits: string | number }>(
    client,
    `SELECT actor_pseudonym AS pupil, toString(${PARIS_DAY}) AS day,
            arrayCount(d -> d > ${VISIT_GAP_SECONDS},
                       arrayDifference(arraySort(groupArray(toUnixTimestamp(timestamp))))) + 1 AS visits
       FROM ${TABLES.followUpPupilEvents}
      WHERE actor_pseudonym IN {pupils:Array(String)} AND ${OWN_ACTIVITY} AND ${IN_PERIOD}
      GROUP BY pupil, day ORDER BY pupil, day`,
    { pupils, ...period },
  );
  return rows.map((r) => ({ pupil: r.pupil, day: r.day, visits: Number(r.visits) }));
}

/** Each pupil's last visit or hand-in on or before the period's last day (whatever its first day). */
export async function lastActivity(client: Client, pupils: string[], to: string): Promise<Map<string, number>> {
  const rows = await queryRows<{ pupil: string; last: string }>(
    client,
    `SELECT actor_pseudonym AS pupil, toUnixTimestamp64Milli(max(timestamp)) AS last
       FROM ${TABLES.followUpPupilEvents}
      WHERE actor_pseudonym IN {pupils:Array(String)} AND ${OWN_ACTIVITY} AND ${PARIS_DAY} <= {to:Date}
      GROUP BY pupil`,
    { pupils, to },
  );
  return new Map(rows.map((r) => [r.pupil, Number(r.last)]));
}

export interface HomeworkRow {
  classId: string;
  id: string;
  title: string;
  subject: string;
  assignedAt: number;
  due: number;
  expectedDuration: string;
}

/** Homework of the classes due in the period (the same homework assigned twice counts once). */
export async function classHomework(
  client: Client,
  classIds: string[],
  period: FollowUpPeriod,
): Promise<HomeworkRow[]> {
  const rows = await queryRows<Omit<Record<keyof HomeworkRow, string>, 'due'> & { dueMs: string }>(
    client,
    `SELECT class_id AS classId, object_id AS id, any(title) AS title, any(subject) AS subject,
            toUnixTimestamp64Milli(min(timestamp)) AS assignedAt, toUnixTimestamp64Milli(min(due)) AS dueMs,
            any(expected_duration) AS expectedDuration
       FROM ${TABLES.followUpHomework}
      WHERE class_id IN {classes:Array(String)} AND problem = ''
        AND toDate(toTimeZone(due, 'Europe/Paris')) BETWEEN {from:Date} AND {to:Date}
      GROUP BY class_id, object_id ORDER BY dueMs, id`,
    { classes: classIds, ...period },
  );
  return rows.map(({ dueMs, ...r }) => ({ ...r, assignedAt: Number(r.assignedAt), due: Number(dueMs) }));
}

export interface SubmissionRow {
  pupil: string;
  id: string;
  at: number;
  onTime: boolean;
}

/**
 * The first hand-in by each pupil of each homework of the classes due in the period (the homework's ids read in
 * the same query, so that it runs beside classHomework rather than after it).
 */
export async function submissions(
  client: Client,
  pupils: string[],
  classIds: string[],
  period: FollowUpPeriod,
): Promise<SubmissionRow[]> {
  const rows = await queryRows<{ pupil: string; id: string; at: string; onTime: number }>(
    client,
    `SELECT actor_pseudonym AS pupil, object_id AS id, toUnixTimestamp64Milli(min(timestamp)) AS at,
            argMin(on_time, timestamp) AS onTime
       FROM ${TABLES.followUpPupilEvents}
      WHERE actor_pseudonym IN {pupils:Array(String)} AND kind = 'submitted' AND problem = ''
        AND object_id IN (SELECT object_id FROM ${TABLES.followUpHomework}
                           WHERE class_id IN {classes:Array(String)} AND problem = ''
                             AND toDate(toTimeZone(due, 'Europe/Paris')) BETWEEN {from:Date} AND {to:Date})
      GROUP BY pupil, id`,
    { pupils, classes: classIds, ...period },
  );
  return rows.map((r) => ({ pupil: r.pupil, id: r.id, at: Number(r.at), onTime: Number(r.onTime) === 1 }));
}

export interface MarkRow {
  pupil: string;
  at: number;
  id: string;
  subject: string;
  title: string;
  /** 0–1 */
  score: number;
  homework: boolean;
  classId: string;
}

/** Marks (assessments and marked homework) in the period, oldest first. */
export async function marks(client: Client, pupils: string[], period: FollowUpPeriod): Promise<MarkRow[]> {
  const rows = await queryRows<{
    pupil: string;
    at: string;
    id: string;
    subject: string;
    title: string;
    scaled: number;
    homework: number;
    classId: string;
  }>(
    client,
    `SELECT actor_pseudonym AS pupil, toUnixTimestamp64Milli(timestamp) AS at, object_id AS id, subject, title,
            assumeNotNull(score) AS scaled, object_type LIKE '%/activities/homework' AS homework, class_id AS classId
       FROM ${TABLES.followUpPupilEvents}
      WHERE actor_pseudonym IN {pupils:Array(String)} AND kind = 'scored' AND problem = '' AND ${IN_PERIOD}
      ORDER BY pupil, timestamp`,
    { pupils, ...period },
  );
  return rows.map(({ scaled, ...r }) => ({
    ...r,
    at: Number(r.at),
    score: Number(scaled),
    homework: Number(r.homework) === 1,
  }));
}

export interface PositioningRow {
  pupil: string;
  at: number;
  socle: boolean;
  component: string;
  subject: string;
  level: number;
  cycle: number;
  uai: string;
  classId: string;
}

/** Positionings (socle components and subject competences) in the period, oldest first. */
export async function positionings(
  client: Client,
  pupils: string[],
  period: FollowUpPeriod,
): Promise<PositioningRow[]> {
  const rows = await queryRows<Record<keyof PositioningRow | 'levelValue', string | number>>(
    client,
    `SELECT actor_pseudonym AS pupil, toUnixTimestamp64Milli(timestamp) AS at,
            object_type LIKE '%/activities/socle-component' AS socle, component, subject,
            assumeNotNull(level) AS levelValue, cycle, uai, class_id AS classId
       FROM ${TABLES.followUpPupilEvents}
      WHERE actor_pseudonym IN {pupils:Array(String)} AND kind = 'positioned' AND problem = '' AND ${IN_PERIOD}
      ORDER BY pupil, timestamp`,
    { pupils, ...period },
  );
  return rows.map((r) => ({
    pupil: String(r.pupil),
    at: Number(r.at),
    socle: Number(r.socle) === 1,
    component: String(r.component),
    subject: String(r.subject),
    level: Number(r.levelValue),
    cycle: Number(r.cycle),
    uai: String(r.uai),
    classId: String(r.classId),
  }));
}

export interface TimelineRow {
  at: number;
  kind: string;
  service: string;
  title: string;
  subject: string;
  objectType: string;
  score: number | null;
  onTime: number | null;
  level: number | null;
}

/** A pupil's latest statements in the period, newest first. */
export async function timeline(
  client: Client,
  pupil: string,
  period: FollowUpPeriod,
  limit: number,
): Promise<TimelineRow[]> {
  const rows = await queryRows<Record<keyof TimelineRow, string | number | null>>(
    client,
    `SELECT toUnixTimestamp64Milli(timestamp) AS at, kind, ent_service AS service, title, subject,
            object_type AS objectType, score, on_time AS onTime, level
       FROM ${TABLES.followUpPupilEvents}
      WHERE actor_pseudonym = {pupil:String} AND problem = '' AND ${IN_PERIOD}
      ORDER BY timestamp DESC LIMIT {limit:UInt32}`,
    { pupil, limit, ...period },
  );
  return rows.map((r) => ({
    at: Number(r.at),
    kind: String(r.kind),
    service: String(r.service),
    title: String(r.title),
    subject: String(r.subject),
    objectType: String(r.objectType),
    score: r.score === null ? null : Number(r.score),
    onTime: ms(r.onTime),
    level: ms(r.level),
  }));
}

/** The classes a pupil's statements of a period name (last year's CM2 class for the CM2 → 6e hand-over). */
export async function classesSeen(
  client: Client,
  pupil: string,
  period: FollowUpPeriod,
): Promise<{ classId: string; uai: string; n: number }[]> {
  const rows = await queryRows<{ classId: string; uai: string; n: string }>(
    client,
    `SELECT class_id AS classId, any(uai) AS uai, count() AS n FROM ${TABLES.followUpPupilEvents}
      WHERE actor_pseudonym = {pupil:String} AND class_id != '' AND ${IN_PERIOD}
      GROUP BY class_id ORDER BY n DESC`,
    { pupil, ...period },
  );
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}
