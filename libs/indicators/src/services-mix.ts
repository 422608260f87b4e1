import { PROFILE_LABELS } from '@ent-observatory/xapi';
import type { Warehouse } from '@ent-observatory/warehouse';
import type { IndicatorFilter, ProfileKey } from './filter.js';
import {
  type Figures,
  type PeriodFigures,
  type ServiceFigures,
  periodsOf,
  profilesOf,
  serviceBreakdown,
  subCells,
  totalOf,
  trendOf,
} from './figures.js';
import { suppressTable } from './k-anonymity.js';
import { visitCells } from './visits.js';

/**
 * Services mix: which ENT services are used, overall and by each profile (pupils live in the homework book and
 * resources, parents in grades and absences, teachers in the homework book and messaging), week by week. A
 * service's visits are the visits that opened it: shares of services add up to more than 100 % because a visit
 * opens several services. Read the per-profile lists to see what each population comes for.
 */
export interface ServicesMixInput {
  filter: IndicatorFilter;
  k: number;
}

export interface ProfileServices {
  profile: ProfileKey;
  label: string;
  services: ServiceFigures[];
}

export interface ServicePeriod {
  period: string;
  service: string;
  visits: number | null;
  users: number | null;
  suppressed: boolean;
}

export interface ServicesMixOutput {
  total: Figures;
  byService: ServiceFigures[];
  byProfile: ProfileServices[];
  trend: PeriodFigures[];
  serviceTrend: ServicePeriod[];
}

export async function servicesMix(w: Warehouse, input: ServicesMixInput): Promise<ServicesMixOutput> {
  const { filter, k } = input;
  const cells = await visitCells(w, filter, [[], ['service'], ['profile', 'service'], ['week'], ['week', 'service']]);
  // Profile × service sits beside each profile's and each service's total: suppressed both ways.
  const profileService = cells.filter((c) => c.set === 2);
  const hiddenProfileService = new Set(
    [
      ...suppressTable(
        profileService,
        k,
        (c) => c.key[0] ?? '',
        (c) => c.key[1] ?? '',
      ),
    ].map((c) => c.key.join('|')),
  );
  const byProfile = profilesOf(cells, 2).map((profile) => ({
    profile,
    label: PROFILE_LABELS[profile],
    services: serviceBreakdown(subCells(cells, 2, profile), 0, k).map((f) =>
      !f.suppressed && hiddenProfileService.has(`${profile}|${f.service}`)
        ? { ...f, visits: null, users: null, durationSeconds: null, suppressed: true }
        : f,
    ),
  }));
  // Week × service sits beside each week's total (trend) and each service's total (byService).
  const weekService = cells.filter((c) => c.set === 4);
  const hiddenWeekService = suppressTable(
    weekService,
    k,
    (c) => c.key[0] ?? '',
    (c) => c.key[1] ?? '',
  );
  const serviceTrend = weekService.map((c) => {
    const suppressed = hiddenWeekService.has(c);
    return {
      period: c.key[0] ?? '',
      service: c.key[1] ?? '',
      visits: suppressed ? null : c.visits,
      users: suppressed ? null : c.users,
      suppressed,
    };
  });
  return {
    total: totalOf(cells, 0, k),
    byService: serviceBreakdown(cells, 1, k),
    byProfile,
    trend: trendOf(cells, 3, periodsOf(filter.from, filter.to, 'week'), k),
    serviceTrend,
  };
}
