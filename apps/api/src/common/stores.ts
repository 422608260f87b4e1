import { type Store, migrateStore, openStore } from '@ent-observatory/store';
import { type Warehouse, applyRetention, createWarehouse, migrate } from '@ent-observatory/warehouse';
import type { Env } from '../config/env.js';

/** ClickHouse as the environment says (embedded chdb under DATA_DIR, or a server), migrated, its retention set. */
export async function openWarehouse(env: Env): Promise<{ warehouse: Warehouse; applied: number[] }> {
  const warehouse = createWarehouse({
    url: env.CLICKHOUSE_URL,
    user: env.CLICKHOUSE_USER,
    password: env.CLICKHOUSE_PASSWORD,
    database: env.CLICKHOUSE_DATABASE,
    cluster: env.CLICKHOUSE_CLUSTER,
    dataDir: env.DATA_DIR,
    sessions: env.CLICKHOUSE_EMBEDDED_SESSIONS,
  });
  const applied = await migrate(warehouse);
  // After the migrations: a migration that recreates a table drops its TTL, set again here.
  await applyRetention(warehouse, {
    statementMonths: env.STATEMENT_RETENTION_MONTHS,
    personMonths: env.PERSON_ROLLUP_RETENTION_MONTHS,
  });
  return { warehouse, applied };
}

/** PostgreSQL as the environment says (PGlite under DATA_DIR, or DATABASE_URL), migrated. */
export async function openRelational(env: Env): Promise<{ store: Store; applied: number[] }> {
  const store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
  return { store, applied: await migrateStore(store) };
}
