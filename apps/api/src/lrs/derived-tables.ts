import { TABLES, type Warehouse, command, queryRows } from '@ent-observatory/warehouse';
import { VOIDED_VERB } from '@ent-observatory/xapi';

/**
 * `statements` is the source of truth; every other statement table is derived from it by a materialized view
 * (migrations 010, 020, 040, and the follow-up's narrow tables of 050). This compares each derived table with what `statements` says it must hold, and repairs
 * what differs by deriving it again from `statements`. Exactly-once replay of the journal (migration 041) means a
 * crash never leaves them out of step; this is the operator's check (`npm run cli -- lrs:check`), and what the crash
 * test asserts.
 */
export interface DerivedReport {
  statements: { rows: number; ids: number };
  statementsById: { rows: number; ids: number; missing: number };
  statementKeys: { rows: number; expected: number; missing: number };
  statementRefs: { rows: number; expected: number };
  activityActorDaily: { events: number; expected: number; daysOff: string[] };
  pupilWeekly: { events: number; expected: number };
  spaceDaily: { events: number; expected: number };
  /** The follow-up's tables (050): rows against what their view derives from `statements`, ids it lacks. */
  followUpPupilEvents: FollowUpTableCheck;
  followUpHomework: FollowUpTableCheck;
  /** Whether every derived table holds exactly what `statements` says. */
  consistent: boolean;
}

export interface FollowUpTableCheck {
  rows: number;
  expected: number;
  /** Statements the view derives a row from that the table does not hold. */
  missing: number;
}

/** The follow-up tables and the materialized view that feeds each (050_follow_up.sql). */
const FOLLOW_UP_TABLES = [
  { key: 'followUpPupilEvents', table: TABLES.followUpPupilEvents, view: 'follow_up_pupil_events_mv' },
  { key: 'followUpHomework', table: TABLES.followUpHomework, view: 'follow_up_homework_mv' },
] as const;

const PARIS_DAY = `toDate(toTimeZone(timestamp, 'Europe/Paris'))`;
/** The rows the activity rollups count (020_rollups.sql): enriched, not voiding statements. */
const ACTIVITY = `actor_pseudonym != '' AND verb_id != {voided:String}`;

type Row = Record<string, string | number>;

export async function checkDerivedTables(w: Warehouse): Promise<DerivedReport> {
  const one = async (sql: string, params: Record<string, unknown> = {}) =>
    (await queryRows<Row>(w.client, sql, params))[0] ?? {};
  const n = (v: string | number | undefined) => Number(v ?? 0);
  const voided = { voided: VOIDED_VERB };
  const [
    st,
    byId,
    missingById,
    keys,
    missingKeys,
    refs,
    daily,
    dailyExpected,
    weekly,
    weeklyExpected,
    space,
    spaceExp,
  ] = await Promise.all([
    one(`SELECT count() AS rows, uniqExact(id) AS ids, sum(length(query_keys)) AS keys,
             countIf(object_type = 'StatementRef') AS refs FROM ${TABLES.statements}`),
    one(`SELECT count() AS rows, uniqExact(id) AS ids FROM ${TABLES.statementsById}`),
    one(`SELECT count() AS n FROM ${TABLES.statements} WHERE id NOT IN (SELECT id FROM ${TABLES.statementsById})`),
    one(`SELECT count() AS rows FROM ${TABLES.statementKeys}`),
    one(`SELECT count() AS n FROM (SELECT arrayJoin(query_keys) AS key, id FROM ${TABLES.statements})
           WHERE (key, id) NOT IN (SELECT key, id FROM ${TABLES.statementKeys})`),
    one(`SELECT count() AS rows FROM ${TABLES.statementRefs}`),
    queryRows<Row>(
      w.client,
      `SELECT toString(day) AS day, sum(events) AS n FROM ${TABLES.activityActorDaily} GROUP BY day`,
    ),
    queryRows<Row>(
      w.client,
      `SELECT toString(${PARIS_DAY}) AS day, count() AS n FROM ${TABLES.statements} WHERE ${ACTIVITY} GROUP BY day`,
      voided,
    ),
    one(`SELECT sum(events) AS n FROM ${TABLES.pupilWeekly}`),
    one(`SELECT count() AS n FROM ${TABLES.statements} WHERE ${ACTIVITY} AND ent_profile = 'ELEVE'`, voided),
    one(`SELECT sum(events) AS n FROM ${TABLES.spaceDaily}`),
    one(
      `SELECT count() AS n FROM ${TABLES.statements}
         WHERE actor_pseudonym != '' AND verb_id = 'http://activitystrea.ms/schema/1.0/post'`,
    ),
  ]);
  const followUp = await Promise.all(
    FOLLOW_UP_TABLES.map(async ({ table, view }): Promise<FollowUpTableCheck> => {
      // The view's own SELECT over `statements`: the table is checked against exactly what the view derives.
      const derived = await viewQuery(w, view);
      const [rows, expected, missing] = await Promise.all([
        one(`SELECT count() AS n FROM ${table}`),
        one(`SELECT count() AS n FROM (${derived})`),
        one(`SELECT count() AS n FROM (${derived}) WHERE id NOT IN (SELECT id FROM ${table})`),
      ]);
      return { rows: n(rows.n), expected: n(expected.n), missing: n(missing.n) };
    }),
  );
  const perDay = new Map(daily.map((r) => [String(r.day), n(r.n)]));
  const daysOff = dailyExpected
    .filter((r) => perDay.get(String(r.day)) !== n(r.n))
    .map((r) => String(r.day))
    .concat([...perDay.keys()].filter((d) => !dailyExpected.some((r) => String(r.day) === d)));
  const report: Omit<DerivedReport, 'consistent'> = {
    statements: { rows: n(st.rows), ids: n(st.ids) },
    statementsById: { rows: n(byId.rows), ids: n(byId.ids), missing: n(missingById.n) },
    statementKeys: { rows: n(keys.rows), expected: n(st.keys), missing: n(missingKeys.n) },
    statementRefs: { rows: n(refs.rows), expected: n(st.refs) },
    activityActorDaily: {
      events: [...perDay.values()].reduce((a, b) => a + b, 0),
      expected: dailyExpected.reduce((a, r) => a + n(r.n), 0),
      daysOff: daysOff.sort(),
    },
    pupilWeekly: { events: n(weekly.n), expected: n(weeklyExpected.n) },
    spaceDaily: { events: n(space.n), expected: n(spaceExp.n) },
    followUpPupilEvents: followUp[0]!,
    followUpHomework: followUp[1]!,
  };
  const consistent =
    report.statements.rows === report.statements.ids &&
    report.statementsById.rows === report.statements.ids &&
    report.statementsById.missing === 0 &&
    report.statementKeys.rows === report.statementKeys.expected &&
    report.statementKeys.missing === 0 &&
    report.statementRefs.rows === report.statementRefs.expected &&
    report.activityActorDaily.daysOff.length === 0 &&
    report.pupilWeekly.events === report.pupilWeekly.expected &&
    report.spaceDaily.events === report.spaceDaily.expected &&
    FOLLOW_UP_TABLES.every(({ key }) => report[key].rows === report[key].expected && report[key].missing === 0);
  return { ...report, consistent };
}

/**
 * Derives again what the check found out of step: the by-id, key and reference tables are rebuilt from `statements`
 * (duplicates removed by a full rebuild of each table that has them), and the activity rollups recomputed for the
 * days that differ. Mutations run synchronously; the API must not be writing meanwhile (the CLI holds the lock).
 */
export async function repairDerivedTables(w: Warehouse, report: DerivedReport): Promise<string[]> {
  const done: string[] = [];
  const run = (sql: string, params: Record<string, unknown> = {}) => command(w.client, sql, params);
  if (report.statements.rows !== report.statements.ids) {
    // Written twice by versions before exactly-once ingest: keep each id's first stored row.
    await run(`OPTIMIZE TABLE ${TABLES.statements} FINAL DEDUPLICATE`);
    await run(
      `ALTER TABLE ${TABLES.statements} DELETE WHERE (id, stored) IN (
         SELECT id, arrayJoin(arraySlice(arraySort(groupArray(stored)), 2)) FROM ${TABLES.statements}
         GROUP BY id HAVING count() > 1) SETTINGS mutations_sync = 2`,
    );
    done.push(`statements: ${report.statements.rows - report.statements.ids} duplicate row(s) removed`);
    return [...done, ...(await repairDerivedTables(w, await checkDerivedTables(w)))];
  }
  if (report.statementsById.rows !== report.statements.ids || report.statementsById.missing > 0) {
    await run(`TRUNCATE TABLE ${TABLES.statementsById}`);
    await run(`INSERT INTO ${TABLES.statementsById} SELECT id, any(stored), any(query_keys), any(raw)
               FROM ${TABLES.statements} GROUP BY id`);
    done.push('statements_by_id rebuilt');
  }
  if (report.statementKeys.rows !== report.statementKeys.expected || report.statementKeys.missing > 0) {
    await run(`TRUNCATE TABLE ${TABLES.statementKeys}`);
    await run(`INSERT INTO ${TABLES.statementKeys} SELECT arrayJoin(query_keys) AS key, stored, id, verb_id, registration
               FROM ${TABLES.statements}`);
    done.push('statement_keys rebuilt');
  }
  if (report.statementRefs.rows !== report.statementRefs.expected) {
    await run(`TRUNCATE TABLE ${TABLES.statementRefs}`);
    await run(`INSERT INTO ${TABLES.statementRefs} SELECT toUUID(object_id), id, stored, voiding_target IS NOT NULL
               FROM ${TABLES.statements} WHERE object_type = 'StatementRef'`);
    done.push('statement_refs rebuilt');
  }
  if (report.activityActorDaily.daysOff.length > 0) {
    const days = report.activityActorDaily.daysOff;
    await run(
      `ALTER TABLE ${TABLES.activityActorDaily} DELETE WHERE day IN {days:Array(Date)}
               SETTINGS mutations_sync = 2`,
      { days },
    );
    await run(
      `INSERT INTO ${TABLES.activityActorDaily} SELECT * FROM (${await viewQuery(w, 'activity_actor_daily_mv')})
               WHERE day IN {days:Array(Date)}`,
      { days },
    );
    // The visit rollups of those months are recomputed by the API's catch-up.
    await run(
      `INSERT INTO ${TABLES.visitDirty} SELECT DISTINCT toStartOfMonth(d), now64(3, 'UTC')
               FROM (SELECT arrayJoin({days:Array(Date)}) AS d)`,
      { days },
    );
    done.push(`activity_actor_daily recomputed for ${days.length} day(s)`);
  }
  for (const { key, table, view } of FOLLOW_UP_TABLES) {
    const check = report[key];
    if (check.rows === check.expected && check.missing === 0) continue;
    // Small beside `statements` (a pupil's own statements, homework set): rebuilt whole, as the view derives them.
    await run(`TRUNCATE TABLE ${table}`);
    await run(`INSERT INTO ${table} SELECT * FROM (${await viewQuery(w, view)})`);
    done.push(`${table} rebuilt`);
  }
  return done;
}

/** The SELECT of a materialized view, as ClickHouse stores it: the repair derives rows exactly as the view does. */
async function viewQuery(w: Warehouse, view: string): Promise<string> {
  const [row] = await queryRows<{ as_select: string }>(
    w.client,
    `SELECT as_select FROM system.tables WHERE database = currentDatabase() AND name = {view:String}`,
    { view },
  );
  if (!row) throw new Error(`materialized view ${view} not found`);
  return row.as_select;
}
