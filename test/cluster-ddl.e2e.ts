import {
  TABLES,
  type Warehouse,
  applyRetention,
  createWarehouse,
  insertLinesOnce,
  migrate,
  queryRows,
  retainedFrom,
} from '@ent-observatory/warehouse';
import { eraseFromVisitRollups, recomputeVisitRollups, refreshVisitRollups } from '@ent-observatory/indicators';
import { eraseStatements, journalLine } from '@ent-observatory/lrs';
import { randomUUID } from 'node:crypto';
import { STATEMENT_ROW_COLUMNS, type StatementRow } from '@ent-observatory/xapi';
import { type ActivityEvent, activityRow } from './support/activity.js';
import { figures } from './support/visit-figures.js';
import { freshWarehouse, resetWarehouse } from './support/warehouse.js';
import { type ClickHouseServer, startClickHouseServer } from './support/clickhouse-server.js';

/**
 * The cluster DDL run, not only parsed (libs/warehouse cluster.spec.ts parses it): every migration applied by
 * migrate() with CLICKHOUSE_CLUSTER against a ClickHouse that has a real cluster of one shard and one replica
 * (test/support/clickhouse-http.mjs with CHDB_CLUSTER), so that the Distributed tables, the materialized views on the
 * local tables, the renames and the backfills of the cluster form all run, and statements inserted through the
 * Distributed `statements` reach every derived table. What it cannot run: ON CLUSTER (a distributed DDL queue) and
 * replication, both of which need ClickHouse Keeper; the harness strips them (docs/scaling.md says what is unproven).
 */
describe('cluster DDL on a one-shard cluster', () => {
  let server: ClickHouseServer;
  let w: Warehouse;

  beforeAll(async () => {
    server = await startClickHouseServer({ cluster: 'ent' });
    w = createWarehouse({ url: server.url, cluster: 'ent', dataDir: '' });
  }, 120_000);
  afterAll(async () => {
    await w?.client.close();
    await server?.stop();
  });

  const engines = async () =>
    new Map(
      (
        await queryRows<{ name: string; engine: string }>(
          w.client,
          `SELECT name, engine FROM system.tables WHERE database = currentDatabase()`,
        )
      ).map((r) => [r.name, r.engine]),
    );
  const count = async (sql: string, params: Record<string, unknown> = {}) =>
    Number((await queryRows<{ n: string }>(w.client, `SELECT toString(count()) AS n FROM ${sql}`, params))[0]?.n);

  it('applies every migration: local tables under Distributed tables of the names the code uses', async () => {
    const applied = await migrate(w);
    expect(applied.length).toBeGreaterThan(10);
    const tables = await engines();
    for (const t of [
      TABLES.statements,
      TABLES.statementsById,
      TABLES.statementKeys,
      TABLES.activityActorDaily,
      TABLES.spaceDaily,
      TABLES.visitPerson,
      TABLES.visitCube,
      TABLES.followUpPupilEvents,
    ]) {
      expect([t, tables.get(t)]).toEqual([t, 'Distributed']);
      expect([t, tables.get(`${t}_local`)]).toEqual([t, expect.stringMatching(/MergeTree$/)]);
    }
    expect(tables.get(TABLES.directoryEstablishments)).toBe('ReplacingMergeTree');
    expect(tables.has(`${TABLES.leases}_local`)).toBe(false);
    // Migration 051 recreated follow_up_pupil_events: the copy's Distributed table is gone with it.
    expect(tables.has('follow_up_pupil_events_fine')).toBe(false);
    // A second start finds nothing to apply.
    expect(await migrate(w)).toEqual([]);
  });

  it('routes statements by person and derives every table on the shard, read through the Distributed tables', async () => {
    const rows = [0, 1, 2].map((p) =>
      activityRow({ actor: `pupil-${p}`, at: `2026-11-1${p}T08:00:00.000Z`, service: 'cahier_textes' }),
    );
    await w.client.insert({
      table: TABLES.statements,
      values: rows,
      format: 'JSONEachRow',
      clickhouse_settings: { insert_distributed_sync: 1 },
    });
    expect(await count(TABLES.statements)).toBe(3);
    expect(await count(`${TABLES.statements}_local`)).toBe(3);
    expect(await count(TABLES.statementsById)).toBe(3);
    expect(await count(TABLES.statementKeys)).toBeGreaterThanOrEqual(9);
    expect(await count(TABLES.activityActorDaily)).toBe(3);
    expect(await count(TABLES.followUpPupilEvents)).toBe(3);
    expect(await count(TABLES.visitDirtyDay)).toBeGreaterThan(0);
    const [one] = await queryRows<{ raw: string }>(
      w.client,
      `SELECT raw FROM ${TABLES.statementsById} WHERE id = {id:UUID}`,
      { id: rows[0]!.id },
    );
    expect(JSON.parse(one!.raw).id).toBe(rows[0]!.id);

    // Erasure mutates the local tables (a mutation cannot go through a Distributed table).
    await eraseStatements(w, [String(rows[0]!.id)], ['pupil-0']);
    expect(await count(TABLES.statementsById)).toBe(2);
    expect(await count(`${TABLES.activityActorDaily} WHERE actor_pseudonym = 'pupil-0'`)).toBe(0);
  });

  it('sets the retention TTLs on the local tables', async () => {
    await applyRetention(w, { statementMonths: 12, personMonths: 24 });
    const [ttl] = await queryRows<{ engine_full: string }>(
      w.client,
      `SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = 'statements_local'`,
    );
    expect(ttl?.engine_full).toContain('TTL toStartOfMonth(toDate(toTimeZone(stored');
    expect(await retainedFrom(w, TABLES.statements)).toMatch(/^\d{4}-\d{2}-01$/);
  });

  it("catches the visit rollups up on the node's local tables: the same figures as one server, erasure included", async () => {
    const single = await freshWarehouse();
    try {
      await resetWarehouse(w);
      const both = async (work: (x: Warehouse) => Promise<unknown>) => {
        await work(w);
        await work(single);
      };
      const catchUp = (x: Warehouse) => refreshVisitRollups(x, { inFlightMarginSeconds: 0 });
      const at = (day: string, time: string) => `${day}T${time}:00.000Z`;
      // Two pupils and a teacher, then late statements merging two of a pupil's visits and a new person.
      const first: ActivityEvent[] = [
        { actor: 'pupil-a', at: at('2025-11-03', '08:00'), service: 'notes' },
        { actor: 'pupil-a', at: at('2025-11-03', '10:00'), service: 'notes' },
        { actor: 'pupil-b', at: at('2025-11-03', '09:00'), uai: '0350002B', device: 'smartphone' },
        { actor: 'teacher-c', at: at('2025-10-30', '07:30'), profile: 'ENSEIGNANT', service: 'cahier_textes' },
      ];
      const second: ActivityEvent[] = [
        ...['08:25', '08:50', '09:15', '09:40'].map((t) => ({ actor: 'pupil-a', at: at('2025-11-03', t) })),
        { actor: 'pupil-d', at: at('2025-11-03', '09:05'), service: 'notes' },
      ];
      const erasedIds: string[] = [];
      const insertBoth = (events: ActivityEvent[]) => {
        const rows = events.map((e) => activityRow(e) as unknown as StatementRow);
        erasedIds.push(...rows.filter((r) => r.actor_pseudonym === 'pupil-a').map((r) => r.id));
        const lines = Buffer.from(rows.map(journalLine).join(''));
        return both((x) =>
          insertLinesOnce(x, TABLES.statements, STATEMENT_ROW_COLUMNS, lines, `cluster-${randomUUID()}`),
        );
      };

      await insertBoth(first);
      await both(catchUp);
      expect(await count(`${TABLES.visitPerson}_local`)).toBeGreaterThan(0);
      expect(await figures(w)).toEqual(await figures(single));

      await insertBoth(second);
      await both(catchUp);
      const caughtUp = await figures(w);
      expect(caughtUp).toEqual(await figures(single));
      // The full recomputation on the cluster finds what the catch-up counted.
      await recomputeVisitRollups(w, { inFlightMarginSeconds: 0 });
      expect(await figures(w)).toEqual(caughtUp);

      // Erasure: the person's rows deleted from the local tables, the months' cubes rewritten without them.
      expect(erasedIds).toHaveLength(6);
      await both(async (x) => {
        await eraseStatements(x, erasedIds, ['pupil-a']);
        await eraseFromVisitRollups(x, ['pupil-a']);
      });
      const erased = await figures(w);
      expect(erased).toEqual(await figures(single));
      expect(erased).not.toEqual(caughtUp);
      expect(await count(`${TABLES.visitPerson} WHERE person = cityHash64('pupil-a')`)).toBe(0);
    } finally {
      await single.client.close();
    }
  });

  it('refuses to count the visit rollups on a cluster of several shards (each would count its own marks)', async () => {
    const two = createWarehouse({ url: server.url, cluster: 'ent_two_shards', dataDir: '' });
    const unknown = createWarehouse({ url: server.url, cluster: 'nowhere', dataDir: '' });
    try {
      const options = { inFlightMarginSeconds: 0 };
      await expect(refreshVisitRollups(two, options)).rejects.toThrow(
        /catch-up runs on a cluster of one shard.*has 2 shards/,
      );
      await expect(recomputeVisitRollups(two, options)).rejects.toThrow(/recomputation .*has 2 shards/);
      await expect(refreshVisitRollups(unknown, options)).rejects.toThrow(/"nowhere" is not in system.clusters/);
      // Erasure: nothing to do for a person the rollups never counted; refused, not skipped, for one they did (the
      // previous test counted pupil-b when the same tables were read as a one-shard cluster).
      await expect(eraseFromVisitRollups(two, ['never-counted'])).resolves.toBeUndefined();
      await expect(eraseFromVisitRollups(two, ['pupil-b'])).rejects.toThrow(/counted when .* had one shard/);
    } finally {
      await two.client.close();
      await unknown.client.close();
    }
  });
});
