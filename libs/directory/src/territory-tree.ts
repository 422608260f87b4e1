import type { Store } from '@ent-observatory/store';
import { ESTABLISHMENT_TYPES, type DirectoryScope, type EstablishmentType } from './model.js';
import { LATEST_TOTAL_SQL, PUPILS_SQL, scopeSql } from './scope.js';

export interface TerritoryCounts {
  establishments: number;
  byType: Record<EstablishmentType, number>;
  /** Sum of known pupil numbers (latest total enrolment, else annuaire); establishments without one add 0. */
  pupils: number;
}
export interface DepartementNode extends TerritoryCounts {
  code: string;
  name: string;
}
export interface AcademieNode extends TerritoryCounts {
  code: string;
  name: string;
  departements: DepartementNode[];
}
export interface RegionNode extends TerritoryCounts {
  code: string;
  name: string;
  academies: AcademieNode[];
}

interface CountRow {
  region_code: string;
  region_name: string;
  academie_code: string;
  academie_name: string;
  departement_code: string;
  departement_name: string;
  type: EstablishmentType | null;
  establishments: number;
  pupils: number;
}

/** The collectivités d'outre-mer outside the 18 régions académiques (no région code), listed last. */
export const OUTSIDE_REGIONS = 'Collectivités d’outre-mer hors région académique';

/**
 * Régions académiques → académies → départements with establishment counts by type and pupils, restricted to
 * the scope. Départements of the scope without establishments are listed with zeros, except under a UAI scope
 * (which sees only its establishments' départements).
 */
export async function territoryTree(store: Store, scope?: DirectoryScope): Promise<RegionNode[]> {
  const params: unknown[] = [];
  const establishmentScope = scopeSql(scope, params);
  const territoryScope = [
    scope?.academie !== undefined ? `d.academie_code = $${params.push(scope.academie)}` : 'TRUE',
    scope?.departement !== undefined ? `d.code = $${params.push(scope.departement)}` : 'TRUE',
    scope?.uais !== undefined ? 'c.type IS NOT NULL' : 'TRUE',
  ].join(' AND ');
  const rows = await store.query<CountRow>(
    `WITH c AS (
       SELECT e.departement_code, e.type, count(*)::int AS establishments,
              COALESCE(sum(${PUPILS_SQL}), 0)::int AS pupils
       FROM establishments e LEFT JOIN (${LATEST_TOTAL_SQL}) t ON t.uai = e.uai
       WHERE ${establishmentScope}
       GROUP BY e.departement_code, e.type)
     SELECT COALESCE(r.code, '') AS region_code, COALESCE(r.name, $${params.push(OUTSIDE_REGIONS)}) AS region_name,
            COALESCE(a.code, d.academie_code) AS academie_code, COALESCE(a.name, d.academie_code) AS academie_name,
            d.code AS departement_code, d.name AS departement_name, c.type,
            COALESCE(c.establishments, 0) AS establishments, COALESCE(c.pupils, 0) AS pupils
     FROM departements d
     LEFT JOIN academies a ON a.code = d.academie_code
     LEFT JOIN regions r ON r.code = a.region_code
     LEFT JOIN c ON c.departement_code = d.code
     WHERE ${territoryScope}
     ORDER BY r.code IS NULL, region_name, academie_name, d.code`,
    params,
  );
  return buildTree(rows);
}

function emptyCounts(): TerritoryCounts {
  const byType = Object.fromEntries(ESTABLISHMENT_TYPES.map((t) => [t, 0])) as Record<EstablishmentType, number>;
  return { establishments: 0, byType, pupils: 0 };
}

function add(target: TerritoryCounts, row: CountRow): void {
  if (row.type === null) return;
  target.establishments += row.establishments;
  target.byType[row.type] += row.establishments;
  target.pupils += row.pupils;
}

function buildTree(rows: CountRow[]): RegionNode[] {
  const regions = new Map<string, RegionNode>();
  const academies = new Map<string, AcademieNode>();
  const departements = new Map<string, DepartementNode>();
  for (const row of rows) {
    let region = regions.get(row.region_code);
    if (!region) {
      region = { code: row.region_code, name: row.region_name, academies: [], ...emptyCounts() };
      regions.set(row.region_code, region);
    }
    let academie = academies.get(row.academie_code);
    if (!academie) {
      academie = { code: row.academie_code, name: row.academie_name, departements: [], ...emptyCounts() };
      academies.set(row.academie_code, academie);
      region.academies.push(academie);
    }
    let departement = departements.get(row.departement_code);
    if (!departement) {
      departement = { code: row.departement_code, name: row.departement_name, ...emptyCounts() };
      departements.set(row.departement_code, departement);
      academie.departements.push(departement);
    }
    for (const node of [region, academie, departement]) add(node, row);
  }
  return [...regions.values()];
}
