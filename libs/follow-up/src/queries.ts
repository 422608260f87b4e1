import { TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import type { FollowUpPeriod } from './model.js';

/**
 * The follow-up's ClickHouse reads, over the narrow tables of migrations 050–051 (keyed by pupil pseudonym or by
 * class), never over `statements`: the homework of some classes, and everything of some pupils in one pass (a page
 * is two round trips; events.ts derives the visits, hand-ins, marks and positionings from the rows). Times come
 * back as epoch milliseconds (UTC); days are Paris days.
 */
type Client = Warehouse['client'];

const PARIS_DAY = `toDate(toTimeZone(timestamp, 'Europe/Paris'))`;
const IN_PERIOD = `${PARIS_DAY} BETWEEN {from:Date} AND {to:Date}`;
/** What the pupil did themself (events.ts OWN_KINDS): visits and hand-ins. */
const OWN_ACTIVITY = `kind IN ('activity', 'submitted')`;

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

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

export interface PupilEventRow {
  pupil: string;
  at: number;
  /** Paris day (YYYY-MM-DD). */
  day: string;
  /** activity, submitted, scored, positioned; 'before' for the pupil's last visit or hand-in before the range. */
  kind: string;
  /** '' when the statement breaks no rule of the profile. */
  problem: string;
  service: string;
  id: string;
  objectType: string;
  subject: string;
  title: string;
  onTime: number | null;
  /** 0–1 */
  score: number | null;
  level: number | null;
  component: string;
  cycle: number;
  uai: string;
  classId: string;
}

const EVENT_COLUMNS = `actor_pseudonym AS pupil, toUnixTimestamp64Milli(timestamp) AS at, toString(${PARIS_DAY}) AS day,
  toString(kind) AS kind, toString(problem) AS problem, toString(ent_service) AS service, object_id AS id,
  toString(object_type) AS objectType, toString(subject) AS subject, title, on_time AS onTime, score, level,
  toString(component) AS component, cycle, toString(uai) AS uai, class_id AS classId`;

/**
 * Every row of the pupils between two Paris days (whatever its kind and problem, for the rules that need them), and
 * each pupil's last visit or hand-in before the first day (kind 'before'), oldest first.
 */
export async function pupilEvents(client: Client, pupils: string[], range: FollowUpPeriod): Promise<PupilEventRow[]> {
  if (pupils.length === 0) return [];
  const rows = await queryRows<Record<keyof PupilEventRow, string | number | null>>(
    client,
    `SELECT ${EVENT_COLUMNS} FROM ${TABLES.followUpPupilEvents}
      WHERE actor_pseudonym IN {pupils:Array(String)} AND ${IN_PERIOD}
     UNION ALL
     SELECT actor_pseudonym AS pupil, toUnixTimestamp64Milli(max(timestamp)) AS at, '' AS day, 'before' AS kind,
            '' AS problem, '' AS service, '' AS id, '' AS objectType, '' AS subject, '' AS title,
            CAST(NULL AS Nullable(UInt8)) AS onTime, CAST(NULL AS Nullable(Float64)) AS score,
            CAST(NULL AS Nullable(Int8)) AS level, '' AS component, toUInt8(0) AS cycle, '' AS uai, '' AS classId
       FROM ${TABLES.followUpPupilEvents}
      WHERE actor_pseudonym IN {pupils:Array(String)} AND ${OWN_ACTIVITY} AND ${PARIS_DAY} < {from:Date}
      GROUP BY actor_pseudonym`,
    { pupils, ...range },
  );
  return rows
    .map((r) => ({
      pupil: String(r.pupil),
      at: Number(r.at),
      day: String(r.day),
      kind: String(r.kind),
      problem: String(r.problem),
      service: String(r.service),
      id: String(r.id),
      objectType: String(r.objectType),
      subject: String(r.subject),
      title: String(r.title),
      onTime: num(r.onTime),
      score: num(r.score),
      level: num(r.level),
      component: String(r.component),
      cycle: Number(r.cycle),
      uai: String(r.uai),
      classId: String(r.classId),
    }))
    .sort((a, b) => (a.pupil < b.pupil ? -1 : a.pupil > b.pupil ? 1 : a.at - b.at));
}
