import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DIRECTORY_TABLES } from '@ent-observatory/directory';
import type { Store } from '@ent-observatory/store';
import { type Warehouse, command } from '@ent-observatory/warehouse';

export const BUNDLED_DIR = fileURLToPath(new URL('../../data/directory/', import.meta.url));

/** The bundled directory files (data/directory/*.csv), in name order. */
export function bundledFiles(): string[] {
  return readdirSync(BUNDLED_DIR)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => `${BUNDLED_DIR}${f}`);
}

/** Empties every directory table of both stores (a shared PostgreSQL database and the worker's chdb). */
export async function resetDirectory(store: Store, warehouse: Warehouse): Promise<void> {
  await store.execScript(
    `TRUNCATE regions, academies, departements, communes, establishments, establishment_enrolments, school_map,
       sector_colleges, ent_platforms, ent_platform_assignments, school_classes, class_members`,
  );
  await command(warehouse.client, `TRUNCATE TABLE ${DIRECTORY_TABLES.establishments}`);
}
