import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TABLES, command, queryRows } from '@ent-observatory/warehouse';
import { checkDerivedTables } from '@ent-observatory/lrs';
import { workerDataDir } from './support/paths.js';
import { type TestServer, scrapeMetrics, startServer, xapiHeaders } from './support/server.js';
import { makeStatement, withId } from './support/statements.js';

/**
 * ClickHouse records an insert's deduplication token in a table's log before it makes the part visible. A kill -9
 * between the two leaves a table that skips the journal's replay of that insert (same token) without holding its
 * rows. These tests put the tables in exactly that state — the token recorded, the rows gone — and leave the journal
 * file behind, as the crash would: the restart must bring every table back in step before answering.
 */
describe('LRS recovery when a table recorded a journal insert without its rows', () => {
  let server: TestServer;
  const journalDir = join(workerDataDir(), 'journal');
  const journalFiles = () => readdirSync(journalDir).filter((f) => /^gen-.*\.ndjson$/.test(f));

  beforeAll(async () => {
    server = await startServer({ JOURNAL_MOVE_MS: '60000' });
  });
  afterAll(async () => {
    await server.close();
  });

  /** Posts statements, keeps their journal file, and lets it be moved (its token is now in every table's log). */
  async function postAndKeepFile(batch: Record<string, unknown>[]): Promise<{ name: string; bytes: Buffer }> {
    const res = await fetch(`${server.url}/xapi/statements`, {
      method: 'POST',
      headers: xapiHeaders(),
      body: JSON.stringify(batch),
    });
    expect(res.status).toBe(200);
    const [name] = journalFiles();
    expect(name).toBeDefined();
    const bytes = readFileSync(join(journalDir, name as string));
    await server.settle();
    expect(journalFiles()).toEqual([]);
    return { name: name as string, bytes };
  }

  const drop = (table: string, ids: string[]) =>
    command(
      server.warehouse.client,
      `ALTER TABLE ${table} DELETE WHERE id IN {ids:Array(UUID)} SETTINGS mutations_sync = 2`,
      {
        ids,
      },
    );

  async function crashAndRestart(file: { name: string; bytes: Buffer }): Promise<void> {
    await server.close();
    writeFileSync(join(journalDir, file.name), file.bytes);
    server = await startServer({ JOURNAL_MOVE_MS: '60000' }, { keepData: true });
    expect(journalFiles()).toEqual([]);
  }

  const readable = async (ids: string[]) => {
    let found = 0;
    for (const id of ids) {
      const res = await fetch(`${server.url}/xapi/statements?statementId=${id}`, { headers: xapiHeaders() });
      await res.arrayBuffer();
      if (res.status === 200) found += 1;
    }
    return found;
  };

  it('rewrites the derived tables that lost the rows, so that every acknowledged statement is readable again', async () => {
    const batch = Array.from({ length: 30 }, (_, i) => withId(makeStatement(i)));
    const ids = batch.map((s) => s.id as string);
    const file = await postAndKeepFile(batch);
    // The by-id and key tables, and the day's activity rollup, lost the part whose token they had recorded.
    await drop(TABLES.statementsById, ids.slice(0, 10));
    await drop(TABLES.statementKeys, ids);
    await command(
      server.warehouse.client,
      `ALTER TABLE ${TABLES.activityActorDaily} DELETE WHERE day = '2026-01-05' SETTINGS mutations_sync = 2`,
    );
    expect((await checkDerivedTables(server.warehouse)).consistent).toBe(false);

    await crashAndRestart(file);

    expect(await readable(ids)).toBe(30);
    const report = await checkDerivedTables(server.warehouse);
    expect(report).toMatchObject({ consistent: true, statements: { rows: 30, ids: 30 } });
    const metrics = await scrapeMetrics(server.url);
    expect(metrics).toMatch(/lrs_recovery_repairs_total\{table="statements_by_id"\} 1/);
    expect(metrics).toMatch(/lrs_recovery_repairs_total\{table="statement_keys"\} 1/);
    expect(metrics).toMatch(/lrs_recovery_repairs_total\{table="activity_actor_daily"\} 1/);
    expect(metrics).not.toMatch(/lrs_recovery_repairs_total\{table="statements"\}/);
  });

  it('puts back into statements itself the rows whose token it had recorded, without duplicating the others', async () => {
    const batch = Array.from({ length: 20 }, (_, i) => withId(makeStatement(100 + i)));
    const ids = batch.map((s) => s.id as string);
    const before = await checkDerivedTables(server.warehouse);
    const file = await postAndKeepFile(batch);
    // statements and every table its views feed lost the part (the crash came before any of them made it visible).
    for (const table of [TABLES.statements, TABLES.statementsById, TABLES.statementKeys]) await drop(table, ids);
    await command(
      server.warehouse.client,
      `ALTER TABLE ${TABLES.activityActorDaily} DELETE WHERE day = '2026-01-05' SETTINGS mutations_sync = 2`,
    );

    await crashAndRestart(file);

    expect(await readable(ids)).toBe(20);
    const report = await checkDerivedTables(server.warehouse);
    expect(report).toMatchObject({
      consistent: true,
      statements: { rows: before.statements.rows + 20, ids: before.statements.ids + 20 },
    });
    const [paged] = await queryRows<{ n: string }>(
      server.warehouse.client,
      `SELECT count() AS n FROM ${TABLES.statements} WHERE id IN {ids:Array(UUID)}`,
      { ids },
    );
    expect(Number(paged?.n)).toBe(20);
    expect(await scrapeMetrics(server.url)).toMatch(/lrs_recovery_repairs_total\{table="statements"\} 1/);
  });

  it('changes nothing when the replay found every table in step', async () => {
    const batch = Array.from({ length: 5 }, (_, i) => withId(makeStatement(200 + i)));
    const file = await postAndKeepFile(batch);
    const before = await checkDerivedTables(server.warehouse);
    await crashAndRestart(file);
    expect(await checkDerivedTables(server.warehouse)).toEqual(before);
    expect(await scrapeMetrics(server.url)).not.toMatch(/lrs_recovery_repairs_total\{/);
  });
});
