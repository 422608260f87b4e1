import type { Store } from '@ent-observatory/store';
import { type Warehouse, queryRows } from '@ent-observatory/warehouse';
import { readEstablishmentFacts } from './snapshot.js';

/** ClickHouse tables of the directory (libs/warehouse/migrations/002_directory.sql). */
export const DIRECTORY_TABLES = { establishments: 'directory_establishments' } as const;

/** Rows per insert: the whole directory of a few thousand establishments is one or two inserts. */
const MIRROR_CHUNK = 10_000;

/**
 * Copies the directory into ClickHouse so analytics join on UAI there. Every row is inserted again with a newer
 * loaded_at (ReplacingMergeTree keeps the newest per UAI; read with FINAL), so readers never see an empty table.
 * Returns the number of establishments in the mirror.
 */
export async function mirrorDirectory(store: Store, warehouse: Warehouse): Promise<number> {
  const facts = await readEstablishmentFacts(store);
  const loadedAt = new Date().toISOString().replace('T', ' ').replace('Z', '');
  const rows = facts.map((f) => ({
    uai: f.uai,
    name: f.name,
    type: f.type,
    sector: f.sector,
    rep: f.rep,
    status: f.status,
    commune_code: f.communeCode,
    commune: f.commune,
    departement: f.departement,
    academie: f.academie,
    region: f.region,
    latitude: f.latitude,
    longitude: f.longitude,
    pupils: f.pupils === null ? null : Number(f.pupils),
    platform: f.platform,
    loaded_at: loadedAt,
  }));
  for (let i = 0; i < rows.length; i += MIRROR_CHUNK) {
    await warehouse.client.insert({
      table: DIRECTORY_TABLES.establishments,
      values: rows.slice(i, i + MIRROR_CHUNK),
      format: 'JSONEachRow',
    });
  }
  const [row] = await queryRows<{ n: string | number }>(
    warehouse.client,
    `SELECT count() AS n FROM ${DIRECTORY_TABLES.establishments} FINAL`,
  );
  return Number(row?.n ?? 0);
}
