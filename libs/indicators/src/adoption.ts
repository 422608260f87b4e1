import type { Warehouse } from '@ent-observatory/warehouse';
import { type IndicatorFilter, nationalOf } from './filter.js';
import { type SchoolDays, comparability, previousSchoolPeriodOf } from './comparison.js';
import {
  type DeviceFigures,
  type Figures,
  type Granularity,
  type PeriodFigures,
  type ProfileFigures,
  type ServiceFigures,
  deviceBreakdown,
  periodsOf,
  profileBreakdown,
  serviceBreakdown,
  totalOf,
  trendOf,
} from './figures.js';
import { type Breakdown, visitCells, visitCellsMany } from './visits.js';

/**
 * Adoption: how much the ENT is used. `visits` counts visits (per person, a new visit after 30 minutes without
 * activity, cut at Paris midnight), `users` the distinct people active over the whole period (never a sum of
 * daily or weekly counts), `durationSeconds` the mean length of a visit (first to last action; 0 for a single
 * action). Read `users` as reach and `visits / users` as intensity; the breakdowns by profile, service and device
 * say who uses it, for what and from where. A visit that opens three services is one visit of the ENT and one of
 * each service, so services' visits add up to more than the total.
 *
 * SQL: visitCellsSql (visits.ts) over activity_actor_daily, one scan for the total and the three breakdowns.
 */
export interface AdoptionInput {
  filter: IndicatorFilter;
  /** K_ANONYMITY: cells on fewer distinct users are suppressed. */
  k: number;
}

export interface AdoptionOutput extends Figures {
  byProfile: ProfileFigures[];
  byService: ServiceFigures[];
  byDevice: DeviceFigures[];
}

export const ADOPTION_BREAKDOWNS: readonly Breakdown[] = [[], ['profile'], ['service'], ['device']];

export async function adoption(w: Warehouse, input: AdoptionInput): Promise<AdoptionOutput> {
  const cells = await visitCells(w, input.filter, ADOPTION_BREAKDOWNS);
  return {
    ...totalOf(cells, 0, input.k),
    byProfile: profileBreakdown(cells, 1, input.k),
    byService: serviceBreakdown(cells, 2, input.k),
    byDevice: deviceBreakdown(cells, 3, input.k),
  };
}

/**
 * Adoption over time: one point per week, month or school year (1 August – 31 July) of the period, empty periods
 * included. Each point's users are the distinct people of that period.
 */
export interface TrendInput extends AdoptionInput {
  granularity: Granularity;
}

export async function adoptionTrend(w: Warehouse, input: TrendInput): Promise<PeriodFigures[]> {
  const dim = input.granularity;
  const cells = await visitCells(w, input.filter, [[dim]]);
  return trendOf(cells, 0, periodsOf(input.filter.from, input.filter.to, dim), input.k);
}

/**
 * Adoption and its trend in one scan (the overview's two main parts): the period is a breakdown like the others.
 * `others`: filters whose totals alone the caller compares with (the previous period, the académie, France), read
 * in the same request (visitCellsMany), k-anonymised the same way.
 */
export async function adoptionWithTrend(
  w: Warehouse,
  input: TrendInput,
  others: readonly IndicatorFilter[] = [],
): Promise<{ adoption: AdoptionOutput; trend: PeriodFigures[]; totals: Figures[] }> {
  const { filter, k, granularity } = input;
  const [cells = [], ...rest] = await visitCellsMany(w, [
    { filter, breakdowns: [...ADOPTION_BREAKDOWNS, [granularity]] },
    ...others.map((other) => ({ filter: other, breakdowns: [[]] })),
  ]);
  return {
    adoption: {
      ...totalOf(cells, 0, k),
      byProfile: profileBreakdown(cells, 1, k),
      byService: serviceBreakdown(cells, 2, k),
      byDevice: deviceBreakdown(cells, 3, k),
    },
    trend: trendOf(cells, 4, periodsOf(filter.from, filter.to, granularity), k),
    totals: rest.map((other) => totalOf(other, 0, k)),
  };
}

/**
 * The comparisons of the overview: the same filter over the previous period of the same length, and at national
 * level (no territory). Both k-anonymised like the current figures.
 */
export interface Comparison {
  previous: Figures;
  /** The period before with as many school days (comparison.ts). */
  previousFrom: string;
  previousTo: string;
  /** Whether the change is meaningful, and why not (French). */
  comparable: boolean;
  comparisonNote: string | null;
  national: Figures;
}

/** The overview's figures: adoption, trend and comparison (one request for the cells, one for comparability). */
export interface OverviewFigures {
  adoption: AdoptionOutput;
  trend: PeriodFigures[];
  comparison: Comparison;
}

/**
 * The overview: the filter's adoption and trend, and the totals it is compared with (the previous period with as
 * many school days, France unless the filter is France), in one request (adoptionWithTrend's `others`); beside it,
 * whether the previous period is comparable. A filter without territory is France: its own figures are the national
 * ones, not read again.
 */
export async function overviewFigures(w: Warehouse, input: TrendInput, days?: SchoolDays): Promise<OverviewFigures> {
  const previousFilter = previousSchoolPeriodOf(input.filter, days);
  const nationalFilter = nationalOf(input.filter);
  const isNational = JSON.stringify(nationalFilter) === JSON.stringify(input.filter);
  const [{ adoption, trend, totals }, measured] = await Promise.all([
    adoptionWithTrend(w, input, isNational ? [previousFilter] : [previousFilter, nationalFilter]),
    comparability(w, input.filter, previousFilter),
  ]);
  const [previous, national] = totals as [Figures, Figures | undefined];
  const { byProfile: _p, byService: _s, byDevice: _d, ...figures } = adoption;
  return {
    adoption,
    trend,
    comparison: {
      previous,
      previousFrom: previousFilter.from,
      previousTo: previousFilter.to,
      comparable: measured.comparable,
      comparisonNote: measured.note,
      national: national ?? figures,
    },
  };
}
