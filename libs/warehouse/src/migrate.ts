import { readFileSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Warehouse } from './client.js';
import { clusterMigrations, localTable, quoteCluster, replicatedEngine, shardedTables } from './cluster.js';
import { committedBefore } from './committed.js';
import { LeaseHeld, type LeaseOptions, withLease } from './lease.js';
import { command, queryRows } from './query.js';
import { TABLES } from './tables.js';

export interface Migration {
  version: number;
  name: string;
  statements: string[];
  /**
   * Per statement index, a query whose first column is non-zero when that statement must be skipped: written
   * `-- skip if: SELECT …` on one line of the statement. For the steps no `IF [NOT] EXISTS` makes safe to run
   * twice (a RENAME, a DROP of a table another step re-creates), so that a migration killed between any two of its
   * statements completes when run again.
   */
  skipIf?: Record<number, string>;
}

/** The package's own migrations: `NNN_name.sql` files beside src/ (shipped as-is, not compiled). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

/** Reads numbered `.sql` files; statements are separated by a semicolon at the end of a line. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(`${dir}/${file}`, 'utf8');
      const statements: string[] = [];
      const skipIf: Record<number, string> = {};
      for (const chunk of sql.split(/;\s*$/m)) {
        const statement = chunk.replace(/^\s*--.*$/gm, '').trim();
        if (statement.length === 0) continue;
        const guard = SKIP_IF.exec(chunk)?.[1];
        if (guard) skipIf[statements.length] = guard.trim();
        statements.push(statement);
      }
      const migration: Migration = { version: Number(file.split('_')[0]), name: file, statements };
      return Object.keys(skipIf).length > 0 ? { ...migration, skipIf } : migration;
    });
}

const SKIP_IF = /^\s*--\s*skip if:\s*(SELECT\b.*)$/im;

/**
 * `ON CLUSTER` for DDL when a cluster is configured. Migrations write `{on_cluster}` where it belongs; that is a
 * DDL identifier, not a value, so it cannot be a query parameter.
 */
function render(statement: string, w: Warehouse, cutoff?: string): string {
  const sql = statement.replaceAll('{on_cluster}', onCluster(w));
  if (!sql.includes('{cutoff}')) return sql;
  // The cut-off is part of a view's stored definition, which cannot hold a query parameter: a timestamp this
  // module produced (cutoffOf), checked before it is written in.
  if (!cutoff || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/.test(cutoff))
    throw new Error(`migration cut-off "${cutoff}" is not a timestamp`);
  return sql.replaceAll('{cutoff}', `toDateTime64('${cutoff}', 3, 'UTC')`);
}

/** The `ON CLUSTER …` clause of DDL and mutations (ALTER TABLE … DELETE) in cluster mode, '' otherwise. */
export function onCluster(w: Warehouse): string {
  return w.cluster ? `ON CLUSTER ${quoteCluster(w.cluster)}` : '';
}

let sharded: Set<string> | undefined;

/**
 * The table that holds the rows of `table` on a node: itself on one server, `<table>_local` in cluster mode when it
 * is sharded (cluster.ts). Mutations and TTLs (ALTER TABLE … ON CLUSTER) address it; reads and inserts of statements
 * go through `table` (the Distributed table).
 */
export function storedTable(w: Warehouse, table: string): string {
  if (!w.cluster) return table;
  sharded ??= shardedTables(loadMigrations());
  return localTable(table, sharded);
}

/**
 * `w` with the SQL of its queries and commands addressing the node's own rows of `tables`: on a cluster, each name
 * in `tables` (a whole word: `visit_person` is not `visit_person_stage`) becomes its storedTable(), so that work
 * which must run on one shard's parts (the visit rollups' catch-up: stages, partition moves) reads and writes the
 * local tables of the node `w` is connected to; the Distributed tables keep serving every other read. Unchanged on
 * one server. Query parameters are not rewritten: pass storedTable() names where a name is a value (system.parts).
 * `settings` are added to each request's (server mode: they hold for that request only).
 */
export function nodeLocal(
  w: Warehouse,
  tables: readonly string[],
  settings: Record<string, string | number> = {},
): Warehouse {
  if (!w.cluster) return w;
  const names = new Map<string, string>();
  for (const t of tables) if (storedTable(w, t) !== t) names.set(t, storedTable(w, t));
  if (names.size === 0) return w;
  const pattern = new RegExp(`\\b(${[...names.keys()].join('|')})\\b`, 'g');
  const local = (sql: string) => sql.replace(pattern, (name) => names.get(name) ?? name);
  const client = new Proxy(w.client, {
    get(target, prop, receiver) {
      if (prop === 'query' || prop === 'command' || prop === 'exec') {
        const method = Reflect.get(target, prop, receiver) as (p: object) => unknown;
        return (params: { query: string; clickhouse_settings?: object }) =>
          method.call(target, {
            ...params,
            query: local(params.query),
            clickhouse_settings: { ...params.clickhouse_settings, ...settings },
          });
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ...w, client };
}

/** The lease migrations run under (lease.ts): one migrating process at a time on a database. */
export const MIGRATE_LEASE = 'migrate';

export interface MigrateOptions {
  /** Names this process in the lease table (default `<hostname>:<pid>`). */
  holder?: string;
  /** How long to wait for another process's migrations (default 10 minutes: a backfill of 10M statements). */
  leaseWaitMs?: number;
  /** Lease timing (tests). */
  lease?: LeaseOptions;
  /** How far ahead of a migration's start its cut-off lies (default 5 s): its views must exist by then. */
  cutoffLeadMs?: number;
  /** How long after the cut-off an insert that started before it may still commit (default 2 s). */
  cutoffInFlightMs?: number;
}

const CUTOFF_DEFAULTS = { cutoffLeadMs: 5_000, cutoffInFlightMs: 2_000 };
const DEFAULT_LEASE_WAIT_MS = 10 * 60_000;
const LEASE_POLL_MS = 250;

/**
 * Applies the migrations not yet recorded in the migrations table, in order; returns the versions applied.
 *
 * Several processes may start at once on one database (API instances, CLI commands): the migrations run under
 * the lease MIGRATE_LEASE, and a process that finds it held waits for the holder, then applies what is still
 * missing (usually nothing). Nothing pending: no lease taken. A migration that fails half-way is re-run whole at
 * the next start: its DDL is idempotent (IF NOT EXISTS, or a `-- skip if:` guard where it cannot be) and its
 * backfills are exactly-once (backfill()).
 */
export async function migrate(
  w: Warehouse,
  migrations: Migration[] = loadMigrations(),
  options: MigrateOptions = {},
): Promise<number[]> {
  // Cluster mode: the same migrations, rewritten into Replicated local tables and Distributed tables (cluster.ts).
  if (w.cluster) migrations = clusterMigrations(migrations, w.cluster, [...loadMigrations(), ...migrations]);
  await bootstrap(w);
  if ((await pending(w, migrations)).length === 0) return [];
  const holder = options.holder ?? `${hostname()}:${process.pid}`;
  const deadline = Date.now() + (options.leaseWaitMs ?? DEFAULT_LEASE_WAIT_MS);
  for (;;) {
    try {
      return await withLease(w, MIGRATE_LEASE, holder, () => applyPending(w, migrations, options), options.lease);
    } catch (e) {
      if (!(e instanceof LeaseHeld) || Date.now() >= deadline) throw e;
      await new Promise((r) => setTimeout(r, LEASE_POLL_MS));
      if ((await pending(w, migrations)).length === 0) return [];
    }
  }
}

/** The bookkeeping tables, and the leases table the lease itself needs (migration 042's DDL, idempotent). */
async function bootstrap(w: Warehouse): Promise<void> {
  const ddl = (sql: string) => (w.cluster ? replicatedEngine(sql, true) : sql);
  await command(
    w.client,
    render(
      ddl(
        `CREATE TABLE IF NOT EXISTS ${TABLES.migrations} {on_cluster} (version UInt32, name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = MergeTree ORDER BY version`,
      ),
      w,
    ),
  );
  await command(
    w.client,
    render(
      ddl(
        `CREATE TABLE IF NOT EXISTS ${TABLES.migrationSteps} {on_cluster} (version UInt32, step UInt32, done_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = MergeTree ORDER BY (version, step)`,
      ),
      w,
    ),
  );
  await command(
    w.client,
    render(
      ddl(
        `CREATE TABLE IF NOT EXISTS ${TABLES.migrationCutoffs} {on_cluster} (version UInt32, cutoff DateTime64(3, 'UTC')) ENGINE = MergeTree ORDER BY version`,
      ),
      w,
    ),
  );
  const all = loadMigrations();
  const leases = (w.cluster ? clusterMigrations(all, w.cluster) : all).find((m) => m.name === LEASES_MIGRATION);
  if (!leases) throw new Error(`${LEASES_MIGRATION} is missing from ${MIGRATIONS_DIR}`);
  for (const statement of leases.statements) await command(w.client, render(statement, w));
}

const LEASES_MIGRATION = '042_leases.sql';

async function pending(w: Warehouse, migrations: Migration[]): Promise<Migration[]> {
  const done = new Set(
    (await queryRows<{ version: number }>(w.client, `SELECT version FROM ${TABLES.migrations}`)).map((r) =>
      Number(r.version),
    ),
  );
  return migrations.filter((m) => !done.has(m.version));
}

/** Holding the lease: what is still pending now (another holder may have applied some). */
async function applyPending(w: Warehouse, migrations: Migration[], options: MigrateOptions): Promise<number[]> {
  const applied: number[] = [];
  for (const m of await pending(w, migrations)) {
    const cutoff = await cutoffOf(w, m, options);
    for (const [step, statement] of m.statements.entries()) {
      const guard = m.skipIf?.[step];
      if (guard && (await skips(w, render(guard, w)))) continue;
      const fill = BACKFILL.exec(statement);
      const view = VIEW.exec(statement)?.[1];
      // Cluster mode: a backfill is a plain insert into the local table of the node migrated (cluster.ts, and
      // docs/scaling.md: exactly-once staging is not built there; migrate a new cluster before any statement).
      if (fill && !w.cluster) {
        if (cutoff && statement.includes('{cutoff}')) await untilPast(w, cutoff, options);
        await backfill(w, m.version, step, fill[1] as string, render(fill[2] as string, w, cutoff));
      } else if (view && cutoff && statement.includes('{cutoff}')) {
        await createView(w, m, view, render(statement, w, cutoff), cutoff);
      } else await command(w.client, render(statement, w, cutoff));
    }
    await w.client.insert({
      table: TABLES.migrations,
      values: [{ version: m.version, name: m.name }],
      format: 'JSONEachRow',
    });
    applied.push(m.version);
  }
  return applied;
}

/** A `-- skip if:` query's verdict: its first column, non-zero (or true) to skip. */
async function skips(w: Warehouse, query: string): Promise<boolean> {
  const [row] = await queryRows<Record<string, unknown>>(w.client, query);
  const value = row === undefined ? 0 : Object.values(row)[0];
  return value === true || Number(value) !== 0;
}

const VIEW = /^CREATE\s+MATERIALIZED\s+VIEW\s+IF\s+NOT\s+EXISTS\s+([A-Za-z_][A-Za-z0-9_]*)/i;

/**
 * The cut-off of a migration that writes `{cutoff}`: its materialized views take the rows inserted from then on
 * (`WHERE inserted >= {cutoff}`), its backfills the rows inserted before (`WHERE inserted < {cutoff}`), so a row
 * inserted while the migration runs is counted exactly once. It is taken before any view exists, a few seconds
 * ahead (the views must exist by then: createView checks), and kept, so that a re-run after a failure backfills
 * against the same boundary as the views it created.
 */
async function cutoffOf(w: Warehouse, m: Migration, options: MigrateOptions): Promise<string | undefined> {
  if (!m.statements.some((s) => s.includes('{cutoff}'))) return undefined;
  const version = m.version;
  const [kept] = await queryRows<{ cutoff: string }>(
    w.client,
    `SELECT toString(cutoff) AS cutoff FROM ${TABLES.migrationCutoffs} WHERE version = {version:UInt32} LIMIT 1`,
    { version },
  );
  if (kept) return kept.cutoff;
  const lead = options.cutoffLeadMs ?? CUTOFF_DEFAULTS.cutoffLeadMs;
  const [{ cutoff }] = (await queryRows<{ cutoff: string }>(
    w.client,
    `SELECT toString(now64(3, 'UTC') + toIntervalMillisecond({lead:UInt32})) AS cutoff`,
    { lead },
  )) as [{ cutoff: string }];
  await command(
    w.client,
    `INSERT INTO ${TABLES.migrationCutoffs} SELECT {version:UInt32}, toDateTime64({cutoff:String}, 3, 'UTC')`,
    { version, cutoff },
  );
  return cutoff;
}

/**
 * Creates a view bounded by the cut-off. One created after it would miss the rows inserted in between: then every
 * view of the migration bounded by this cut-off is dropped and the cut-off forgotten, so that the next run starts
 * over with a new one (a migration creates its views before its backfills).
 */
async function createView(w: Warehouse, m: Migration, view: string, sql: string, cutoff: string): Promise<void> {
  const [existed] = await queryRows<{ name: string }>(
    w.client,
    `SELECT name FROM system.tables WHERE database = currentDatabase() AND name = {view:String}`,
    { view },
  );
  await command(w.client, sql);
  if (existed) return;
  const [{ late }] = (await queryRows<{ late: number }>(
    w.client,
    `SELECT toUInt8(now64(3, 'UTC') >= toDateTime64({cutoff:String}, 3, 'UTC')) AS late`,
    { cutoff },
  )) as [{ late: number }];
  if (Number(late) === 0) return;
  for (const statement of m.statements.filter((s) => s.includes('{cutoff}'))) {
    const bounded = VIEW.exec(statement)?.[1];
    if (bounded) await command(w.client, `DROP TABLE IF EXISTS ${bounded}`);
  }
  await command(w.client, `DELETE FROM ${TABLES.migrationCutoffs} WHERE version = {version:UInt32}`, {
    version: m.version,
  });
  throw new Error(`materialized view ${view} was created after its migration's cut-off ${cutoff}: migrate again`);
}

/**
 * Moves every active partition of each `from` into its `to` (`MOVE PARTITION … TO TABLE`, same structure), the
 * pairs in order, calling `moved` with the pair's index after each: a moved partition leaves `from`, so a run
 * stopped half-way and run again moves only what is left. The partitions of every `from` are read in one query.
 */
export async function movePartitions(
  w: Warehouse,
  pairs: ReadonlyArray<readonly [from: string, to: string]>,
  moved?: (pair: number) => void | Promise<void>,
): Promise<void> {
  const partitions = await queryRows<{ table: string; id: string }>(
    w.client,
    `SELECT DISTINCT table, partition_id AS id FROM system.parts
     WHERE database = currentDatabase() AND table IN {tables:Array(String)} AND active`,
    { tables: pairs.map(([from]) => from) },
  );
  for (const [pair, [from, to]] of pairs.entries()) {
    for (const { id } of partitions.filter((p) => p.table === from)) {
      // A partition ID is an identifier-like token from system.parts (e.g. 'all', '20251001'), not a value: ALTER
      // takes no query parameter there.
      if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`unexpected partition ID "${id}" in ${from}`);
      await command(w.client, `ALTER TABLE ${from} MOVE PARTITION ID '${id}' TO TABLE ${to}`);
    }
    await moved?.(pair);
  }
}

/**
 * Waits until every insert that started before the cut-off has committed (server clock): the cut-off plus
 * `cutoffInFlightMs` has passed (on a cluster, a row committed on another replica and not yet fetched by this one),
 * and no insert that started before it is still running (committedBefore: a row stamped `inserted` before the
 * cut-off by an insert slower than that would otherwise be neither backfilled nor seen by the view).
 */
async function untilPast(w: Warehouse, cutoff: string, options: MigrateOptions): Promise<void> {
  const inFlight = options.cutoffInFlightMs ?? CUTOFF_DEFAULTS.cutoffInFlightMs;
  const [{ wait }] = (await queryRows<{ wait: string }>(
    w.client,
    `SELECT toString(greatest(0, dateDiff('millisecond', now64(3, 'UTC'),
       toDateTime64({cutoff:String}, 3, 'UTC') + toIntervalMillisecond({inFlight:UInt32})))) AS wait`,
    { cutoff, inFlight },
  )) as [{ wait: string }];
  if (Number(wait) > 0) await new Promise((r) => setTimeout(r, Number(wait)));
  // Both instants are 'YYYY-MM-DD hh:mm:ss.sss' (UTC): they compare as strings.
  while ((await committedBefore(w, 0)) < cutoff) await new Promise((r) => setTimeout(r, CUTOFF_POLL_MS));
}

/** How often a migration waiting for the inserts started before its cut-off looks again. */
const CUTOFF_POLL_MS = 100;

/** A backfill: `INSERT INTO <table> SELECT …` (rows computed from what is already stored). */
const BACKFILL = /^INSERT\s+INTO\s+([A-Za-z_][A-Za-z0-9_]*)\s+(SELECT\b[\s\S]*)$/i;

/**
 * Runs a backfill exactly once, even when the migration failed half-way and is run again: the rows are computed
 * into a staging copy of the table (emptied first unless a previous run recorded it complete), then each of its
 * partitions is moved into the table (`MOVE PARTITION … TO TABLE`: a moved partition leaves the staging table, so a
 * re-run moves only what is left). The table's materialized views do not see the moved rows: migrations never
 * backfill a table that feeds one.
 */
async function backfill(w: Warehouse, version: number, step: number, table: string, select: string): Promise<void> {
  const stage = `_backfill_${version}_${step}`;
  await command(w.client, `CREATE TABLE IF NOT EXISTS ${stage} AS ${table}`);
  const [filled] = await queryRows<{ n: string }>(
    w.client,
    `SELECT toString(count()) AS n FROM ${TABLES.migrationSteps} WHERE version = {version:UInt32} AND step = {step:UInt32}`,
    { version, step },
  );
  if (Number(filled?.n ?? 0) === 0) {
    await command(w.client, `TRUNCATE TABLE ${stage}`);
    await command(w.client, `INSERT INTO ${stage} ${select}`);
    await command(
      w.client,
      `INSERT INTO ${TABLES.migrationSteps} (version, step) VALUES ({version:UInt32}, {step:UInt32})`,
      {
        version,
        step,
      },
    );
  }
  await movePartitions(w, [[stage, table]]);
  await command(w.client, `DROP TABLE ${stage}`);
}
