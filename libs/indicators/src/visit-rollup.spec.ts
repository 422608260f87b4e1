import { LeaseHeld, TABLES, type Warehouse, command, createWarehouse, queryRows } from '@ent-observatory/warehouse';
import { activityRow, threeMonthsOfPupils } from '../../../test/support/activity.js';
import { holdLease } from '../../../test/support/lease.js';
import { workerDataDir } from '../../../test/support/paths.js';
import { freshWarehouse } from '../../../test/support/warehouse.js';
import { RECOMPUTE_LEASE, refreshVisitRollups, rollupsAsOf } from './visit-rollup.js';

interface Totals {
  table: string;
  grain: string;
  rows: string;
  visits: string;
}

/**
 * What the views read, summed: a doubled or missing month shows in these. Rows are counted per key net of the
 * catch-ups' deltas (a key's rows are summed; background merges fold them at their own pace).
 */
async function totals(w: Warehouse): Promise<Totals[]> {
  const cube =
    'level, grain, period, region, academie, departement, uai, sector, rep, ent_profile, ent_service, device';
  return queryRows<Totals>(
    w.client,
    `SELECT * FROM (
       SELECT 'person' AS table, grain, toString(count()) AS rows, toString(sum(v)) AS visits
         FROM (SELECT grain, period, uai, ent_profile, ent_service, device, person, sum(visits) AS v
               FROM ${TABLES.visitPerson} GROUP BY grain, period, uai, ent_profile, ent_service, device, person
               HAVING v != 0)
         GROUP BY grain
       UNION ALL
       SELECT 'cube' AS table, concat(level, '/', grain) AS grain, toString(count()) AS rows, toString(sum(v)) AS visits
         FROM (SELECT ${cube}, sum(visits) AS v FROM ${TABLES.visitCube} GROUP BY ${cube} HAVING v != 0)
         GROUP BY level, grain
       UNION ALL
       SELECT 'starts' AS table, '' AS grain, toString(count()) AS rows, toString(sum(v)) AS visits
         FROM (SELECT day, uai, ent_profile, hour, person, sum(visits) AS v FROM ${TABLES.visitStarts}
               GROUP BY day, uai, ent_profile, hour, person HAVING v != 0))
     ORDER BY table, grain`,
  );
}

/**
 * The worker's store with the three-month fixture counted, and a second client of it: another API instance or the
 * CLI.
 */
async function fixtureAndOtherClient(): Promise<{ w: Warehouse; other: Warehouse }> {
  const w = await freshWarehouse();
  const other = createWarehouse({ dataDir: workerDataDir() });
  await w.client.insert({
    table: TABLES.statements,
    values: threeMonthsOfPupils().map(activityRow),
    format: 'JSONEachRow',
  });
  await refreshVisitRollups(w, { inFlightMarginSeconds: 0 });
  return { w, other };
}

/** Every day × establishment marked again, as new statements would. */
async function markAllDirty(w: Warehouse): Promise<void> {
  await command(
    w.client,
    `INSERT INTO ${TABLES.visitDirtyDay} (at, day, uai)
     SELECT now64(3, 'UTC'), day, uai FROM ${TABLES.activityActorDaily} GROUP BY day, uai`,
  );
}

describe('visit rollup recomputation shared by several processes', () => {
  let w: Warehouse;
  /** A second client of the same database: another API instance or the CLI. */
  let other: Warehouse;
  let expected: Totals[];

  beforeAll(async () => {
    ({ w, other } = await fixtureAndOtherClient());
    expected = await totals(w);
    // 3 months × 6 days × 6 pupils × 3 visits, in the ENT-wide cells and again in each pupil's one service.
    expect(expected.find((t) => t.table === 'person' && t.grain === 'month')?.visits).toBe(String(2 * 3 * 6 * 6 * 3));
  });
  afterAll(async () => {
    await other.client.close();
    await w.client.close();
  });

  it('recomputes once at a time across clients: two at once leave the same rollups as one', async () => {
    await markAllDirty(w);
    const [a, b] = await Promise.all([
      refreshVisitRollups(w, { inFlightMarginSeconds: 0, holder: 'a' }),
      refreshVisitRollups(other, { inFlightMarginSeconds: 0, holder: 'b' }),
    ]);
    expect(await totals(w)).toEqual(expected);
    // Every day counted by exactly one of them (the other found them done once it held the lease).
    expect([...a.months, ...b.months].sort()).toEqual(['2025-10-01', '2025-11-01', '2025-12-01']);
    expect([...a.days, ...b.days]).toHaveLength(18);
  });

  it('finishes a stage a dead run left complete, even when no mark is newer than the last catch-up', async () => {
    // A full recomputation (visit-rollup-full.ts) killed once its stage was recorded complete leaves no mark.
    await refreshVisitRollups(w, { inFlightMarginSeconds: 0 });
    await command(w.client, `INSERT INTO ${TABLES.visitStageReady} SELECT now64(3, 'UTC')`);
    expect((await refreshVisitRollups(w, { inFlightMarginSeconds: 0 })).days).toEqual([]);
    const [ready] = await queryRows<{ n: string }>(
      w.client,
      `SELECT toString(count()) AS n FROM ${TABLES.visitStageReady}`,
    );
    expect(ready?.n).toBe('0');
    expect(await totals(w)).toEqual(expected);
  });

  it('waits, bounded, while another process recomputes, then finds what is left; asOf says how fresh', async () => {
    expect(Date.parse((await rollupsAsOf(w)) ?? '')).toBeGreaterThan(Date.now() - 5_000);
    const holder = await holdLease(other, RECOMPUTE_LEASE, 'cli:elsewhere');
    const marked = Date.now();
    await markAllDirty(w);
    const refused = refreshVisitRollups(w, { inFlightMarginSeconds: 0, leaseWaitMs: 300 });
    await expect(refused).rejects.toBeInstanceOf(LeaseHeld);
    await expect(refused).rejects.toThrow('lease "visit-rollups" is held by cli:elsewhere');
    // Nothing half-done meanwhile: the last complete state, older than the marks.
    expect(await totals(w)).toEqual(expected);
    expect(Date.parse((await rollupsAsOf(w)) ?? '')).toBeLessThan(marked);
    const waiting = refreshVisitRollups(w, { inFlightMarginSeconds: 0 });
    await new Promise((r) => setTimeout(r, 300));
    holder.release();
    await holder.done;
    expect((await waiting).months).toEqual(['2025-10-01', '2025-11-01', '2025-12-01']);
    expect(await totals(w)).toEqual(expected);
    expect(Date.parse((await rollupsAsOf(w)) ?? '')).toBeGreaterThanOrEqual(marked);
  });

  it('says asOf is unknown while statements are marked and no catch-up ever completed', async () => {
    await command(w.client, `TRUNCATE TABLE ${TABLES.visitComplete}`);
    await markAllDirty(w);
    expect(await rollupsAsOf(w)).toBeNull();
    await refreshVisitRollups(w, { inFlightMarginSeconds: 0 });
    expect(await rollupsAsOf(w)).not.toBeNull();
    expect(await totals(w)).toEqual(expected);
  });

  it('merges a month that no longer receives parts into one part (migration 060), figures unchanged', async () => {
    const visit = [TABLES.visitPerson, TABLES.visitStarts, TABLES.visitCube, TABLES.visitEstablishmentDays];
    const settings = await queryRows<{ name: string; engine_full: string }>(
      w.client,
      `SELECT name, engine_full FROM system.tables WHERE database = currentDatabase() AND name IN {visit:Array(String)}`,
      { visit },
    );
    expect(settings).toHaveLength(4);
    for (const { engine_full } of settings) {
      expect(engine_full).toContain('min_age_to_force_merge_seconds = 3600');
      expect(engine_full).toContain('min_age_to_force_merge_on_partition_only = 1');
    }
    // Two more catch-ups, each with new people in the first days: more parts in the first month.
    const partsPerMonth = async () => {
      const [row] = await queryRows<{ most: string }>(
        w.client,
        `SELECT toString(max(n)) AS most FROM (
           SELECT count() AS n FROM system.parts
           WHERE active AND database = currentDatabase() AND table = {table:String} GROUP BY partition_id)`,
        { table: TABLES.visitPerson },
      );
      return Number(row?.most);
    };
    await command(w.client, `SYSTEM STOP MERGES ${TABLES.visitPerson}`);
    let moved: Totals[];
    try {
      for (const round of [1, 2]) {
        await w.client.insert({
          table: TABLES.statements,
          values: threeMonthsOfPupils()
            .slice(0, 3)
            .map((e) => activityRow({ ...e, actor: `late-${round}-${e.actor}` })),
          format: 'JSONEachRow',
        });
        await refreshVisitRollups(w, { inFlightMarginSeconds: 0 });
      }
      moved = await totals(w);
      expect(await partsPerMonth()).toBeGreaterThan(1);
      // The hour of the migration, shortened to a second here. The server looks for merges less and less often
      // while it finds none (up to every 60 s: max_merge_selecting_sleep_ms), as it found none while they were
      // stopped: it looks every 200 ms here, or the merge may come after the deadline below.
      await command(
        w.client,
        `ALTER TABLE ${TABLES.visitPerson} MODIFY SETTING min_age_to_force_merge_seconds = 1,
           merge_selecting_sleep_ms = 200, max_merge_selecting_sleep_ms = 200`,
      );
    } finally {
      await command(w.client, `SYSTEM START MERGES ${TABLES.visitPerson}`);
    }
    try {
      // Merges run in the background: a loaded machine may take a while to get to it.
      const deadline = Date.now() + 60_000;
      while ((await partsPerMonth()) > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    } finally {
      await command(w.client, `ALTER TABLE ${TABLES.visitPerson} MODIFY SETTING min_age_to_force_merge_seconds = 3600`);
      await command(
        w.client,
        `ALTER TABLE ${TABLES.visitPerson} RESET SETTING merge_selecting_sleep_ms, max_merge_selecting_sleep_ms`,
      );
    }
    expect(await partsPerMonth()).toBe(1);
    expect(await totals(w)).toEqual(moved);
  });
});

describe('visit rollup catch-up beside an insert still running', () => {
  let w: Warehouse;
  /** Another process on the same database, whose insert is slow. */
  let other: Warehouse;
  const dayVisits = async (day: string) => {
    const [row] = await queryRows<{ visits: string }>(
      w.client,
      `SELECT toString(sum(visits)) AS visits FROM ${TABLES.visitPerson}
       WHERE grain = 'day' AND period = {day:Date} AND ent_service = '*'`,
      { day },
    );
    return Number(row?.visits);
  };

  beforeAll(async () => {
    ({ w, other } = await fixtureAndOtherClient());
  });
  afterAll(async () => {
    await other.client.close();
    await w.client.close();
  });

  it('counts the marks an insert stamped before a catch-up recorded its state and committed after it', async () => {
    // A pupil's statement of 5 January is stored; its mark is not there yet: it stands for a mark stamped while its
    // insert runs and visible only once that insert commits (a journal generation with its nine views on a loaded
    // machine, a repair's markDaysDirty over a large store).
    await w.client.insert({
      table: TABLES.statements,
      values: [activityRow({ actor: 'pupil-late', at: '2026-01-05T09:00:00.000Z', service: 'notes' })],
      format: 'JSONEachRow',
    });
    await command(w.client, `TRUNCATE TABLE ${TABLES.visitDirtyDay}`);
    // Another process's insert stamps that day's mark now and commits it 1.5 s later.
    const slow = command(
      other.client,
      `INSERT INTO ${TABLES.visitDirtyDay} (at, day, uai, person)
       SELECT now64(3, 'UTC'), toDate('2026-01-05'), '0350001A', 0 FROM numbers(1) WHERE sleepEachRow(1.5) = 0`,
    );
    await new Promise((r) => setTimeout(r, 600));
    // Meanwhile statements of 6 January arrive and are marked at once, and a catch-up counts them: the state it
    // records as complete must not cover the mark still in flight, older than its start less its margin.
    await w.client.insert({
      table: TABLES.statements,
      values: [activityRow({ actor: 'pupil-quick', at: '2026-01-06T09:00:00.000Z', service: 'notes' })],
      format: 'JSONEachRow',
    });
    const during = await refreshVisitRollups(w, { inFlightMarginSeconds: 0.3 });
    expect(during.days).toEqual(['2026-01-06']);
    expect(await dayVisits('2026-01-05')).toBe(0);
    await slow;
    const after = await refreshVisitRollups(w, { inFlightMarginSeconds: 0 });
    expect(after.days).toContain('2026-01-05');
    expect(await dayVisits('2026-01-05')).toBe(1);
    expect(await dayVisits('2026-01-06')).toBe(1);
  });
});
