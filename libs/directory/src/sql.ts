import type { Store } from '@ent-observatory/store';
import { sql, type SQL } from 'drizzle-orm';

/** Runs one parameterised statement ($1, $2 … placeholders) and returns its rows. */
export type Exec = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

/**
 * Runs `fn` in one transaction on either store mode: if anything throws (or the process dies), nothing of it is
 * written. Drizzle's transaction holds one connection of the node-postgres pool, which a plain BEGIN through
 * `store.query` would not.
 */
export async function inTransaction<T>(store: Store, fn: (exec: Exec) => Promise<T>): Promise<T> {
  return store.db.transaction(async (tx) => {
    const exec: Exec = async <R>(text: string, params: unknown[] = []) => {
      // node-postgres and PGlite results both carry `rows`; drizzle types them per driver.
      const result: unknown = await tx.execute(toSql(text, params));
      return (result as { rows: R[] }).rows;
    };
    return fn(exec);
  });
}

/** `$n` placeholders → drizzle parameters, so the same SQL text serves inside and outside transactions. */
function toSql(text: string, params: unknown[]): SQL {
  const chunks: SQL[] = [];
  let last = 0;
  for (const m of text.matchAll(/\$(\d+)/g)) {
    chunks.push(sql.raw(text.slice(last, m.index)));
    chunks.push(sql`${sql.param(params[Number(m[1]) - 1])}`);
    last = m.index + m[0].length;
  }
  chunks.push(sql.raw(text.slice(last)));
  return sql.join(chunks);
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  /** Rows whose stored values were already the same. */
  unchanged: number;
}

export interface UpsertOptions {
  /** A timestamp column set to now() when a row changes. */
  touch?: string;
  /** Leave existing rows as they are (insert only what is missing). */
  keepExisting?: boolean;
}

/**
 * PostgreSQL accepts at most 65,535 parameters per statement. PARAMS_PER_INSERT stays well under it whatever the
 * table's width (1,300 establishments or 5,000 enrolments per INSERT), so a whole file is a handful of round trips.
 */
const PARAMS_PER_INSERT = 20_000;

/**
 * Multi-row INSERT … ON CONFLICT DO UPDATE in batches. A conflicting row is rewritten only when a value differs,
 * so re-importing the same file reports rows as unchanged rather than updated. `(xmax = 0)` tells a fresh
 * insert from an update of an existing row.
 */
export async function upsertRows(
  exec: Exec,
  table: string,
  columns: readonly string[],
  key: readonly string[],
  rows: unknown[][],
  options: UpsertOptions = {},
): Promise<UpsertCounts> {
  const counts = { inserted: 0, updated: 0, unchanged: 0 };
  const values = columns.filter((c) => !key.includes(c));
  const set = values.map((c) => `${c} = EXCLUDED.${c}`);
  if (options.touch) set.push(`${options.touch} = now()`);
  const conflict =
    values.length === 0 || options.keepExisting
      ? 'DO NOTHING'
      : `DO UPDATE SET ${set.join(', ')} WHERE (${values.map((c) => `${table}.${c}`).join(', ')}) IS DISTINCT FROM (${values.map((c) => `EXCLUDED.${c}`).join(', ')})`;
  const unique = lastPerKey(columns, key, rows);
  const perInsert = Math.floor(PARAMS_PER_INSERT / columns.length);
  for (let start = 0; start < unique.length; start += perInsert) {
    const batch = unique.slice(start, start + perInsert);
    const params: unknown[] = [];
    const tuples = batch.map((row) => `(${row.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`);
    const returned = await exec<{ inserted: boolean }>(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (${key.join(', ')}) ${conflict} RETURNING (xmax = 0) AS inserted`,
      params,
    );
    const inserted = returned.filter((r) => r.inserted).length;
    counts.inserted += inserted;
    counts.updated += returned.length - inserted;
    counts.unchanged += batch.length - returned.length;
  }
  return counts;
}

/** One INSERT … ON CONFLICT cannot touch a row twice, so a key repeated in the input keeps its last row. */
function lastPerKey(columns: readonly string[], key: readonly string[], rows: unknown[][]): unknown[][] {
  const at = key.map((k) => columns.indexOf(k));
  const byKey = new Map<string, unknown[]>();
  for (const row of rows) byKey.set(JSON.stringify(at.map((i) => row[i])), row);
  return [...byKey.values()];
}
