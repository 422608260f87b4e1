import type { StoreConfig } from '@ent-observatory/store';

/**
 * The relational modes every store test runs in: PGlite always, and the PostgreSQL server when DATABASE_URL is
 * set (CI sets it). Never a mock.
 */
export function storeModes(): [string, StoreConfig][] {
  const modes: [string, StoreConfig][] = [['PGlite', { dataDir: 'memory://' }]];
  const url = process.env.DATABASE_URL;
  if (url) modes.push(['PostgreSQL', { databaseUrl: url, dataDir: 'memory://' }]);
  return modes;
}
