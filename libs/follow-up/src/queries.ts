import { TABLES, type Warehouse, checkParams, queryRows } from '@ent-observatory/warehouse';
import type { FollowUpPeriod } from './model.js';

/**
 * The follow-up's ClickHouse reads, over the narrow tables of migrations 050–051 (keyed by pupil pseudonym or by
 * class), never over `statements`: the homework of some classes, and everything of some pupils in one pass (a page
 * is two reads side by side, a third when a pupil has no visit in the range; events.ts derives the visits, hand-ins, marks and positionings from the rows). Times come
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
  /**
   * activity, submitted, scored, positioned; 'before' for the pupil's last visit or hand-in before the range, when
   * they have none in it.
   */
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
 * What a class page needs of a row (events.ts dailyVisits, lastActivity, submissions, marks, positionings), no
 * more: not the plain strings title and class id nor the service and establishment, and the object id only where
 * a hand-in or mark is matched with its homework. Visits are most rows, and each column read costs its compressed
 * blocks of every granule the class's pupils touch (bench/results/follow-up-10m-grown-2026-12-06.md).
 */
// EVENT_COLUMNS and FIGURE_COLUMNS list the same fields in the same order (pupilEvents reads them by position).
const FIGURE_COLUMNS = `actor_pseudonym AS pupil, toUnixTimestamp64Milli(timestamp) AS at, toString(${PARIS_DAY}) AS day,
  toString(kind) AS kind, toString(problem) AS problem, '' AS service,
  if(kind IN ('submitted', 'scored'), object_id, '') AS id, toString(object_type) AS objectType,
  toString(subject) AS subject, '' AS title, on_time AS onTime, score, level, toString(component) AS component, cycle,
  '' AS uai, '' AS classId`;

/**
 * Which columns pupilEvents reads: 'all' (a pupil page: timeline, hand-over), or 'figures' (a class page: title,
 * service, uai and classId come back '', id only on hand-ins and marks).
 */
export type EventDetail = 'all' | 'figures';

/**
 * Every row of the pupils between two Paris days (whatever its kind and problem, for the rules that need them), and
 * the last visit or hand-in before the first day (kind 'before') of each pupil who has none in the range, oldest
 * first. The 'before' row only serves lastActivity, which a visit in the range makes moot: asked in a second
 * query for the pupils who need it (few: those silent the whole range), instead of scanning every pupil's earlier
 * history on each page.
 */
export async function pupilEvents(
  client: Client,
  pupils: string[],
  range: FollowUpPeriod,
  detail: EventDetail = 'all',
): Promise<PupilEventRow[]> {
  if (pupils.length === 0) return [];
  // One JSON document of arrays (JSONCompact) rather than a JSON object per line (JSONEachRow): a page's few
  // thousand rows parse in one JSON.parse instead of one per row and their keys, about a third of the read's own
  // CPU time in Node.
  const sql = `SELECT ${detail === 'all' ? EVENT_COLUMNS : FIGURE_COLUMNS} FROM ${TABLES.followUpPupilEvents}
      WHERE actor_pseudonym IN {pupils:Array(String)} AND ${IN_PERIOD}`;
  const params = { pupils, ...range };
  checkParams(sql, params);
  const result = await (
    await client.query({ query: sql, query_params: params, format: 'JSONCompact' })
  ).json<(string | number | null)[]>();
  // Both column lists name the fields in PupilEventRow's order.
  const rows = result.data.map((r): PupilEventRow => {
    const [pupil, at, day, kind, problem, service, id, objectType, subject, title] = r;
    const [onTime, score, level, component, cycle, uai, classId] = r.slice(10);
    return {
      pupil: String(pupil),
      at: Number(at),
      day: String(day),
      kind: String(kind),
      problem: String(problem),
      service: String(service),
      id: String(id),
      objectType: String(objectType),
      subject: String(subject),
      title: String(title),
      onTime: num(onTime ?? null),
      score: num(score ?? null),
      level: num(level ?? null),
      component: String(component),
      cycle: Number(cycle),
      uai: String(uai),
      classId: String(classId),
    };
  });
  const active = new Set(rows.filter((r) => r.kind === 'activity' || r.kind === 'submitted').map((r) => r.pupil));
  const silent = pupils.filter((p) => !active.has(p));
  if (silent.length > 0) rows.push(...(await lastBefore(client, silent, range.from)));
  return rows.sort((a, b) => (a.pupil < b.pupil ? -1 : a.pupil > b.pupil ? 1 : a.at - b.at));
}

/** Each pupil's last visit or hand-in before a Paris day, as a 'before' row (none when they have none). */
async function lastBefore(client: Client, pupils: string[], from: string): Promise<PupilEventRow[]> {
  const rows = await queryRows<{ pupil: string; at: string }>(
    client,
    `SELECT actor_pseudonym AS pupil, toUnixTimestamp64Milli(max(timestamp)) AS at
       FROM ${TABLES.followUpPupilEvents}
      WHERE actor_pseudonym IN {pupils:Array(String)} AND ${OWN_ACTIVITY} AND ${PARIS_DAY} < {from:Date}
      GROUP BY actor_pseudonym`,
    { pupils, from },
  );
  return rows.map((r) => ({
    pupil: r.pupil,
    at: Number(r.at),
    day: '',
    kind: 'before',
    problem: '',
    service: '',
    id: '',
    objectType: '',
    subject: '',
    title: '',
    onTime: null,
    score: null,
    level: null,
    component: '',
    cycle: 0,
    uai: '',
    classId: '',
  }));
}
