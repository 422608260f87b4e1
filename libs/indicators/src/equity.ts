import type { Warehouse } from '@ent-observatory/warehouse';
import type { IndicatorFilter } from './filter.js';
import { isSuppressed, suppressBreakdown } from './k-anonymity.js';
import { type VisitCell, cellsOf, visitCells } from './visits.js';
import { type PenetrationRow, penetrationByMany } from './penetration.js';

/**
 * Equity: is the ENT used everywhere alike? The pupil penetration (active pupils ÷ enrolled pupils) of each
 * establishment of the scope, summarised as a distribution — quartiles, p10/p90, the inter-decile ratio p90/p10
 * (1 = even; 3 = the top tenth of establishments reach three times as many of their pupils as the bottom tenth)
 * and the Gini coefficient of active pupils against enrolment (0 = every establishment reaches the same share of
 * its pupils, 1 = all active pupils in one establishment) — then by education-priority status (REP+/REP/hors REP),
 * by sector (public/private) and by département, and the 20 establishments with the lowest penetration.
 * Only measured establishments (activity received this school year) whose enrolment is known have a rate: the
 * others are counted apart (not measured is the absence of data, not a small number of people) and are never
 * ranked. Measured establishments with fewer than k active pupils are not in the distribution (their rate would
 * single pupils out); they are counted apart and listed first among the lowest (their figures null).
 */
export interface EquityInput {
  filter: IndicatorFilter;
  k: number;
  /** How many lowest-penetration establishments to list (default 20). */
  lowest?: number;
}

export interface Distribution {
  establishments: number;
  suppressedEstablishments: number;
  measuredEstablishments: number;
  withoutEnrolment: number;
  unmeasuredEstablishments: number;
  min: number | null;
  p10: number | null;
  q1: number | null;
  median: number | null;
  q3: number | null;
  p90: number | null;
  max: number | null;
  interDecileRatio: number | null;
  gini: number | null;
}

export interface GroupRate {
  key: string;
  /** Visits and distinct users of the group (all profiles), null when suppressed. */
  visits: number | null;
  users: number | null;
  establishments: number;
  enrolledPupils: number;
  activePupils: number | null;
  pupilRate: number | null;
  suppressed: boolean;
}

export interface EstablishmentRate extends GroupRate {
  name: string;
}

export interface EquityOutput {
  distribution: Distribution;
  byRep: GroupRate[];
  bySector: GroupRate[];
  byDepartement: GroupRate[];
  lowest: EstablishmentRate[];
}

export async function equity(w: Warehouse, input: EquityInput): Promise<EquityOutput> {
  const { filter, k } = input;
  // Without profile, service or device restrictions the groupings' activity is their penetration rows' (one
  // request); otherwise the restricted visits come from visitCells.
  const plain = !filter.profiles?.length && !filter.services?.length && !filter.devices?.length;
  const groupings = ['rep', 'sector', 'departement', 'uai'] as const;
  const [[byRep = [], bySector = [], byDepartement = [], perUai = []], restricted] = await Promise.all([
    penetrationByMany(w, filter, groupings, { activity: plain }),
    plain ? null : visitCells(w, filter, [['rep'], ['sector'], ['departement'], ['uai']]),
  ]);
  const cells: VisitCell[] =
    restricted ??
    [byRep, bySector, byDepartement, perUai].flatMap((rows, set) =>
      rows
        .filter((r) => r.users > 0)
        .map((r) => ({
          set,
          key: [r.key],
          visits: r.visits,
          users: r.users,
          durationSeconds: r.visits ? (r.spanMinutes * 60) / r.visits : 0,
        })),
    );
  const measured = perUai.filter((e) => e.measured > 0);
  const establishments = measured.filter((e) => e.enrolled > 0);
  const activity = (set: number) => cellsOf(cells, set);
  const shown = establishments.filter((e) => !isSuppressed(e.ratedPupils, k));
  const perEstablishment = activity(3); // built once: a Map lookup per establishment, not a Map per establishment
  const rated = establishments.map((e) => rateOf(e, k, perEstablishment.get(e.key)));
  const lowest = [...rated]
    .sort((a, b) => (a.pupilRate ?? -1) - (b.pupilRate ?? -1) || a.key.localeCompare(b.key))
    .slice(0, input.lowest ?? 20);
  return {
    distribution: {
      ...distributionOf(
        shown.map((e) => ({ enrolled: e.enrolled, active: e.ratedPupils })),
        establishments.length - shown.length,
      ),
      measuredEstablishments: measured.length,
      withoutEnrolment: measured.length - establishments.length,
      unmeasuredEstablishments: perUai.length - measured.length,
    },
    byRep: groupRates(byRep, k, activity(0)),
    bySector: groupRates(
      bySector.filter((g) => g.key !== 'unknown'),
      k,
      activity(1),
    ),
    byDepartement: groupRates(byDepartement, k, activity(2)),
    lowest,
  };
}

/**
 * Groups that partition the establishments (REP status, sector, département): their active pupils and their
 * activity add up to totals published elsewhere (the overview), so each column gets complementary suppression.
 */
function groupRates(rows: PenetrationRow[], k: number, activity: Map<string, VisitCell>): EstablishmentRate[] {
  const pupils = suppressBreakdown(
    rows.map((r) => ({ users: r.ratedPupils })),
    k,
    { totalShown: true, disjoint: true },
  );
  const active = suppressBreakdown(
    rows.map((r) => ({ users: activity.get(r.key)?.users ?? 0 })),
    k,
    { totalShown: true, disjoint: true },
  );
  return rows.map((r, i) =>
    rateOf(r, k, activity.get(r.key), { pupils: pupils[i]?.suppressed, activity: active[i]?.suppressed }),
  );
}

function rateOf(
  row: PenetrationRow,
  k: number,
  activity?: VisitCell,
  hidden: { pupils?: boolean | undefined; activity?: boolean | undefined } = {},
): EstablishmentRate {
  const suppressed = hidden.pupils ?? isSuppressed(row.ratedPupils, k);
  const activitySuppressed = hidden.activity ?? isSuppressed(activity?.users ?? 0, k);
  return {
    key: row.key,
    visits: activitySuppressed ? null : (activity?.visits ?? 0),
    users: activitySuppressed ? null : (activity?.users ?? 0),
    name: row.name,
    establishments: row.establishments,
    enrolledPupils: row.enrolled,
    activePupils: suppressed ? null : row.ratedPupils,
    pupilRate: suppressed || row.enrolled === 0 ? null : row.ratedPupils / row.enrolled,
    suppressed,
  };
}

/** Quantile by linear interpolation between order statistics (type 7, as R and numpy by default). */
export function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/**
 * Gini of active pupils against enrolment: 1 − Σ (X_k − X_{k−1})(Y_k + Y_{k−1}) over establishments sorted by
 * rate, X the cumulative share of enrolled pupils and Y of active pupils (the Lorenz curve, trapezoid rule).
 */
export function gini(rows: { enrolled: number; active: number }[]): number | null {
  const totalE = rows.reduce((s, r) => s + r.enrolled, 0);
  const totalA = rows.reduce((s, r) => s + r.active, 0);
  if (totalE === 0 || totalA === 0) return null;
  const sorted = [...rows].sort((a, b) => a.active / a.enrolled - b.active / b.enrolled);
  let x = 0;
  let y = 0;
  let area = 0;
  for (const r of sorted) {
    const nx = x + r.enrolled / totalE;
    const ny = y + r.active / totalA;
    area += (nx - x) * (ny + y);
    x = nx;
    y = ny;
  }
  return 1 - area;
}

export function distributionOf(
  rows: { enrolled: number; active: number }[],
  suppressed: number,
): Omit<Distribution, 'measuredEstablishments' | 'withoutEnrolment' | 'unmeasuredEstablishments'> {
  const rates = rows.map((r) => r.active / r.enrolled).sort((a, b) => a - b);
  const p10 = quantile(rates, 0.1);
  const p90 = quantile(rates, 0.9);
  return {
    establishments: rows.length,
    suppressedEstablishments: suppressed,
    min: rates[0] ?? null,
    p10,
    q1: quantile(rates, 0.25),
    median: quantile(rates, 0.5),
    q3: quantile(rates, 0.75),
    p90,
    max: rates.at(-1) ?? null,
    interDecileRatio: p10 && p90 !== null ? p90 / p10 : null,
    gini: gini(rows),
  };
}
