// The benchmarks' embedded stores, apart from support.mjs so that benchmarks that only time JavaScript or HTTP do not
// load chdb and PGlite.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { importDirectory } from '@ent-observatory/directory';
import { readWorld } from '@ent-observatory/simulator';
import { migrateStore, openStore } from '@ent-observatory/store';
import { createWarehouse, migrate } from '@ent-observatory/warehouse';

/**
 * Fresh embedded stores in `dataDir` with the bundled directory (data/directory) imported, and the simulator's
 * world read from it. Both stores are left open: the caller closes them.
 */
export async function benchStores(dataDir) {
  const warehouse = createWarehouse({ dataDir });
  await migrate(warehouse);
  const store = await openStore({ dataDir });
  await migrateStore(store);
  const files = readdirSync('data/directory')
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => join('data/directory', f));
  await importDirectory(store, warehouse, files);
  return { warehouse, store, world: await readWorld(store) };
}
