import { markDaysDirty } from '@ent-observatory/indicators';
import {
  TABLES,
  type Warehouse,
  command,
  onCluster,
  queryRows,
  retainedFrom,
  storedTable,
} from '@ent-observatory/warehouse';
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
  /**
   * The first day compared (YYYY-MM-DD): the statements' retention horizon (libs/warehouse retention.ts). Before it,
   * the rollups are kept longer than the statements they came from, and nothing is compared or repaired.
   */
  since: string;
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
/** The window compared ({since}: comparedSince): statements' tables by when stored, rollups by their day. */
const STORED = `stored >= toDateTime64({since:Date}, 3, 'Europe/Paris')`;
const PARIS_TIMESTAMP = `${PARIS_DAY} >= {since:Date}`;

/**
 * From which day the derived tables are compared with `statements`: the statements' retention horizon, or 1970 when
 * statements are kept forever. Before it the person-level rollups outlive the statements (retention.ts), and a
 * repair would wipe what they keep.
 */
async function comparedSince(w: Warehouse): Promise<string> {
  return (await retainedFrom(w, TABLES.statements)) ?? '1970-01-01';
}
/** The rows the activity rollups count (020_rollups.sql): enriched, not voiding statements. */
const ACTIVITY = `actor_pseudonym != '' AND verb_id != {voided:String}`;

type Row = Record<string, string | number>;

export async function checkDerivedTables(w: Warehouse): Promise<DerivedReport> {
  const since = await comparedSince(w);
  const one = async (sql: string, params: Record<string, unknown> = {}) =>
    (await queryRows<Row>(w.client, sql, { ...params, since }))[0] ?? {};
  const rows = (sql: string, params: Record<string, unknown> = {}) =>
    queryRows<Row>(w.client, sql, { ...params, since });
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
             countIf(object_type = 'StatementRef') AS refs FROM ${TABLES.statements} WHERE ${STORED}`),
    one(`SELECT count() AS rows, uniqExact(id) AS ids FROM ${TABLES.statementsById} WHERE ${STORED}`),
    one(`SELECT count() AS n FROM ${TABLES.statements}
           WHERE ${STORED} AND id NOT IN (SELECT id FROM ${TABLES.statementsById})`),
    one(`SELECT count() AS rows FROM ${TABLES.statementKeys} WHERE ${STORED}`),
    one(`SELECT count() AS n FROM (SELECT arrayJoin(query_keys) AS key, id FROM ${TABLES.statements} WHERE ${STORED})
           WHERE (key, id) NOT IN (SELECT key, id FROM ${TABLES.statementKeys})`),
    one(`SELECT count() AS rows FROM ${TABLES.statementRefs} WHERE ${STORED}`),
    rows(
      `SELECT toString(day) AS day, sum(events) AS n FROM ${TABLES.activityActorDaily}
       WHERE toDate(day) >= {since:Date} GROUP BY day`,
    ),
    rows(
      `SELECT toString(${PARIS_DAY}) AS day, count() AS n FROM ${TABLES.statements}
       WHERE ${ACTIVITY} AND ${PARIS_DAY} >= {since:Date} GROUP BY day`,
      voided,
    ),
    one(`SELECT sum(events) AS n FROM ${TABLES.pupilWeekly} WHERE week >= {since:Date}`),
    one(
      `SELECT count() AS n FROM ${TABLES.statements}
       WHERE ${ACTIVITY} AND ent_profile = 'ELEVE' AND toMonday(${PARIS_DAY}) >= {since:Date}`,
      voided,
    ),
    one(`SELECT sum(events) AS n FROM ${TABLES.spaceDaily} WHERE day >= {since:Date}`),
    one(
      `SELECT count() AS n FROM ${TABLES.statements}
         WHERE actor_pseudonym != '' AND verb_id = 'http://activitystrea.ms/schema/1.0/post'
           AND ${PARIS_DAY} >= {since:Date}`,
    ),
  ]);
  const followUp = await Promise.all(
    FOLLOW_UP_TABLES.map(async ({ table, view }): Promise<FollowUpTableCheck> => {
      // The view's own SELECT over `statements`: the table is checked against exactly what the view derives.
      const derived = await viewQuery(w, view);
      const [found, expected, missing] = await Promise.all([
        one(`SELECT count() AS n FROM ${table} WHERE ${PARIS_TIMESTAMP}`),
        one(`SELECT count() AS n FROM (${derived}) WHERE ${PARIS_TIMESTAMP}`),
        one(`SELECT count() AS n FROM (${derived}) WHERE ${PARIS_TIMESTAMP} AND id NOT IN (SELECT id FROM ${table})`),
      ]);
      return { rows: n(found.n), expected: n(expected.n), missing: n(missing.n) };
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
    since,
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
  // Only what the check compared: rows before `since` are kept by retention beyond their statements.
  const since = { since: report.since };
  if (report.statements.rows !== report.statements.ids) {
    // Written twice by versions before exactly-once ingest: keep each id's first stored row. Copies of one row
    // differ only in when they reached ClickHouse (`inserted`), which deduplication ignores.
    await run(`OPTIMIZE TABLE ${TABLES.statements} FINAL DEDUPLICATE BY * EXCEPT (inserted)`);
    await run(
      `ALTER TABLE ${TABLES.statements} DELETE WHERE (id, stored) IN (
         SELECT id, arrayJoin(arraySlice(arraySort(groupArray(stored)), 2)) FROM ${TABLES.statements}
         GROUP BY id HAVING count() > 1) SETTINGS mutations_sync = 2`,
    );
    done.push(`statements: ${report.statements.rows - report.statements.ids} duplicate row(s) removed`);
    return [...done, ...(await repairDerivedTables(w, await checkDerivedTables(w)))];
  }
  if (report.statementsById.rows !== report.statements.ids || report.statementsById.missing > 0) {
    await run(`ALTER TABLE ${TABLES.statementsById} DELETE WHERE ${STORED} SETTINGS mutations_sync = 2`, since);
    await run(
      `INSERT INTO ${TABLES.statementsById} SELECT id, any(stored), any(query_keys), any(raw)
               FROM ${TABLES.statements} WHERE ${STORED} GROUP BY id`,
      since,
    );
    done.push('statements_by_id rebuilt');
  }
  if (report.statementKeys.rows !== report.statementKeys.expected || report.statementKeys.missing > 0) {
    await run(`ALTER TABLE ${TABLES.statementKeys} DELETE WHERE ${STORED} SETTINGS mutations_sync = 2`, since);
    await run(
      `INSERT INTO ${TABLES.statementKeys} SELECT arrayJoin(query_keys) AS key, stored, id, verb_id, registration
               FROM ${TABLES.statements} WHERE ${STORED}`,
      since,
    );
    done.push('statement_keys rebuilt');
  }
  if (report.statementRefs.rows !== report.statementRefs.expected) {
    await run(`ALTER TABLE ${TABLES.statementRefs} DELETE WHERE ${STORED} SETTINGS mutations_sync = 2`, since);
    await run(
      `INSERT INTO ${TABLES.statementRefs} SELECT toUUID(object_id), id, stored, voiding_target IS NOT NULL
               FROM ${TABLES.statements} WHERE object_type = 'StatementRef' AND ${STORED}`,
      since,
    );
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
    // Their days × establishments of the visit rollups are counted again by the API's next catch-up.
    await markDaysDirty(w, days);
    done.push(
      `activity_actor_daily recomputed for ${days.length} day(s); a person it removed from a day stays in that day's distinct-user counts until \`rollups:recompute\``,
    );
  }
  for (const { key, table, view } of FOLLOW_UP_TABLES) {
    const check = report[key];
    if (check.rows === check.expected && check.missing === 0) continue;
    // Small beside `statements` (a pupil's own statements, homework set): rebuilt whole, as the view derives them.
    await run(`ALTER TABLE ${table} DELETE WHERE ${PARIS_TIMESTAMP} SETTINGS mutations_sync = 2`, since);
    await run(`INSERT INTO ${table} SELECT * FROM (${await viewQuery(w, view)}) WHERE ${PARIS_TIMESTAMP}`, since);
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

/**
 * A table fed from `statements` by a materialized view, as ClickHouse describes it: the view's SELECT, the columns it
 * writes, and how the target can be checked against `statements` for a handful of statements.
 * - `id`: one row per statement (or per key of a statement): rows of given statements are counted and rewritten;
 * - `events`: an aggregate keyed first by a period (day, week) with an `events` count: the periods the statements
 *   fall in are compared with `statements` and recomputed whole;
 * - `marker`: a dirty mark (visit_dirty_day): written again for the statements, which only asks for a recomputation.
 */
interface DerivedView {
  view: string;
  target: string;
  select: string;
  /** The source as the SELECT names it (e.g. `default.statements`), replaced by a narrower subquery. */
  source: string;
  columns: string[];
  /** The target's columns (a rollup with `actor_pseudonym` holds one person per row). */
  targetColumns: string[];
  kind: 'id' | 'events' | 'marker';
  /** The target's first sorting-key column (narrows the target's scan), and its type. */
  prefix: string;
  prefixType: string;
}

/** Targets that only record that something changed; writing them again is harmless. */
const MARKERS = new Set<string>([TABLES.visitDirtyDay]);

export async function derivedViews(w: Warehouse): Promise<DerivedView[]> {
  const views = await queryRows<{ name: string; as_select: string; create_table_query: string }>(
    w.client,
    `SELECT name, as_select, create_table_query FROM system.tables
     WHERE database = currentDatabase() AND engine = 'MaterializedView' ORDER BY name`,
  );
  const columns = await queryRows<{ table: string; name: string; type: string }>(
    w.client,
    `SELECT table, name, type FROM system.columns WHERE database = currentDatabase() ORDER BY table, position`,
  );
  const sorting = await queryRows<{ name: string; sorting_key: string }>(
    w.client,
    `SELECT name, sorting_key FROM system.tables WHERE database = currentDatabase()`,
  );
  const out: DerivedView[] = [];
  for (const v of views) {
    // Cluster mode: the views read the node's local statements and write local tables (libs/warehouse cluster.ts).
    const source = /\bFROM\s+((?:`?\w+`?\.)?`?statements(?:_local)?`?)(?=[\s)]|$)/.exec(v.as_select)?.[1];
    if (!source) continue;
    const target = /\bTO\s+(?:`?\w+`?\.)?`?(\w+)`?/.exec(v.create_table_query)?.[1];
    if (!target) throw new Error(`materialized view ${v.name}: no TO table`);
    const of = (table: string) => columns.filter((c) => c.table === table);
    const targetColumns = of(target);
    const prefix = (sorting.find((s) => s.name === target)?.sorting_key ?? '').split(',')[0]?.trim() ?? '';
    const kind = MARKERS.has(target)
      ? 'marker'
      : targetColumns.some((c) => c.name === 'id')
        ? 'id'
        : targetColumns.some((c) => c.name === 'events')
          ? 'events'
          : undefined;
    if (!kind)
      throw new Error(`${target} (fed by ${v.name}) has neither an id nor an events column: it cannot be checked`);
    out.push({
      view: v.name,
      target,
      select: v.as_select,
      source,
      columns: of(v.name).map((c) => c.name),
      targetColumns: targetColumns.map((c) => c.name),
      kind,
      prefix,
      prefixType: targetColumns.find((c) => c.name === prefix)?.type ?? 'String',
    });
  }
  return out;
}

/** The statements a recovery re-checks: one journal generation's rows (id and `stored`, as inserted). */
export interface RowScope {
  ids: string[];
  storedFrom: string;
  storedTo: string;
}

/** What a recovery found and wrote again. */
export interface ScopeRepair {
  table: string;
  /** What the table held for these statements, and what `statements` says it must hold. */
  found: number;
  expected: number;
}

const SCOPE_PARAMS = `stored BETWEEN {from:DateTime64(3, 'UTC')} AND {to:DateTime64(3, 'UTC')} AND id IN {ids:Array(UUID)}`;

/**
 * Brings every table fed from `statements` back in step for one replayed journal generation. ClickHouse records an
 * insert's deduplication token in a table's log before it makes the part visible, so a kill -9 between the two leaves
 * a table that will skip the replay without holding the rows (and `statements` itself can be that table). The
 * replay alone therefore cannot be trusted: after it, `statements` is completed with the generation's rows it lacks
 * (`insertMissing`, a fresh token), and every derived table is compared with it for these statements, and rewritten
 * where it differs. Bounded by what was in flight at the crash: the rows of the journal files left behind, and the
 * periods (days, weeks) they fall in for the aggregates.
 */
export async function reconcileScope(
  w: Warehouse,
  scope: RowScope,
  insertMissing: (ids: Set<string>) => Promise<void>,
): Promise<ScopeRepair[]> {
  if (scope.ids.length === 0) return [];
  const params = { from: scope.storedFrom, to: scope.storedTo, ids: scope.ids };
  const repairs: ScopeRepair[] = [];
  // Not `AS id`: an alias would replace the column in the WHERE.
  const counts = await queryRows<{ sid: string; n: string }>(
    w.client,
    `SELECT toString(id) AS sid, count() AS n FROM ${TABLES.statements} WHERE ${SCOPE_PARAMS} GROUP BY id`,
    params,
  );
  const present = new Map(counts.map((r) => [r.sid, Number(r.n)]));
  const twice = [...present].filter(([, n]) => n > 1).map(([id]) => id);
  if (twice.length > 0) {
    await command(
      w.client,
      `ALTER TABLE ${TABLES.statements} DELETE WHERE stored BETWEEN {from:DateTime64(3, 'UTC')}
         AND {to:DateTime64(3, 'UTC')} AND id IN {twice:Array(UUID)} SETTINGS mutations_sync = 2`,
      { from: scope.storedFrom, to: scope.storedTo, twice },
    );
    for (const id of twice) present.delete(id);
  }
  const missing = new Set(scope.ids.filter((id) => !present.has(id)));
  if (missing.size > 0) {
    repairs.push({ table: TABLES.statements, found: scope.ids.length - missing.size, expected: scope.ids.length });
    await insertMissing(missing);
  }
  for (const d of await derivedViews(w)) {
    const repaired = await reconcileView(w, d, params);
    if (repaired) repairs.push(repaired);
  }
  return repairs;
}

/** A view's SELECT over the given statements only (SCOPE_PARAMS) instead of the whole of `statements`. */
function scopedSelect(d: DerivedView): string {
  return d.select.replace(d.source, `(SELECT * FROM ${d.source} WHERE ${SCOPE_PARAMS})`);
}

/** The periods (first sorting-key values) of an aggregate's rows that the given statements feed. */
async function periodsOf(w: Warehouse, d: DerivedView, params: Record<string, unknown>): Promise<string[]> {
  const scoped = scopedSelect(d);
  const rows = await queryRows<{ p: string }>(
    w.client,
    `SELECT DISTINCT toString(${d.prefix}) AS p FROM (${scoped})`,
    used(scoped, params),
  );
  return rows.map((r) => r.p);
}

async function reconcileView(
  w: Warehouse,
  d: DerivedView,
  params: { from: string; to: string; ids: string[] },
): Promise<ScopeRepair | undefined> {
  const scoped = scopedSelect(d);
  const cols = d.columns.join(', ');
  const one = async (sql: string, p: Record<string, unknown> = params) =>
    Number((await queryRows<{ n: string }>(w.client, sql, used(sql, p)))[0]?.n ?? 0);
  const run = (sql: string, p: Record<string, unknown> = params) => command(w.client, sql, used(sql, p));
  if (d.kind === 'marker') {
    await run(`INSERT INTO ${d.target} (${cols}) SELECT ${cols} FROM (${scoped})`);
    return undefined;
  }
  if (d.kind === 'id') {
    const narrow =
      d.columns.includes(d.prefix) && d.prefix !== 'id'
        ? ` AND ${d.prefix} IN (SELECT ${d.prefix} FROM (${scoped}))`
        : '';
    const where = `id IN {ids:Array(UUID)}${narrow}`;
    const expected = await one(`SELECT count() AS n FROM (${scoped})`);
    const found = await one(`SELECT count() AS n FROM ${d.target} WHERE ${where}`);
    if (found === expected) return undefined;
    await run(`ALTER TABLE ${d.target} DELETE WHERE ${where} SETTINGS mutations_sync = 2`);
    await run(`INSERT INTO ${d.target} (${cols}) SELECT ${cols} FROM (${scoped})`);
    return { table: d.target, found, expected };
  }
  // An aggregate: the periods these statements fall in, compared whole with what every statement of them says.
  const periods = await periodsOf(w, d, params);
  if (periods.length === 0) return undefined;
  const inPeriods = `${d.prefix} IN {periods:Array(${d.prefixType})}`;
  const expected = await one(`SELECT sum(events) AS n FROM (${d.select}) WHERE ${inPeriods}`, { periods });
  const found = await one(`SELECT sum(events) AS n FROM ${d.target} WHERE ${inPeriods}`, { periods });
  if (found === expected) return undefined;
  await run(`ALTER TABLE ${d.target} DELETE WHERE ${inPeriods} SETTINGS mutations_sync = 2`, { periods });
  await run(`INSERT INTO ${d.target} (${cols}) SELECT ${cols} FROM (${d.select}) WHERE ${inPeriods}`, { periods });
  return { table: d.target, found, expected };
}

/**
 * Erases statements from `statements` and from every table fed from it (right to erasure): rows of tables with an
 * `id` column by id; rows of person-level rollups (`actor_pseudonym`) by the erased people's pseudonyms; and the
 * periods of the other rollups (space_daily: contributors are an aggregate state no row can be taken out of) are
 * recomputed from the statements that remain. Dirty marks are the caller's (the months to recompute).
 */
export async function eraseStatements(w: Warehouse, ids: string[], pseudonyms: string[]): Promise<void> {
  if (ids.length === 0) return;
  const [range] = await queryRows<{ from: string; to: string }>(
    w.client,
    `SELECT toString(min(stored)) AS from, toString(max(stored)) AS to FROM ${TABLES.statements}
     WHERE id IN {ids:Array(UUID)}`,
    { ids },
  );
  const params = { from: range?.from ?? '1970-01-01 00:00:00', to: range?.to ?? '1970-01-01 00:00:00', ids };
  const views = await derivedViews(w);
  const shared = views.filter((d) => d.kind === 'events' && !d.targetColumns.includes('actor_pseudonym'));
  // Read before the statements go: the periods of the shared rollups these statements counted in.
  const periods = new Map<DerivedView, string[]>();
  for (const d of shared) periods.set(d, await periodsOf(w, d, params));
  // A mutation rewrites the parts that hold these rows, so the data is physically gone once it returns
  // (mutations_sync = 2: on every replica), unlike a lightweight DELETE which only masks rows until a merge.
  const mutate = (table: string, where: string, p: Record<string, unknown>) =>
    command(
      w.client,
      // Cluster mode: the local tables (a mutation does not go through a Distributed table).
      `ALTER TABLE ${storedTable(w, table)} ${onCluster(w)} DELETE WHERE ${where} SETTINGS mutations_sync = 2`,
      used(where, p),
    );
  for (const table of [TABLES.statements, ...views.filter((d) => d.kind === 'id').map((d) => d.target)]) {
    await mutate(table, 'id IN {ids:Array(UUID)}', { ids });
  }
  if (pseudonyms.length > 0) {
    for (const d of views.filter((v) => v.kind === 'events' && v.targetColumns.includes('actor_pseudonym'))) {
      await mutate(d.target, 'actor_pseudonym IN {pseudonyms:Array(String)}', { pseudonyms });
    }
  }
  for (const [d, list] of periods) {
    if (list.length === 0) continue;
    const inPeriods = `${d.prefix} IN {periods:Array(${d.prefixType})}`;
    const cols = d.columns.join(', ');
    await mutate(d.target, inPeriods, { periods: list });
    await command(w.client, `INSERT INTO ${d.target} (${cols}) SELECT ${cols} FROM (${d.select}) WHERE ${inPeriods}`, {
      periods: list,
    });
  }
}

/** The parameters a statement uses (checkParams refuses unused ones; the scope's are not all used everywhere). */
function used(sql: string, params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([name]) => sql.includes(`{${name}:`)));
}
