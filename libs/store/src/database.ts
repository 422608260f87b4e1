import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { schema } from './schema.js';

export interface StoreConfig {
  /** PostgreSQL server URL; unset means PGlite (embedded PostgreSQL) under `dataDir`. */
  databaseUrl?: string | undefined;
  /** Where PGlite keeps its files; `memory://` keeps nothing (tests). */
  dataDir: string;
}

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Store {
  db: Db;
  mode: 'embedded' | 'server';
  location: string;
  /** Runs SQL text with several statements (migrations). */
  execScript(sql: string): Promise<void>;
  /** Runs one parameterised query and returns its rows. */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Runs `work` in one transaction on one connection (COMMIT when it resolves, ROLLBACK when it throws). Every query
   * of the work goes through the `query` it is given: on PGlite the transaction holds the only connection.
   */
  transaction<T>(work: (query: Query) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type Query = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

/** One code path for both modes: Drizzle over node-postgres when DATABASE_URL is set, over PGlite otherwise. */
export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.databaseUrl) {
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
    await pool.query('SELECT 1'); // fail at start, naming the URL, rather than on the first request
    return {
      db: drizzleNodePg(pool, { schema }) as unknown as Db,
      mode: 'server',
      location: redact(config.databaseUrl),
      execScript: async (sql) => void (await pool.query(sql)),
      query: async <T>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as T[],
      transaction: async <T>(work: (query: Query) => Promise<T>) => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const result = await work(async <R>(sql: string, params: unknown[] = []) => {
            return (await client.query(sql, params)).rows as R[];
          });
          await client.query('COMMIT');
          return result;
        } catch (e) {
          await client.query('ROLLBACK');
          throw e;
        } finally {
          client.release();
        }
      },
      close: () => pool.end(),
    };
  }
  const memory = config.dataDir === 'memory://';
  const path = memory ? 'memory://' : resolve(join(config.dataDir, 'pglite'));
  if (!memory) mkdirSync(path, { recursive: true });
  // pg_trgm: the directory's name search (migration 040); a PostgreSQL server ships it as a contrib extension.
  const client = await PGlite.create(path, { extensions: { pg_trgm } });
  return {
    db: drizzlePglite(client, { schema }) as unknown as Db,
    mode: 'embedded',
    location: path,
    execScript: async (sql) => void (await client.exec(sql)),
    query: async <T>(sql: string, params: unknown[] = []) => (await client.query<T>(sql, params)).rows,
    transaction: <T>(work: (query: Query) => Promise<T>) =>
      client.transaction((tx) =>
        work(async <R>(sql: string, params: unknown[] = []) => (await tx.query<R>(sql, params)).rows),
      ),
    close: () => client.close(),
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres (unparseable URL)';
  }
}
