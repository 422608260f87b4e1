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

export interface SampleOptions {
  /** Share of collège sectors (a collège and its feeder schools) and of other establishments kept, 0–1. */
  share: number;
  /** Establishments always kept, with their sector (their collège and its feeder schools). */
  include?: readonly string[];
  seed: number;
}

/**
 * A measured perimeter, as the DNMA has one: a deterministic sample of the world. Collèges are drawn with their
 * feeder schools, so the CM2 → 6e transition stays inside the sample; schools without a sector collège in the
 * directory and lycées are drawn on their own. Used when a small volume must still give each measured school
 * realistic figures (the demo): sampling people evenly would leave every school under the k-anonymity threshold.
 */
export function sampleWorld(world: World, options: SampleOptions): World {
  if (!(options.share >= 0 && options.share <= 1))
    throw new RangeError(`sample must be between 0 and 1, got ${options.share}`);
  const drawn = (uai: string) => unitHash(`${options.seed}:${uai}`) < options.share;
  const include = new Set((options.include ?? []).map((u) => u.trim().toUpperCase()));
  const feeders = new Map<string, string[]>();
  for (const [school, colleges] of Object.entries(world.sectorColleges)) {
    for (const c of colleges) feeders.set(c, [...(feeders.get(c) ?? []), school]);
  }
  const keptColleges = new Set<string>();
  for (const e of world.establishments) {
    if (e.type === 'college' && (drawn(e.uai) || include.has(e.uai))) keptColleges.add(e.uai);
  }
  for (const uai of include) for (const c of world.sectorColleges[uai] ?? []) keptColleges.add(c);
  const kept = new Set(keptColleges);
  for (const c of keptColleges) for (const school of feeders.get(c) ?? []) kept.add(school);
  for (const e of world.establishments) {
    const inASector = (world.sectorColleges[e.uai] ?? []).length > 0;
    if (include.has(e.uai) || (e.type !== 'college' && !inASector && drawn(e.uai))) kept.add(e.uai);
  }
  const establishments = world.establishments.filter((e) => kept.has(e.uai));
  const sectorColleges = Object.fromEntries(
    Object.entries(world.sectorColleges)
      .filter(([school]) => kept.has(school))
      .map(([school, colleges]) => [school, colleges.filter((c) => kept.has(c))] as const)
      .filter(([, colleges]) => colleges.length > 0),
  );
  return { ...world, establishments, sectorColleges };
}

/** FNV-1a of a string, as a number in [0, 1): the same draw for the same seed and UAI on every machine. */
function unitHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 2 ** 32;
}
