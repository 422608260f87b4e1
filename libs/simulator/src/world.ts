import type { Store } from '@ent-observatory/store';

/**
 * What the simulator needs from the directory, as plain data: the generator takes this (not a store), so tests
 * build a small world by hand and the CLI reads the real one with readWorld().
 */
export interface WorldEstablishment {
  uai: string;
  type: string;
  sector: string;
  rep: string;
  academie: string;
  departement: string;
  communeCode: string;
  /** ENT platform id ('' = none known: the simulator gives it a fallback platform). */
  platform: string;
  /** Total pupils (annuaire or latest enrolment); null when unknown (estimated from the type). */
  pupils: number | null;
  /** Pupils per level of the latest school year with a per-level split (empty when unknown). */
  levels: Record<string, number>;
}

export interface WorldPlatform {
  id: string;
  homepage: string;
}

export interface World {
  establishments: WorldEstablishment[];
  /** Primary school UAI → its sector collège(s) (directory sector_colleges, derived from the school map). */
  sectorColleges: Record<string, string[]>;
  platforms: WorldPlatform[];
}

const STUDENT_TYPES = ['ecole_maternelle', 'ecole_elementaire', 'ecole_primaire', 'college', 'lycee', 'lp', 'erea'];

/** Reads the imported directory (open establishments that teach pupils) from the relational store. */
export async function readWorld(store: Store): Promise<World> {
  const establishments = await store.query<Omit<WorldEstablishment, 'levels'>>(
    `SELECT e.uai, e.type, e.sector, e.rep, e.academie_code AS academie, e.departement_code AS departement,
            e.commune_code AS "communeCode", COALESCE(p.platform_id, '') AS platform, e.pupils
       FROM establishments e
       LEFT JOIN establishment_platforms p ON p.uai = e.uai
      WHERE e.status <> 'closed' AND e.type = ANY($1)
      ORDER BY e.uai`,
    [STUDENT_TYPES],
  );
  // The latest school year that splits pupils per level, per establishment.
  const levelRows = await store.query<{ uai: string; level: string; pupils: number }>(
    `SELECT en.uai, en.level, en.pupils
       FROM establishment_enrolments en
       JOIN (SELECT uai, max(school_year) AS school_year FROM establishment_enrolments
              WHERE level <> 'TOTAL' GROUP BY uai) latest
         ON latest.uai = en.uai AND latest.school_year = en.school_year
      WHERE en.level <> 'TOTAL'
      ORDER BY en.uai, en.level`,
  );
  const totals = await store.query<{ uai: string; pupils: number }>(
    `SELECT DISTINCT ON (uai) uai, pupils FROM establishment_enrolments WHERE level = 'TOTAL'
      ORDER BY uai, school_year DESC`,
  );
  const levels = new Map<string, Record<string, number>>();
  for (const r of levelRows) {
    const rec = levels.get(r.uai) ?? {};
    rec[r.level] = Number(r.pupils);
    levels.set(r.uai, rec);
  }
  const total = new Map(totals.map((t) => [t.uai, Number(t.pupils)]));
  const sectors = await store.query<{ school_uai: string; college_uai: string }>(
    'SELECT school_uai, college_uai FROM sector_colleges ORDER BY school_uai, college_uai',
  );
  const sectorColleges: Record<string, string[]> = {};
  for (const s of sectors) (sectorColleges[s.school_uai] ??= []).push(s.college_uai);
  const platforms = await store.query<WorldPlatform>('SELECT id, homepage FROM ent_platforms ORDER BY id');
  return {
    establishments: establishments.map((e) => ({
      ...e,
      pupils: e.pupils ?? total.get(e.uai) ?? null,
      levels: levels.get(e.uai) ?? {},
    })),
    sectorColleges,
    platforms,
  };
}
