import { dirtyMonths, markDaysDirty, refreshVisitRollups } from '@ent-observatory/indicators';
import {
  RETAINED_TABLES,
  TABLES,
  PERSON_COLUMNS,
  applyRetention,
  enforceRetention,
  queryRows,
  retainedFrom,
} from '@ent-observatory/warehouse';
import { checkDerivedTables } from '@ent-observatory/lrs';
import { type ActivityEvent, activityRow, insertActivity } from './support/activity.js';
import { type TestServer, startServer, xapiHeaders } from './support/server.js';
import { type Session, gql, signedInAs } from './support/session.js';

/** The first day of the month `back` months before the current one (UTC calendar), plus `day - 1` days. */
function monthsAgo(back: number, day = 10): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, day)).toISOString().slice(0, 10);
}

interface Meta {
  from: string;
  to: string;
  retainedFrom: string | null;
  expired: boolean;
}

/**
 * Retention (docs/operations.md "Retention"): statements kept 2 months after their month, person-level rollups 4.
 * Statements 6 months old are gone from every table that holds a person; 3 months old, from the LRS but not from the
 * rollups; last month's stay everywhere. The kept aggregate (visit_cube) survives a recomputation of an expired
 * month, and a view over an expired period says so.
 */
describe('retention', () => {
  let server: TestServer;
  let session: Session;
  const OLD = monthsAgo(6);
  const MIDDLE = monthsAgo(3);
  const RECENT = monthsAgo(1);
  const ids: Record<string, string[]> = { old: [], middle: [], recent: [] };
  let horizonsAtStart: (string | null)[] = [];

  beforeAll(async () => {
    server = await startServer({ STATEMENT_RETENTION_MONTHS: '2', PERSON_ROLLUP_RETENTION_MONTHS: '4' });
    session = await signedInAs(server, {
      email: 'national@retention.test',
      displayName: 'national',
      password: 'national-password-1',
      roles: [{ role: 'national', scope: '' }],
    });
    // What the server set at start from its settings; the data is then written as it was months ago, when it had
    // not expired yet (the rollups of a month already expired are never computed), and the settings set again.
    horizonsAtStart = [await retainedFrom(server.warehouse), await retainedFrom(server.warehouse, TABLES.statements)];
    await applyRetention(server.warehouse, { statementMonths: 0, personMonths: 0 }, { sync: true });
    const events: ActivityEvent[] = [];
    for (const [when, day] of [
      ['old', OLD],
      ['middle', MIDDLE],
      ['recent', RECENT],
    ] as const)
      for (let p = 0; p < 6; p++) {
        // A visit, and a contribution to a space (space_daily), each pupil of each period.
        events.push({ actor: `pupil-${when}-${p}`, at: `${day}T08:0${p}:00.000Z`, service: 'cahier_textes' });
        events.push({
          actor: `pupil-${when}-${p}`,
          at: `${day}T08:3${p}:00.000Z`,
          verb: 'http://activitystrea.ms/schema/1.0/post',
          objectId: 'https://ent.example.fr/espaces/classe',
        });
      }
    const rows = events.map(activityRow);
    for (const [i, r] of rows.entries()) {
      const when = events[i]!.actor.split('-')[1] as string;
      ids[when]!.push(String(r.id));
    }
    await server.warehouse.client.insert({ table: TABLES.statements, values: rows, format: 'JSONEachRow' });
    await refreshVisitRollups(server.warehouse, { inFlightMarginSeconds: 0 });
    await applyRetention(server.warehouse, { statementMonths: 2, personMonths: 4 }, { sync: true });
    // The TTL deletes at merges; this forces them.
    await enforceRetention(server.warehouse);
  });
  afterAll(async () => {
    // Later test files on this worker's store expect no TTL.
    await applyRetention(server.warehouse, { statementMonths: 0, personMonths: 0 }, { sync: true });
    await server.close();
  });

  const count = async (table: string, where: string, params: Record<string, unknown>) =>
    Number(
      (
        await queryRows<{ n: string }>(
          server.warehouse.client,
          `SELECT count() AS n FROM ${table} WHERE ${where}`,
          params,
        )
      )[0]?.n,
    );
  const monthOf = (day: string) => `${day.slice(0, 7)}-01`;

  it('sets a TTL on every table that holds a person, and none on the kept aggregates', async () => {
    const tables = await queryRows<{ name: string; engine_full: string; engine: string }>(
      server.warehouse.client,
      `SELECT t.name AS name, t.engine_full AS engine_full, t.engine AS engine FROM system.tables AS t
       WHERE t.database = currentDatabase() AND t.engine LIKE '%MergeTree'
         AND t.name IN (SELECT table FROM system.columns WHERE database = currentDatabase()
                        AND name IN {columns:Array(String)})`,
      { columns: [...PERSON_COLUMNS] },
    );
    const retained = new Set(RETAINED_TABLES.map((t) => t.table));
    // Scratch tables of the recomputation are emptied by every run: they keep nothing.
    const persons = tables.filter((t) => !t.name.endsWith('_stage') && !t.name.startsWith('_backfill'));
    expect(persons.map((t) => t.name).filter((n) => !retained.has(n))).toEqual([]);
    for (const t of persons) expect(t.engine_full).toMatch(/ TTL toStartOfMonth\(/);
    const cube = tables.find((t) => t.name === TABLES.visitCube);
    expect(cube).toBeUndefined();
    const [cubeEngine] = await queryRows<{ engine_full: string }>(
      server.warehouse.client,
      `SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = {t:String}`,
      { t: TABLES.visitCube },
    );
    expect(cubeEngine?.engine_full).not.toMatch(/ TTL /);
    expect(horizonsAtStart).toEqual([monthOf(monthsAgo(4)), monthOf(monthsAgo(2))]);
    expect(await retainedFrom(server.warehouse)).toBe(monthOf(monthsAgo(4)));
    expect(await retainedFrom(server.warehouse, TABLES.statements)).toBe(monthOf(monthsAgo(2)));
  });

  it('removes expired statements from the LRS: GET by id answers 404, recent ones 200', async () => {
    const get = (id: string) => fetch(`${server.url}/xapi/statements?statementId=${id}`, { headers: xapiHeaders() });
    expect((await get(ids.old![0]!)).status).toBe(404);
    expect((await get(ids.middle![0]!)).status).toBe(404);
    expect((await get(ids.recent![0]!)).status).toBe(200);
    for (const table of [TABLES.statements, TABLES.statementsById, TABLES.statementRefs]) {
      expect(await count(table, 'id IN {ids:Array(UUID)}', { ids: [...ids.old!, ...ids.middle!] })).toBe(0);
    }
    expect(await count(TABLES.statementKeys, 'id IN {ids:Array(UUID)}', { ids: [...ids.old!, ...ids.middle!] })).toBe(
      0,
    );
    expect(await count(TABLES.statementsById, 'id IN {ids:Array(UUID)}', { ids: ids.recent! })).toBe(12);
  });

  it('removes expired days from every person-level table, keeps the days within retention', async () => {
    const byDay: [string, string][] = [
      [TABLES.activityActorDaily, 'day'],
      [TABLES.spaceDaily, 'day'],
      [TABLES.visitStarts, 'day'],
      [TABLES.visitPerson, 'period'],
      [TABLES.followUpPupilEvents, 'toDate(timestamp)'],
    ];
    for (const [table, day] of byDay) {
      expect([table, await count(table, `${day} = {d:Date}`, { d: OLD })]).toEqual([table, 0]);
      expect([table, await count(table, `${day} = {d:Date}`, { d: MIDDLE })]).not.toEqual([table, 0]);
      expect([table, await count(table, `${day} = {d:Date}`, { d: RECENT })]).not.toEqual([table, 0]);
    }
    expect(await count(TABLES.pupilWeekly, 'week < {d:Date}', { d: monthOf(monthsAgo(4)) })).toBe(0);
    expect(await count(TABLES.pupilWeekly, 'week >= {d:Date}', { d: monthOf(monthsAgo(4)) })).toBeGreaterThan(0);
  });

  it('lrs:check compares only what statements still hold: rollups kept beyond them are not "repaired" away', async () => {
    const report = await checkDerivedTables(server.warehouse);
    expect(report.since).toBe(monthOf(monthsAgo(2)));
    expect(report.consistent).toBe(true);
    expect(report.statements.rows).toBe(12);
    expect(await count(TABLES.activityActorDaily, 'day = {d:Date}', { d: MIDDLE })).toBeGreaterThan(0);
  });

  it('keeps the aggregate of an expired month, even when a late statement makes the month dirty', async () => {
    const cube = () =>
      queryRows<{ visits: string; users: string }>(
        server.warehouse.client,
        `SELECT toString(sum(visits)) AS visits, toString(uniqCombinedMerge(12)(users)) AS users FROM ${TABLES.visitCube}
         WHERE level = 'dept_total' AND grain = 'day' AND period = {d:Date}`,
        { d: OLD },
      );
    const before = await cube();
    expect(before).toEqual([{ visits: '6', users: '6' }]);
    // A late statement of the expired month: marked dirty, and its activity row lands in activity_actor_daily until
    // the next merge; recomputing the month from that would leave one visit where there were six.
    await insertActivity(server.warehouse, [{ actor: 'late', at: `${OLD}T10:00:00.000Z` }]);
    await markDaysDirty(server.warehouse, [OLD]);
    await refreshVisitRollups(server.warehouse, { inFlightMarginSeconds: 0 });
    expect(await cube()).toEqual(before);
    // And the day's marks are dropped: the rollups are complete (meta.asOf not held back by them).
    expect(await dirtyMonths(server.warehouse)).toEqual([]);
  });

  it('says « expired » for a view over an expired period, not "no data" or secrecy', async () => {
    const meta = async (from: string, to: string) =>
      (
        await gql<{ devicesView: { meta: Meta } }>(
          server.url,
          session,
          `query { devicesView(filter: { from: "${from}", to: "${to}" }) { meta { from to retainedFrom expired } } }`,
        )
      ).data?.devicesView.meta;
    const horizon = monthOf(monthsAgo(4));
    expect(await meta(OLD, OLD)).toMatchObject({ expired: true, retainedFrom: horizon });
    expect(await meta(MIDDLE, MIDDLE)).toMatchObject({ expired: false, retainedFrom: horizon });
    // A period straddling the horizon is partly expired: not `expired`, the page notes from which day it counts.
    expect(await meta(OLD, RECENT)).toMatchObject({ expired: false, retainedFrom: horizon });
  });

  it('applies a setting once: a restart with the same settings changes nothing, 0 removes the TTL', async () => {
    expect(await applyRetention(server.warehouse, { statementMonths: 2, personMonths: 4 })).toEqual([]);
    const changes = await applyRetention(server.warehouse, { statementMonths: 2, personMonths: 0 });
    expect(changes.map((c) => c.ttl)).toEqual(RETAINED_TABLES.filter((t) => t.scope === 'person').map(() => ''));
    expect(await retainedFrom(server.warehouse)).toBeNull();
    await applyRetention(server.warehouse, { statementMonths: 2, personMonths: 4 });
  });
});
