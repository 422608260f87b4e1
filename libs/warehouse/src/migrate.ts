import { readFileSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Warehouse } from './client.js';
import { LeaseHeld, type LeaseOptions, withLease } from './lease.js';
import { command, queryRows } from './query.js';
import { TABLES } from './tables.js';

export interface Migration {
  version: number;
  name: string;
  statements: string[];
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
      const statements = sql
        .split(/;\s*$/m)
        .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
        .filter((s) => s.length > 0);
      return { version: Number(file.split('_')[0]), name: file, statements };
    });
}

/**
 * `ON CLUSTER` for DDL when a cluster is configured. Migrations write `{on_cluster}` where it belongs; that is a
 * DDL identifier, not a value, so it cannot be a query parameter.
 */
function render(statement: string, w: Warehouse): string {
  return statement.replaceAll('{on_cluster}', onCluster(w));
}

/** The `ON CLUSTER …` clause of DDL and mutations (ALTER TABLE … DELETE) in cluster mode, '' otherwise. */
export function onCluster(w: Warehouse): string {
  return w.cluster ? `ON CLUSTER ${quoteIdentifier(w.cluster)}` : '';
}

function quoteIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new Error(`CLICKHOUSE_CLUSTER "${name}" is not a valid cluster name`);
  return `\`${name}\``;
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
}

const DEFAULT_LEASE_WAIT_MS = 10 * 60_000;
const LEASE_POLL_MS = 250;

/**
 * Applies the migrations not yet recorded in the migrations table, in order; returns the versions applied.
 *
 * Several processes may start at once on one database (API instances, CLI commands): the migrations run under
 * the lease MIGRATE_LEASE, and a process that finds it held waits for the holder, then applies what is still
 * missing (usually nothing). Nothing pending: no lease taken. A migration that fails half-way is re-run whole at
 * the next start: its DDL is idempotent (IF NOT EXISTS) and its backfills are exactly-once (backfill()).
 */
export async function migrate(
  w: Warehouse,
  migrations: Migration[] = loadMigrations(),
  options: MigrateOptions = {},
): Promise<number[]> {
  await bootstrap(w);
  if ((await pending(w, migrations)).length === 0) return [];
  const holder = options.holder ?? `${hostname()}:${process.pid}`;
  const deadline = Date.now() + (options.leaseWaitMs ?? DEFAULT_LEASE_WAIT_MS);
  for (;;) {
    try {
      return await withLease(w, MIGRATE_LEASE, holder, () => applyPending(w, migrations), options.lease);
    } catch (e) {
      if (!(e instanceof LeaseHeld) || Date.now() >= deadline) throw e;
      await new Promise((r) => setTimeout(r, LEASE_POLL_MS));
      if ((await pending(w, migrations)).length === 0) return [];
    }
  }
}

/** The bookkeeping tables, and the leases table the lease itself needs (migration 042's DDL, idempotent). */
async function bootstrap(w: Warehouse): Promise<void> {
  await command(
    w.client,
    render(
      `CREATE TABLE IF NOT EXISTS ${TABLES.migrations} {on_cluster} (version UInt32, name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = MergeTree ORDER BY version`,
      w,
    ),
  );
  await command(
    w.client,
    render(
      `CREATE TABLE IF NOT EXISTS ${TABLES.migrationSteps} {on_cluster} (version UInt32, step UInt32, done_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = MergeTree ORDER BY (version, step)`,
      w,
    ),
  );
  const leases = loadMigrations().find((m) => m.name === LEASES_MIGRATION);
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
async function applyPending(w: Warehouse, migrations: Migration[]): Promise<number[]> {
  const applied: number[] = [];
  for (const m of await pending(w, migrations)) {
    for (const [step, statement] of m.statements.entries()) {
      const fill = BACKFILL.exec(statement);
      if (fill) await backfill(w, m.version, step, fill[1] as string, render(fill[2] as string, w));
      else await command(w.client, render(statement, w));
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
  const partitions = await queryRows<{ id: string }>(
    w.client,
    `SELECT DISTINCT partition_id AS id FROM system.parts
     WHERE database = currentDatabase() AND table = {stage:String} AND active`,
    { stage },
  );
  for (const { id } of partitions) {
    // A partition ID is an identifier-like token from system.parts (e.g. 'all', '202601'), not a value: ALTER
    // takes no query parameter there.
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`unexpected partition ID "${id}" in ${stage}`);
    await command(w.client, `ALTER TABLE ${stage} MOVE PARTITION ID '${id}' TO TABLE ${table}`);
  }
  await command(w.client, `DROP TABLE ${stage}`);
}
