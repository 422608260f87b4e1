import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Warehouse } from './client.js';
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

/** Applies the migrations not yet recorded in the migrations table, in order; returns the versions applied. */
export async function migrate(w: Warehouse, migrations: Migration[] = loadMigrations()): Promise<number[]> {
  await command(
    w.client,
    render(
      `CREATE TABLE IF NOT EXISTS ${TABLES.migrations} {on_cluster} (version UInt32, name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = MergeTree ORDER BY version`,
      w,
    ),
  );
  const done = new Set(
    (await queryRows<{ version: number }>(w.client, `SELECT version FROM ${TABLES.migrations}`)).map((r) =>
      Number(r.version),
    ),
  );
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    for (const statement of m.statements) await command(w.client, render(statement, w));
    await w.client.insert({
      table: TABLES.migrations,
      values: [{ version: m.version, name: m.name }],
      format: 'JSONEachRow',
    });
    applied.push(m.version);
  }
  return applied;
}
