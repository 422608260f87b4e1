import type { Store } from '@ent-observatory/store';
import { foldText } from './csv.js';
import { inTransaction, upsertRows } from './sql.js';

export type SectorMethod = 'commune' | 'street' | 'commune-majority';

interface MapRow {
  commune_code: string;
  street: string;
  number_from: number;
  number_to: number;
  parity: string;
  college_uai: string;
  single_sector: boolean;
}

interface School {
  uai: string;
  commune_code: string;
  address: string;
}

/**
 * Links each public école élémentaire or primaire to its sector collège(s), from the public collèges' school map:
 * 1. its commune has a single sector ("Secteur_unique" = O) → that commune's collège(s) (several when the
 *    sector is shared), method `commune`;
 * 2. the commune is mapped street by street → the collège(s) whose street range contains the school's address
 *    (same street name, ignoring case, accents and punctuation; number within the range; even/odd side per
 *    `Parite`), method `street`;
 * 3. no street range matches the address → the collège serving the most street ranges of the commune,
 *    method `commune-majority` (an approximation, said so by the method).
 * Maternelles are not linked (their pupils go to an élémentaire first), nor private schools (the school map
 * binds public schools only). Recomputed entirely after each import: a few thousand rows.
 */
export async function linkSectorColleges(store: Store): Promise<number> {
  const map = await store.query<MapRow>(
    'SELECT commune_code, street, number_from, number_to, parity, college_uai, single_sector FROM school_map',
  );
  const byCommune = new Map<string, MapRow[]>();
  for (const row of map) byCommune.set(row.commune_code, [...(byCommune.get(row.commune_code) ?? []), row]);
  const schools = await store.query<School>(
    `SELECT uai, commune_code, address FROM establishments
     WHERE type IN ('ecole_elementaire', 'ecole_primaire') AND sector = 'public'`,
  );
  const links: [string, string, SectorMethod][] = [];
  for (const school of schools) {
    const rows = byCommune.get(school.commune_code);
    if (!rows) continue;
    const { colleges, method } = sectorOf(school, rows);
    for (const college of colleges) links.push([school.uai, college, method]);
  }
  await inTransaction(store, async (exec) => {
    await exec('DELETE FROM sector_colleges');
    await upsertRows(
      exec,
      'sector_colleges',
      ['school_uai', 'college_uai', 'method'],
      ['school_uai', 'college_uai'],
      links,
    );
  });
  return links.length;
}

function sectorOf(school: School, rows: MapRow[]): { colleges: string[]; method: SectorMethod } {
  const single = rows.filter((r) => r.single_sector);
  if (single.length > 0) return { colleges: distinct(single), method: 'commune' };
  const address = parseAddress(school.address);
  if (address) {
    const matching = rows.filter(
      (r) =>
        normalizeStreet(r.street) === address.street &&
        address.number >= r.number_from &&
        address.number <= (r.number_to || Number.MAX_SAFE_INTEGER) &&
        (r.parity !== 'P' || address.number % 2 === 0) &&
        (r.parity !== 'I' || address.number % 2 === 1),
    );
    if (matching.length > 0) return { colleges: distinct(matching), method: 'street' };
  }
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.college_uai, (counts.get(r.college_uai) ?? 0) + 1);
  const [top] = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { colleges: top ? [top[0]] : [], method: 'commune-majority' };
}

function distinct(rows: MapRow[]): string[] {
  return [...new Set(rows.map((r) => r.college_uai))].sort();
}

/** '48 bis rue Ginguené' → { number: 48, street: 'RUE GINGUENE' }; undefined without a leading number. */
export function parseAddress(address: string): { number: number; street: string } | undefined {
  const m = /^\s*(\d+)\s*(?:(?:bis|ter|quater|[a-d])\b)?[\s,]*(.+)$/i.exec(address);
  if (!m?.[1] || !m[2]) return undefined;
  return { number: Number(m[1]), street: normalizeStreet(m[2]) };
}

/** Street names compared in upper case without accents or punctuation: "Rue d'Erlangen" = "RUE D ERLANGEN". */
export function normalizeStreet(street: string): string {
  return foldText(street)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .toUpperCase();
}
