import { type Warehouse, TABLES, command, createWarehouse, migrate } from '@ent-observatory/warehouse';
import { workerDataDir } from './paths.js';

/** The embedded warehouse of this jest worker, migrated, with its statement tables emptied. */
export async function freshWarehouse(): Promise<Warehouse> {
  const w = createWarehouse({ dataDir: workerDataDir() });
  await migrate(w);
  await resetWarehouse(w);
  return w;
}

export async function resetWarehouse(w: Warehouse): Promise<void> {
  for (const table of [TABLES.statements, TABLES.statementKeys, TABLES.statementsById, TABLES.statementRefs]) {
    await command(w.client, `TRUNCATE TABLE ${table}`);
  }
}
