import type { Warehouse } from '@ent-observatory/warehouse';
import type { IndicatorFilter } from './filter.js';
import {
  type DeviceFigures,
  type Figures,
  type PeriodFigures,
  type ServiceFigures,
  deviceBreakdown,
  periodsOf,
  serviceBreakdown,
  totalOf,
  trendOf,
} from './figures.js';
import { type PenetrationOutput, penetration } from './penetration.js';
import { visitCells } from './visits.js';

/**
 * Parents: how families use the ENT. Active parents (distinct PARENT pseudonyms) per enrolled pupil — read 0.8 as
 * "8 parents active for 10 pupils" (a pupil may have two active parents, so it can exceed 1) — their visits, the
 * services they open (grades, absences, homework book, messaging) and their devices (mostly smartphones).
 */
export interface ParentsInput {
  filter: IndicatorFilter;
  k: number;
}

export interface ParentsOutput {
  figures: Figures;
  penetration: PenetrationOutput;
  byService: ServiceFigures[];
  byDevice: DeviceFigures[];
  trend: PeriodFigures[];
}

export async function parents(w: Warehouse, input: ParentsInput): Promise<ParentsOutput> {
  const { k } = input;
  const filter: IndicatorFilter = { ...input.filter, profiles: ['PARENT'] };
  // Independent reads, side by side.
  const [cells, pen] = await Promise.all([
    visitCells(w, filter, [[], ['service'], ['device'], ['week']]),
    penetration(w, { filter: input.filter, k }),
  ]);
  return {
    figures: totalOf(cells, 0, k),
    penetration: pen,
    byService: serviceBreakdown(cells, 1, k),
    byDevice: deviceBreakdown(cells, 2, k),
    trend: trendOf(cells, 3, periodsOf(input.filter.from, input.filter.to, 'week'), k),
  };
}
