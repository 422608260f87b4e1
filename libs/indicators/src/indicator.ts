import type { Warehouse } from '@ent-observatory/warehouse';
import type { IndicatorFilter } from './filter.js';
import { type Figures, type Granularity, totalOf } from './figures.js';
import { suppressBreakdown } from './k-anonymity.js';
import { type DimensionName, visitCells } from './visits.js';

/**
 * The generic indicator: one measure (visits, distinct users, mean visit duration) broken down by up to three
 * dimensions (period at the given granularity, profile, service, device, territory, sector, REP), for any filter.
 * It is what the typed views are made of, open to questions no view asks. Each row's users are the distinct people
 * of that row; the rows together are one breakdown of the total, suppressed with complementary suppression.
 */
export type Measure = 'visits' | 'users' | 'durationSeconds';
export type IndicatorDimension = Exclude<DimensionName, 'week' | 'month' | 'school_year' | 'day'> | 'period';

export interface IndicatorInput {
  filter: IndicatorFilter;
  k: number;
  measure: Measure;
  dimensions: IndicatorDimension[];
  granularity: Granularity;
}

export interface IndicatorRow {
  keys: string[];
  value: number | null;
  users: number | null;
  suppressed: boolean;
}

export interface IndicatorOutput {
  total: Figures;
  rows: IndicatorRow[];
}

export const MAX_DIMENSIONS = 3;

export async function indicator(w: Warehouse, input: IndicatorInput): Promise<IndicatorOutput> {
  if (input.dimensions.length > MAX_DIMENSIONS) {
    throw new RangeError(`at most ${MAX_DIMENSIONS} dimensions, got ${input.dimensions.length}`);
  }
  const dims: DimensionName[] = input.dimensions.map((d) => (d === 'period' ? input.granularity : d));
  const cells = await visitCells(w, input.filter, [[], dims]);
  const rows = suppressBreakdown(
    cells.filter((c) => c.set === 1),
    input.k,
  ).map((c) => ({
    keys: c.key,
    value: c.suppressed ? null : c[input.measure],
    users: c.suppressed ? null : c.users,
    suppressed: c.suppressed,
  }));
  return { total: totalOf(cells, 0, input.k), rows };
}
