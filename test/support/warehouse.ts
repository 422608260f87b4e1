import { type Warehouse, TABLES, command, createWarehouse, migrate, storedTable } from '@ent-observatory/warehouse';
import { workerDataDir } from './paths.js';

/** The embedded warehouse of this jest worker, migrated, with its statement tables emptied. */
export async function freshWarehouse(): Promise<Warehouse> {
  const w = createWarehouse({ dataDir: workerDataDir() });
  await migrate(w);
  await resetWarehouse(w);
  return w;
}

export async function resetWarehouse(w: Warehouse): Promise<void> {
  const tables: string[] = [TABLES.statements, TABLES.statementKeys, TABLES.statementsById, TABLES.statementRefs];
  // Rollups of the observatory (migration 020), fed from statements.
  tables.push(TABLES.activityActorDaily, TABLES.pupilWeekly, TABLES.spaceDaily);
  // Visit rollups (migrations 040, 058), counted from activity_actor_daily, and their bookkeeping.
  tables.push(TABLES.visitDirtyDay, TABLES.visitStageReady, TABLES.visitComplete);
  tables.push(TABLES.visitPerson, TABLES.visitCube, TABLES.visitStarts, TABLES.visitEstablishmentDays);
  tables.push(TABLES.leases);
  // The follow-up's tables (migration 050), fed from statements.
  tables.push(TABLES.followUpPupilEvents, TABLES.followUpHomework);
  // On a cluster, the local tables (the rows are there; a Distributed table holds none).
  for (const table of tables) {
    await command(w.client, `TRUNCATE TABLE ${storedTable(w, table)}`);
  }
}
