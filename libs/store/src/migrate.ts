import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Store } from './database.js';

export const STORE_MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

/** Any fixed number: it names the advisory lock that keeps two starting processes from migrating at once. */
const MIGRATION_LOCK = 7_452_001;

/** Applies numbered `.sql` files not yet recorded in `_migrations`, each in its own transaction. */
export async function migrateStore(store: Store, dir: string = STORE_MIGRATIONS_DIR): Promise<number[]> {
  await store.execScript(
    'CREATE TABLE IF NOT EXISTS _migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  await store.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    const done = new Set(
      (await store.query<{ version: number }>('SELECT version FROM _migrations')).map((r) => r.version),
    );
    const applied: number[] = [];
    for (const file of readdirSync(dir)
      .filter((f) => /^\d+_.+\.sql$/.test(f))
      .sort()) {
      const version = Number(file.split('_')[0]);
      if (done.has(version)) continue;
      const sql = readFileSync(`${dir}/${file}`, 'utf8');
      const name = file.replaceAll("'", '');
      await store.execScript(
        `BEGIN;\n${sql}\nINSERT INTO _migrations (version, name) VALUES (${version}, '${name}');\nCOMMIT;`,
      );
      applied.push(version);
    }
    return applied;
  } finally {
    await store.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
