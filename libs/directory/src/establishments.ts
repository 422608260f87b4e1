import type { Store } from '@ent-observatory/store';
import { foldText } from './csv.js';
import { type ClassSummary, classesOf } from './classes.js';
import { type DirectoryScope, type EstablishmentType, LEVELS, type Level, type Rep, type Sector } from './model.js';
import { containsPattern, scopeSql } from './scope.js';
import type { SectorMethod } from './sector.js';
import { type EstablishmentFacts, FACTS_COLUMNS_SQL, FACTS_FROM_SQL } from './snapshot.js';

export type EstablishmentSummary = EstablishmentFacts;

export interface EstablishmentSearch {
  /** Words of the name, in any order, case and accents ignored. */
  text?: string;
  uai?: string;
  /** Commune code (INSEE) or name (accents ignored). */
  commune?: string;
  type?: EstablishmentType;
  sector?: Sector;
  rep?: Rep;
  academie?: string;
  departement?: string;
  /** At most 500 (default 50). */
  limit?: number;
  offset?: number;
}

const MAX_LIMIT = 500;

/** foldText() in SQL for the letters of French place names (no unaccent extension in PGlite by default). */
const FOLD_SQL = (column: string) =>
  `translate(lower(${column}), 'àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæ', 'aaaaaaceeeeiiiinooooouuuuyyoa')`;

export async function searchEstablishments(
  store: Store,
  search: EstablishmentSearch,
  scope?: DirectoryScope,
): Promise<{ total: number; items: EstablishmentSummary[] }> {
  const words = searchWords(search.text ?? '');
  const exact = await searchPage(store, search, scope, words, 'every-word');
  // Nothing has every word: a typo ("chateaubriant") or a missing accent-free spelling; the closest names instead.
  if (exact.total > 0 || words.length === 0) return exact;
  return searchPage(store, search, scope, words, 'similar');
}

/** Search words are bounded so that one request stays one cheap query (the API refuses more at its edge). */
export const SEARCH_MAX_WORDS = 8;
export const SEARCH_MAX_LENGTH = 100;

/** The distinct words of a search, folded like `search_name` (lower case, no accents); RangeError beyond bounds. */
export function searchWords(text: string): string[] {
  if (text.length > SEARCH_MAX_LENGTH) throw new RangeError(`search text over ${SEARCH_MAX_LENGTH} characters`);
  const words = [
    ...new Set(
      foldText(text)
        .split(/[^a-z0-9]+/)
        .filter(Boolean),
    ),
  ];
  if (words.length > SEARCH_MAX_WORDS) throw new RangeError(`search text of more than ${SEARCH_MAX_WORDS} words`);
  return words;
}

/**
 * One page of establishments, ranked by how well the name matches the words (pg_trgm's word similarity, served by
 * the trigram index of migration 040), then by name. `every-word` keeps names containing every word; `similar`
 * names whose words are close to the search's (word_similarity ≥ 0.6, pg_trgm's default threshold).
 */
async function searchPage(
  store: Store,
  search: EstablishmentSearch,
  scope: DirectoryScope | undefined,
  words: string[],
  match: 'every-word' | 'similar',
): Promise<{ total: number; items: EstablishmentSummary[] }> {
  const params: unknown[] = [];
  const where = [scopeSql(scope, params)];
  const phrase = words.join(' ');
  if (match === 'similar') where.push(`$${params.push(phrase)}::text <% e.search_name`);
  else for (const word of words) where.push(`e.search_name LIKE $${params.push(containsPattern(word))}`);
  if (search.uai) where.push(`e.uai = $${params.push(search.uai.toUpperCase())}`);
  if (search.commune) {
    const code = params.push(search.commune);
    const name = params.push(foldText(search.commune));
    where.push(`(e.commune_code = $${code} OR ${FOLD_SQL('e.commune_name')} = $${name})`);
  }
  const equal: [keyof EstablishmentSearch, string][] = [
    ['type', 'type'],
    ['sector', 'sector'],
    ['rep', 'rep'],
    ['academie', 'academie_code'],
    ['departement', 'departement_code'],
  ];
  for (const [field, column] of equal)
    if (search[field] !== undefined) where.push(`e.${column} = $${params.push(search[field])}`);
  const condition = where.join(' AND ');
  const [count] = await store.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM establishments e WHERE ${condition}`,
    params,
  );
  const limit = wholeNumber(search.limit, 50, MAX_LIMIT);
  const offset = wholeNumber(search.offset, 0, Number.MAX_SAFE_INTEGER);
  // The page is chosen first, then only its rows look up their latest enrolment total (an index probe each).
  const pageParams = [...params, limit, offset];
  const rank = phrase ? `word_similarity($${pageParams.push(phrase)}::text, e.search_name)` : '0';
  const items = await store.query<EstablishmentSummary>(
    `WITH page AS (
       SELECT e.uai, ${rank} AS rank FROM establishments e WHERE ${condition}
       ORDER BY rank DESC, e.name, e.uai LIMIT $${params.length + 1} OFFSET $${params.length + 2})
     SELECT ${FACTS_COLUMNS_SQL}
     FROM page JOIN establishments e ON e.uai = page.uai
     LEFT JOIN LATERAL (SELECT pupils, school_year FROM establishment_enrolments n
                        WHERE n.uai = e.uai AND n.level = 'TOTAL' ORDER BY n.school_year DESC LIMIT 1) t ON TRUE
     LEFT JOIN establishment_platforms p ON p.uai = e.uai
     ORDER BY page.rank DESC, e.name, e.uai`,
    pageParams,
  );
  return { total: count?.total ?? 0, items };
}

function wholeNumber(value: number | undefined, fallback: number, max: number): number {
  return value === undefined || !Number.isFinite(value) ? fallback : Math.min(Math.max(Math.trunc(value), 0), max);
}

export interface LinkedEstablishment {
  uai: string;
  name: string;
  type: EstablishmentType | null;
  method: SectorMethod;
}

export interface EstablishmentDetail extends EstablishmentSummary {
  address: string;
  postalCode: string;
  rawType: string;
  natureLabel: string;
  circonscription: string;
  bassin: string;
  departementName: string;
  academieName: string;
  regionName: string;
  enrolments: { schoolYear: string; level: Level; pupils: number }[];
  /** For a primary school: its sector collège(s). */
  sectorColleges: LinkedEstablishment[];
  /** For a collège: the primary schools of its sector. */
  feederSchools: LinkedEstablishment[];
  platform: string;
  platformName: string | null;
  platformHomepage: string | null;
  classes: ClassSummary[];
}

/** One establishment with everything a detail page shows; undefined when unknown or outside the scope. */
export async function establishment(
  store: Store,
  uai: string,
  scope?: DirectoryScope,
): Promise<EstablishmentDetail | undefined> {
  const params: unknown[] = [uai.toUpperCase()];
  const [row] = await store.query<
    Omit<EstablishmentDetail, 'enrolments' | 'sectorColleges' | 'feederSchools' | 'classes'>
  >(
    `SELECT f.*, e.address, e.postal_code AS "postalCode", e.raw_type AS "rawType", e.nature_label AS "natureLabel",
            e.circonscription, e.bassin_name AS bassin, COALESCE(d.name, '') AS "departementName",
            COALESCE(a.name, '') AS "academieName", COALESCE(r.name, '') AS "regionName",
            pl.name AS "platformName", pl.homepage AS "platformHomepage"
     FROM (${FACTS_FROM_SQL}) f
     JOIN establishments e ON e.uai = f.uai
     LEFT JOIN departements d ON d.code = e.departement_code
     LEFT JOIN academies a ON a.code = e.academie_code
     LEFT JOIN regions r ON r.code = e.region_code
     LEFT JOIN ent_platforms pl ON pl.id = f.platform
     WHERE e.uai = $1 AND ${scopeSql(scope, params)}`,
    params,
  );
  if (!row) return undefined;
  const [enrolments, sectorColleges, feederSchools, classes] = await Promise.all([
    store.query<EstablishmentDetail['enrolments'][number]>(
      `SELECT school_year AS "schoolYear", level, pupils FROM establishment_enrolments WHERE uai = $1
       ORDER BY school_year DESC, array_position($2::text[], level)`,
      [row.uai, LEVELS],
    ),
    linked(store, 'school_uai', 'college_uai', row.uai),
    linked(store, 'college_uai', 'school_uai', row.uai),
    classesOf(store, row.uai),
  ]);
  return { ...row, enrolments, sectorColleges, feederSchools, classes };
}

/** Sector links of `uai` seen from `from`'s side, with the other side's name and type when it is in the directory. */
function linked(store: Store, from: string, to: string, uai: string): Promise<LinkedEstablishment[]> {
  return store.query<LinkedEstablishment>(
    `SELECT s.${to} AS uai, COALESCE(e.name, s.${to}) AS name, e.type, s.method
     FROM sector_colleges s LEFT JOIN establishments e ON e.uai = s.${to}
     WHERE s.${from} = $1 ORDER BY name, uai`,
    [uai],
  );
}
