import type { Store } from '@ent-observatory/store';
import { LATEST_TOTAL_SQL, PUPILS_SQL } from './scope.js';
import type { EstablishmentStatus, EstablishmentType, Rep, Sector } from './model.js';

/** What enrichment at ingest needs about an establishment, by UAI. */
export interface EstablishmentFacts {
  uai: string;
  name: string;
  type: EstablishmentType;
  sector: Sector;
  rep: Rep;
  status: EstablishmentStatus;
  communeCode: string;
  commune: string;
  departement: string;
  academie: string;
  region: string;
  latitude: number | null;
  longitude: number | null;
  /** The latest TOTAL enrolment, else Nombre_d_eleves of the annuaire; null when neither is known. */
  pupils: number | null;
  /** The school year of `pupils` ('2022-2023'), null when it is the annuaire's undated count. */
  pupilsYear: string | null;
  /** ENT platform id serving the establishment, '' when none is known. */
  platform: string;
}

/** The columns of EstablishmentFacts, over `establishments e`, the latest total `t` and the platform `p`. */
export const FACTS_COLUMNS_SQL = `e.uai, e.name, e.type, e.sector, e.rep, e.status, e.commune_code AS "communeCode",
       e.commune_name AS commune, e.departement_code AS departement, e.academie_code AS academie,
       e.region_code AS region, e.latitude, e.longitude, ${PUPILS_SQL} AS pupils,
       t.school_year AS "pupilsYear",
       COALESCE(p.platform_id, '') AS platform`;

/** Select list and joins giving EstablishmentFacts columns for establishments aliased `e`. */
export const FACTS_FROM_SQL = `SELECT ${FACTS_COLUMNS_SQL}
  FROM establishments e
  LEFT JOIN (${LATEST_TOTAL_SQL}) t ON t.uai = e.uai
  LEFT JOIN establishment_platforms p ON p.uai = e.uai`;

/** The whole directory as rows: what the in-memory snapshot and the ClickHouse mirror are built from. */
export async function readEstablishmentFacts(store: Store): Promise<EstablishmentFacts[]> {
  return store.query<EstablishmentFacts>(`${FACTS_FROM_SQL} ORDER BY e.uai`);
}

/** uai → facts, loaded once and kept in memory by the ingest pipeline (a few thousand entries). */
export async function loadDirectorySnapshot(store: Store): Promise<Map<string, EstablishmentFacts>> {
  return new Map((await readEstablishmentFacts(store)).map((f) => [f.uai, f]));
}
