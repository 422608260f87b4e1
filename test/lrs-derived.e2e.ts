import { TABLES, command, queryRows } from '@ent-observatory/warehouse';
import { checkDerivedTables, repairDerivedTables } from '@ent-observatory/lrs';
import { type TestServer, startServer, xapiHeaders } from './support/server.js';
import { makeStatement, withId } from './support/statements.js';
import { PROFILE_DOC_KEY, readProfileDocExamples } from './support/profile-doc.js';

describe('derived statement tables: checked against statements, and repaired from it', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('finds what a crash of an earlier version could leave out of step, and derives it again', async () => {
    const batch = Array.from({ length: 40 }, (_, i) => withId(makeStatement(i)));
    const res = await fetch(`${server.url}/xapi/statements`, {
      method: 'POST',
      headers: xapiHeaders(),
      body: JSON.stringify(batch),
    });
    expect(res.status).toBe(200);
    await server.settle();
    const w = server.warehouse;
    expect(await checkDerivedTables(w)).toMatchObject({ consistent: true, statements: { rows: 40, ids: 40 } });

    // What the kill -9 runs of issue 21 found: rows missing from statements_by_id and statement_keys, an id stored
    // twice in statements, and rollup rows missing for a day.
    const first = batch[0]?.id as string;
    await command(
      w.client,
      `ALTER TABLE ${TABLES.statementsById} DELETE WHERE id = {id:UUID} SETTINGS mutations_sync = 2`,
      {
        id: first,
      },
    );
    await command(
      w.client,
      `ALTER TABLE ${TABLES.statementKeys} DELETE WHERE id = {id:UUID} SETTINGS mutations_sync = 2`,
      {
        id: batch[1]?.id,
      },
    );
    await command(
      w.client,
      `INSERT INTO ${TABLES.statements} SELECT * REPLACE (stored + INTERVAL 1 SECOND AS stored) FROM ${TABLES.statements}
       WHERE id = {id:UUID}`,
      { id: batch[2]?.id },
    );
    // And a row inserted twice as such: the copies differ only in when they reached ClickHouse.
    await command(
      w.client,
      `INSERT INTO ${TABLES.statements} SELECT * REPLACE (inserted + INTERVAL 1 SECOND AS inserted)
       FROM ${TABLES.statements} WHERE id = {id:UUID}`,
      { id: batch[3]?.id },
    );
    await command(w.client, `TRUNCATE TABLE ${TABLES.activityActorDaily}`);
    const broken = await checkDerivedTables(w);
    expect(broken).toMatchObject({
      consistent: false,
      statements: { rows: 42, ids: 40 },
      statementsById: { missing: 1 },
    });
    expect(broken.statementKeys.missing).toBeGreaterThan(0);
    expect(broken.activityActorDaily.daysOff).toEqual(['2026-01-05']);

    const repaired = await repairDerivedTables(w, broken);
    expect(repaired.length).toBeGreaterThanOrEqual(4);
    const after = await checkDerivedTables(w);
    expect(after).toMatchObject({ consistent: true, statements: { rows: 40, ids: 40 } });
    expect(after.activityActorDaily).toEqual({ events: 40, expected: 40, daysOff: [] });
    for (const id of [first, batch[3]?.id as string]) {
      const got = await fetch(`${server.url}/xapi/statements?statementId=${id}`, { headers: xapiHeaders() });
      expect(got.status).toBe(200);
    }
  });

  it('every table fed from statements by a materialized view deduplicates replayed inserts', async () => {
    const w = server.warehouse;
    const [source] = await queryRows<{ views: string[]; settings: string }>(
      w.client,
      `SELECT dependencies_table AS views, create_table_query AS settings FROM system.tables
       WHERE database = currentDatabase() AND name = {t:String}`,
      { t: TABLES.statements },
    );
    expect(source?.settings).toMatch(/non_replicated_deduplication_window = 10000/);
    const views = await queryRows<{ name: string; query: string }>(
      w.client,
      `SELECT name, create_table_query AS query FROM system.tables
       WHERE database = currentDatabase() AND name IN {views:Array(String)}`,
      { views: source?.views ?? [] },
    );
    expect(views.length).toBeGreaterThanOrEqual(7);
    for (const view of views) {
      const target = /\bTO\s+(?:`?\w+`?\.)?`?(\w+)`?/.exec(view.query)?.[1];
      const [table] = await queryRows<{ query: string }>(
        w.client,
        `SELECT create_table_query AS query FROM system.tables WHERE database = currentDatabase() AND name = {t:String}`,
        { t: target ?? '' },
      );
      expect([view.name, table?.query]).toEqual([
        view.name,
        expect.stringMatching(/non_replicated_deduplication_window = [1-9]/),
      ]);
      expect([view.name, table?.query]).toEqual([view.name, expect.stringMatching(/fsync_after_insert = 1/)]);
    }
  });
});

describe("the follow-up's tables: checked against statements, and repaired from it", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ PSEUDONYMIZATION_KEY: PROFILE_DOC_KEY });
  });
  afterAll(async () => {
    await server.close();
  });

  it('finds follow-up rows lost or added behind the views, and derives the tables again', async () => {
    // The profile's examples: homework set and handed in, assessments, positionings.
    const sent = readProfileDocExamples().map((e) => withId(e.statement));
    const res = await fetch(`${server.url}/xapi/statements`, {
      method: 'POST',
      headers: xapiHeaders(),
      body: JSON.stringify(sent),
    });
    expect(res.status).toBe(200);
    await server.settle();
    const w = server.warehouse;
    const healthy = await checkDerivedTables(w);
    expect(healthy.consistent).toBe(true);
    expect(healthy.followUpPupilEvents.rows).toBeGreaterThanOrEqual(3);
    expect(healthy.followUpHomework.rows).toBeGreaterThanOrEqual(1);
    expect(healthy.followUpPupilEvents).toEqual({ ...healthy.followUpPupilEvents, missing: 0 });

    // A hand-in lost from the pupils' table, a stray copy of another row, and the homework table emptied.
    const [handIn] = await queryRows<{ id: string }>(
      w.client,
      `SELECT toString(id) AS id FROM ${TABLES.followUpPupilEvents} WHERE kind = 'submitted' LIMIT 1`,
    );
    await command(
      w.client,
      `ALTER TABLE ${TABLES.followUpPupilEvents} DELETE WHERE id = {id:UUID} SETTINGS mutations_sync = 2`,
      { id: handIn?.id },
    );
    await command(
      w.client,
      `INSERT INTO ${TABLES.followUpPupilEvents} SELECT * FROM ${TABLES.followUpPupilEvents}
        WHERE kind = 'scored' LIMIT 1`,
    );
    await command(w.client, `TRUNCATE TABLE ${TABLES.followUpHomework}`);
    const broken = await checkDerivedTables(w);
    expect(broken.consistent).toBe(false);
    expect(broken.followUpPupilEvents).toEqual({
      rows: healthy.followUpPupilEvents.rows,
      expected: healthy.followUpPupilEvents.expected,
      missing: 1,
    });
    expect(broken.followUpHomework).toEqual({
      rows: 0,
      expected: healthy.followUpHomework.expected,
      missing: healthy.followUpHomework.expected,
    });

    expect(await repairDerivedTables(w, broken)).toEqual([
      `${TABLES.followUpPupilEvents} rebuilt`,
      `${TABLES.followUpHomework} rebuilt`,
    ]);
    const after = await checkDerivedTables(w);
    expect(after.consistent).toBe(true);
    expect(after.followUpPupilEvents).toEqual(healthy.followUpPupilEvents);
    expect(after.followUpHomework).toEqual(healthy.followUpHomework);
  });
});
