import type { ClickHouseClient } from '@clickhouse/client';

export type QueryParams = Record<string, unknown>;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*):[^}]+\}/g;

/**
 * Every value reaches ClickHouse as a `{name:Type}` query parameter, never spliced into the SQL text. This check
 * makes a forgotten or misspelt parameter fail loudly at the call site instead of as a confusing server error.
 */
export function checkParams(sql: string, params: QueryParams): void {
  const used = new Set(Array.from(sql.matchAll(PLACEHOLDER), (m) => m[1] as string));
  for (const name of used) {
    if (!(name in params)) throw new Error(`SQL parameter {${name}} has no value`);
  }
  for (const name of Object.keys(params)) {
    if (!used.has(name)) throw new Error(`parameter "${name}" is not used by the SQL`);
  }
}

/** Runs a SELECT and returns its rows typed as `T` (JSONEachRow; 64-bit integers arrive as strings). */
export async function queryRows<T>(client: ClickHouseClient, sql: string, params: QueryParams = {}): Promise<T[]> {
  checkParams(sql, params);
  const result = await client.query({ query: sql, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

/** Runs a statement that returns no rows (DDL, TRUNCATE), with the same parameter discipline. */
export async function command(client: ClickHouseClient, sql: string, params: QueryParams = {}): Promise<void> {
  checkParams(sql, params);
  await client.command({ query: sql, query_params: params });
}
