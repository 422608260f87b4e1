import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import { type RawInsert, createChdbPool } from './chdb-pool.js';

export interface WarehouseConfig {
  /** ClickHouse HTTP URL; unset means embedded chdb under `dataDir`. */
  url?: string | undefined;
  user?: string | undefined;
  password?: string | undefined;
  database?: string | undefined;
  /** Cluster name for ON CLUSTER DDL (server mode only). */
  cluster?: string | undefined;
  dataDir: string;
  /** Embedded mode: chdb sessions on the data directory, so that queries run side by side (see chdb-pool.ts). */
  sessions?: number | undefined;
}

export interface Warehouse {
  client: ClickHouseClient;
  mode: 'embedded' | 'server';
  /** Where embedded data lives, or the server URL: what /health and the logs report. */
  location: string;
  cluster: string | undefined;
  /**
   * Embedded mode: chdb's insert of bytes, which hands the payload to the engine as it is (insertLinesOnce). The
   * client's insert turns it into a string and copies it again, on the main thread: 16 % of an API's main thread
   * under batch load.
   */
  rawInsert?: RawInsert | undefined;
}

/** Two cores here: a few sessions let short reads pass a long query without oversubscribing the CPU much. */
export const DEFAULT_EMBEDDED_SESSIONS = 4;

/**
 * One code path for both modes: `@clickhouse/client`, whose connection is chdb's in-process engine when no URL
 * is configured. chdb binds one data directory per process, so a process opens exactly one embedded warehouse.
 */
export function createWarehouse(config: WarehouseConfig): Warehouse {
  if (config.url) {
    const client = createClient({
      url: config.url,
      username: config.user ?? 'default',
      password: config.password ?? '',
      database: config.database ?? 'default',
      clickhouse_settings: { date_time_input_format: 'best_effort' },
    });
    return { client, mode: 'server', location: config.url, cluster: config.cluster || undefined };
  }
  const path = resolve(join(config.dataDir, 'clickhouse'));
  mkdirSync(path, { recursive: true });
  const connection = createChdbPool(path, config.sessions ?? DEFAULT_EMBEDDED_SESSIONS);
  const client = createClient({ connection } as Parameters<typeof createClient>[0]);
  return { client, mode: 'embedded', location: path, cluster: undefined, rawInsert: connection.rawInsert };
}
