import { TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import { type IndicatorFilter, type SqlPart, whereOf } from './filter.js';
import { isRateSuppressed } from './k-anonymity.js';
import { periodStart } from './figures.js';

/**
 * Continuity: does the ENT follow pupils across the CM2 → 6e transition and across platforms?
 * - cm2To6e: of the pupils active as CM2 pupils during the previous school year (in the filter's territory), the
 *   share active as 6e pupils during the filter's period (anywhere). Read a low rate as a break at the entry to
 *   collège (another platform, accounts not carried over). Per collège: pupils are grouped by the sector collège
 *   of their CM2 school (directory sector links), so a collège sees whether its feeder schools' pupils arrive.
 * - twoPlatforms: of the pupils active in the period, those active on two ENT platforms or more (a pupil who
 *   moved, or a school and a collège on different ENTs); it needs the cross-platform person id.
 * Pupils are the same person across years and platforms through their pseudonym (xapi person extension).
 * The share of pupils' activity outside class time is in time.ts (slots other than SCHOOL_HOURS).
 * Rates are suppressed when the base, the part or the rest is a group of fewer than k pupils.
 */
export interface ContinuityInput {
  filter: IndicatorFilter;
  k: number;
  /** Sector collège of each primary school: parallel arrays (directory sector_colleges). */
  sectorColleges: { schools: string[]; colleges: string[] };
}

export interface Rate {
  base: number | null;
  count: number | null;
  rate: number | null;
  suppressed: boolean;
}

export interface ContinuityOutput {
  schoolYear: string;
  previousSchoolYear: string;
  cm2To6e: Rate;
  byCollege: { uai: string; continuity: Rate }[];
  twoPlatforms: Rate;
}

/**
 * Per département of the CM2 school and sector collège ('' = none known): CM2 pupils of the previous school year,
 * and those active in 6e now. Grouped by département because suppression is decided per département (see
 * collegeRates), so that a collège's row reads the same from every territory that holds it.
 */
export function cm2To6eSql(cm2Where: string): string {
  // Pupils as 64-bit hashes of their pseudonym: cheaper to group and to look up than 32-character strings.
  return `SELECT dep AS departement, college, count() AS base, countIf(person IN (
    SELECT cityHash64(actor_pseudonym) FROM ${TABLES.pupilWeekly}
    WHERE week BETWEEN toMonday({from:Date}) AND {to:Date} AND school_level = '6e')) AS count
FROM (
  SELECT cityHash64(actor_pseudonym) AS person, any(toString(departement)) AS dep,
    any(transform(toString(uai), {schools:Array(String)}, {colleges:Array(String)}, '')) AS college
  FROM ${TABLES.pupilWeekly}
  WHERE ${cm2Where} AND week BETWEEN toMonday({prev_from:Date}) AND {prev_to:Date} AND school_level = 'CM2'
  GROUP BY person
)
GROUP BY dep, college
ORDER BY dep, college`;
}

/**
 * Where the CM2 pupils of a filter are read. A collège's pupils came from its feeder schools, which are other
 * establishments of its département: for a collège, read its whole département (its head of school sees only its
 * aggregate row, never the schools'), then keep its row.
 */
export function cm2WhereOf(filter: IndicatorFilter, college: string | undefined): SqlPart {
  if (college === undefined) return whereOf(filter, { territoryOnly: true });
  const { uai: _u, scope: _scope, region: _r, academie: _a, departement: _d, ...rest } = filter;
  const own = whereOf(rest, { territoryOnly: true });
  return {
    sql: `departement = (SELECT any(departement) FROM ${TABLES.directoryEstablishments} FINAL
      WHERE uai = {college_uai:String}) AND ${own.sql}`,
    params: { ...own.params, college_uai: college },
  };
}

/**
 * Pupils of the period, and those seen on two platforms or more: a pupil's smallest and largest known platform
 * differ exactly when they have two (a min and a max per pupil instead of a set of platforms per pupil: 32 → 24 ms
 * run alone at 10M statements).
 */
export function twoPlatformsSql(where: string): string {
  return `SELECT count() AS base, countIf(lowest != highest) AS count
FROM (
  SELECT cityHash64(actor_pseudonym) AS person, minIf(platform, platform != '') AS lowest,
    maxIf(platform, platform != '') AS highest
  FROM ${TABLES.pupilWeekly}
  WHERE ${where}
  GROUP BY person
)`;
}

export async function continuity(w: Warehouse, input: ContinuityInput): Promise<ContinuityOutput> {
  const { filter, k } = input;
  const yearStart = periodStart(filter.to, 'school_year');
  const year = Number(yearStart.slice(0, 4));
  // The one establishment the filter (or the caller's scope) is, when it is a sector collège.
  const sole = filter.uai ?? (filter.scope?.academies.length === 0 ? filter.scope.uais[0] : undefined);
  const college = sole?.toUpperCase();
  const isCollege = college !== undefined && input.sectorColleges.colleges.includes(college);
  const cm2Where = cm2WhereOf(filter, isCollege ? college : undefined);
  const where = whereOf(filter, { territoryOnly: true, dateColumn: 'week' });
  const twoPlatforms = queryRows<{ base: string; count: string }>(w.client, twoPlatformsSql(where.sql), where.params);
  const cm2 = await queryRows<{ departement: string; college: string; base: string; count: string }>(
    w.client,
    cm2To6eSql(cm2Where.sql),
    {
      ...cm2Where.params,
      from: filter.from,
      to: filter.to,
      prev_from: `${year - 1}-08-01`,
      prev_to: `${year}-07-31`,
      schools: input.sectorColleges.schools,
      colleges: input.sectorColleges.colleges,
    },
  );
  const [two] = await twoPlatforms;
  const rows = cm2.map((r) => ({
    departement: r.departement,
    college: r.college,
    base: Number(r.base),
    count: Number(r.count),
  }));
  const byCollege = collegeRates(rows, k).filter((r) => !isCollege || r.uai === college);
  const own = rows.filter((r) => !isCollege || r.college === college);
  const total = own.reduce((s, r) => ({ base: s.base + r.base, count: s.count + r.count }), { base: 0, count: 0 });
  return {
    schoolYear: `${year}-${year + 1}`,
    previousSchoolYear: `${year - 1}-${year}`,
    // A collège's total is its row: shown exactly when the row is (it is the row, read from elsewhere).
    cm2To6e: isCollege ? (byCollege[0]?.continuity ?? rateOf(0, 0, k)) : rateOf(total.base, total.count, k),
    byCollege,
    twoPlatforms: rateOf(Number(two?.base ?? 0), Number(two?.count ?? 0), k),
  };
}

/**
 * Rates per sector collège, with complementary suppression: the collèges split their département's base and count,
 * which are shown (as the total of a département, or of an académie that holds whole départements), so within each
 * département the hidden rows and the pupils with no known collège (never shown) must hold together, in base, in
 * pupils who went on and in pupils who did not, either nobody or at least k pupils. Rows partition people, so the
 * hidden groups of several départements add up to a group that is safe too: the national, académie and département
 * views hide the same rows.
 */
export function collegeRates(
  rows: { departement?: string; college: string; base: number; count: number }[],
  k: number,
): { uai: string; continuity: Rate }[] {
  const hidden = new Set(rows.filter((r) => r.college === '' || isRateSuppressed(r.base, r.count, k)));
  const parts = [(r: Row) => r.base, (r: Row) => r.count, (r: Row) => r.base - r.count];
  const departements = new Set(rows.map((r) => r.departement ?? ''));
  for (const departement of departements) {
    const own = rows.filter((r) => (r.departement ?? '') === departement);
    for (;;) {
      // The first part whose hidden pupils are between 1 and k − 1; hide the smallest row that adds to it.
      const unsafe = parts.find((part) => {
        const sum = own.filter((r) => hidden.has(r)).reduce((s, r) => s + part(r), 0);
        return sum > 0 && sum < k;
      });
      if (!unsafe) break;
      const next = own.filter((r) => !hidden.has(r) && unsafe(r) > 0).sort((a, b) => a.base - b.base)[0];
      if (!next) break;
      hidden.add(next);
    }
  }
  return rows
    .filter((r) => r.college !== '')
    .map((r) => ({
      uai: r.college,
      continuity: hidden.has(r)
        ? { base: null, count: null, rate: null, suppressed: true }
        : rateOf(r.base, r.count, k),
    }));
}

type Row = { base: number; count: number };

export function rateOf(base: number, count: number, k: number): Rate {
  const suppressed = isRateSuppressed(base, count, k);
  return suppressed
    ? { base: null, count: null, rate: null, suppressed }
    : { base, count, rate: base ? count / base : null, suppressed };
}
