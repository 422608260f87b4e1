import { GLOBAL_TABLES, SHARDING_KEY, clusterMigrations, clusterStatements, shardedTables } from './cluster.js';
import { createWarehouse } from './client.js';
import { type Migration, loadMigrations } from './migrate.js';
import { queryRows } from './query.js';
import { TABLES } from './tables.js';
import { workerDataDir } from '../../../test/support/paths.js';

const CLUSTER = 'ent';

/** What render() makes of a statement in cluster mode (migrate.ts), with a fixed cut-off. */
function rendered(sql: string): string {
  return sql
    .replaceAll('{on_cluster}', `ON CLUSTER \`${CLUSTER}\``)
    .replaceAll('{cutoff}', `toDateTime64('2026-12-06 00:00:00.000', 3, 'UTC')`);
}

const all = (): string[] => clusterMigrations(loadMigrations(), CLUSTER).flatMap((m) => m.statements);
const creates = (name: string) => all().filter((s) => new RegExp(`^CREATE TABLE (IF NOT EXISTS )?${name}\\b`).test(s));

/**
 * The cluster DDL (docs/scaling.md "Tables on a cluster"): every migration rewritten by cluster.ts. This checks its
 * shape and that ClickHouse parses every statement (EXPLAIN AST, chdb 26.7), replication and ON CLUSTER included.
 * test/cluster-ddl.e2e.ts runs it on a one-shard cluster (without Keeper: neither of those two).
 */
describe('cluster DDL', () => {
  it('leaves no MergeTree-family table unreplicated', () => {
    for (const s of all().filter((x) => /^CREATE TABLE/.test(x))) {
      const engine = /\bENGINE\s*=\s*(\w+)/.exec(s)?.[1];
      if (engine === undefined) {
        // A copy of a local table (`AS x_local`): its engine is the copied one.
        expect(s).toMatch(/ AS \w+_local\b/);
        continue;
      }
      expect([s.slice(0, 80), engine]).toEqual([
        s.slice(0, 80),
        expect.stringMatching(/^(Replicated\w*MergeTree|Distributed|Memory)$/),
      ]);
    }
  });

  it('shards statements by person through a Distributed table of the same name', () => {
    const [local] = creates('statements_local');
    const [dist] = creates('statements');
    expect(local).toMatch(/^CREATE TABLE IF NOT EXISTS statements_local \{on_cluster\}/);
    expect(local).toMatch(/ENGINE = ReplicatedMergeTree\n/);
    expect(dist).toBe(
      `CREATE TABLE IF NOT EXISTS statements {on_cluster} AS statements_local ENGINE = Distributed('${CLUSTER}', currentDatabase(), 'statements_local', ${SHARDING_KEY})`,
    );
  });

  it('keeps engine parameters and settings, and replicates every family', () => {
    const [daily] = creates('activity_actor_daily_local');
    expect(daily).toMatch(/ENGINE = ReplicatedAggregatingMergeTree\nPARTITION BY toYYYYMM\(day\)/);
    const [directory] = creates(TABLES.directoryEstablishments);
    expect(directory).toContain(
      `ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{uuid}/global', '{replica}', loaded_at)`,
    );
    // A migration another engineer may add: any family, with or without parameters.
    const sharded = new Set(['visit_person']);
    const [summing] = clusterStatements(
      'CREATE TABLE IF NOT EXISTS visit_person_v2 {on_cluster} (a UInt8, n UInt64) ENGINE = SummingMergeTree((n)) ORDER BY a',
      new Set([...sharded, 'visit_person_v2']),
      CLUSTER,
    );
    expect(summing).toContain('visit_person_v2_local {on_cluster}');
    expect(summing).toContain('ENGINE = ReplicatedSummingMergeTree((n))');
  });

  it('feeds local tables from local statements on each node', () => {
    const views = all().filter((s) => /^CREATE MATERIALIZED VIEW/.test(s));
    expect(views.length).toBeGreaterThan(5);
    for (const v of views) {
      expect(v).not.toMatch(/\bFROM statements\b/);
      const target = / TO (\w+)/.exec(v)?.[1] as string;
      expect([v.slice(0, 60), target.endsWith('_local') || GLOBAL_TABLES.has(target)]).toEqual([v.slice(0, 60), true]);
    }
  });

  it('gives every sharded table a Distributed table under the name the code uses', () => {
    const sharded = shardedTables(loadMigrations());
    for (const t of [
      TABLES.statements,
      TABLES.statementsById,
      TABLES.statementKeys,
      TABLES.statementRefs,
      TABLES.activityActorDaily,
      TABLES.pupilWeekly,
      TABLES.spaceDaily,
      TABLES.visitPerson,
      TABLES.visitCube,
      TABLES.visitStarts,
      TABLES.followUpPupilEvents,
      TABLES.followUpHomework,
    ]) {
      expect(sharded.has(t)).toBe(true);
      // follow_up_pupil_events is recreated by 051 (copy, drop, rename): its Distributed table is created again.
      expect(
        all().filter((s) =>
          s.includes(`CREATE TABLE IF NOT EXISTS ${t} {on_cluster} AS ${t}_local ENGINE = Distributed`),
        ).length,
      ).toBeGreaterThan(0);
    }
    for (const t of GLOBAL_TABLES) expect(sharded.has(t)).toBe(false);
    // Scratch rows of a recomputation stay in memory on the node that computes.
    expect(sharded.has(TABLES.visitDayStage)).toBe(false);
  });

  it('renames and drops both the local and the Distributed tables', () => {
    const m051 = clusterMigrations(loadMigrations(), CLUSTER).find((m) => m.version === 51) as Migration;
    expect(m051.statements.filter((s) => /^(DROP|RENAME)/.test(s))).toEqual([
      'DROP VIEW IF EXISTS follow_up_pupil_events_mv {on_cluster}',
      'DROP TABLE IF EXISTS follow_up_pupil_events {on_cluster}',
      'DROP TABLE IF EXISTS follow_up_pupil_events_local {on_cluster}',
      'RENAME TABLE follow_up_pupil_events_fine_local TO follow_up_pupil_events_local {on_cluster}',
      'DROP TABLE IF EXISTS follow_up_pupil_events_fine {on_cluster}',
    ]);
  });

  it('is parsed by ClickHouse, statement by statement', async () => {
    const w = createWarehouse({ dataDir: workerDataDir() });
    const statements = all().map(rendered);
    for (const sql of statements) {
      // EXPLAIN AST parses and prints the tree without running anything: no cluster, table or Keeper needed.
      const rows = await queryRows<{ explain: string }>(w.client, `EXPLAIN AST ${sql}`).catch((e: Error) => {
        throw new Error(`${e.message}\n--- in ---\n${sql}`);
      });
      expect(rows.length).toBeGreaterThan(0);
    }
    expect(statements.length).toBeGreaterThan(60);
  });
});
