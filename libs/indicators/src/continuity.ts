import { TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import { type IndicatorFilter, whereOf } from './filter.js';
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

/** Per sector collège ('' = none known): CM2 pupils of the previous school year, and those active in 6e now. */
export function cm2To6eSql(cm2Where: string): string {
  // Pupils as 64-bit hashes of their pseudonym: cheaper to group and to look up than 32-character strings.
  return `SELECT college, count() AS base, countIf(person IN (
    SELECT cityHash64(actor_pseudonym) FROM ${TABLES.pupilWeekly}
    WHERE week BETWEEN toMonday({from:Date}) AND {to:Date} AND school_level = '6e')) AS count
FROM (
  SELECT cityHash64(actor_pseudonym) AS person,
    any(transform(toString(uai), {schools:Array(String)}, {colleges:Array(String)}, '')) AS college
  FROM ${TABLES.pupilWeekly}
  WHERE ${cm2Where} AND week BETWEEN toMonday({prev_from:Date}) AND {prev_to:Date} AND school_level = 'CM2'
  GROUP BY person
)
GROUP BY college
ORDER BY college`;
}

export function twoPlatformsSql(where: string): string {
  return `SELECT count() AS base, countIf(platforms >= 2) AS count
FROM (
  SELECT cityHash64(actor_pseudonym) AS person, uniqExactIf(platform, platform != '') AS platforms
  FROM ${TABLES.pupilWeekly}
  WHERE ${where}
  GROUP BY person
)`;
}

export async function continuity(w: Warehouse, input: ContinuityInput): Promise<ContinuityOutput> {
  const { filter, k } = input;
  const yearStart = periodStart(filter.to, 'school_year');
  const year = Number(yearStart.slice(0, 4));
  const cm2Where = whereOf(filter, { territoryOnly: true });
  const where = whereOf(filter, { territoryOnly: true, dateColumn: 'week' });
  const twoPlatforms = queryRows<{ base: string; count: string }>(w.client, twoPlatformsSql(where.sql), where.params);
  const cm2 = await queryRows<{ college: string; base: string; count: string }>(w.client, cm2To6eSql(cm2Where.sql), {
    ...cm2Where.params,
    from: filter.from,
    to: filter.to,
    prev_from: `${year - 1}-08-01`,
    prev_to: `${year}-07-31`,
    schools: input.sectorColleges.schools,
    colleges: input.sectorColleges.colleges,
  });
  const [two] = await twoPlatforms;
  const total = cm2.reduce((s, r) => ({ base: s.base + Number(r.base), count: s.count + Number(r.count) }), {
    base: 0,
    count: 0,
  });
  return {
    schoolYear: `${year}-${year + 1}`,
    previousSchoolYear: `${year - 1}-${year}`,
    cm2To6e: rateOf(total.base, total.count, k),
    byCollege: collegeRates(
      cm2.map((r) => ({ college: r.college, base: Number(r.base), count: Number(r.count) })),
      k,
    ),
    twoPlatforms: rateOf(Number(two?.base ?? 0), Number(two?.count ?? 0), k),
  };
}

/**
 * Rates per sector collège, with complementary suppression: the colleges split the total's base and count, which
 * are shown, so the hidden rows (and the pupils with no known collège, never shown) together must hold at least k
 * pupils, k who went on and k who did not (or none), each in one row — a row being one group of people.
 */
export function collegeRates(
  rows: { college: string; base: number; count: number }[],
  k: number,
): { uai: string; continuity: Rate }[] {
  const hidden = new Set(rows.filter((r) => r.college === '' || isRateSuppressed(r.base, r.count, k)));
  const safe = (part: (r: { base: number; count: number }) => number) => {
    const parts = [...hidden].map(part);
    return parts.every((p) => p === 0) || Math.max(...parts) >= k;
  };
  const covered = () =>
    hidden.size === 0 || (safe((r) => r.base) && safe((r) => r.count) && safe((r) => r.base - r.count));
  while (!covered()) {
    const next = rows.filter((r) => !hidden.has(r)).sort((a, b) => a.base - b.base)[0];
    if (!next) break;
    hidden.add(next);
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

export function rateOf(base: number, count: number, k: number): Rate {
  const suppressed = isRateSuppressed(base, count, k);
  return suppressed
    ? { base: null, count: null, rate: null, suppressed }
    : { base, count, rate: base ? count / base : null, suppressed };
}
