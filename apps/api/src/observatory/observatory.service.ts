import { Inject, Injectable } from '@nestjs/common';
import { loadSchoolCalendar, type SchoolCalendar } from '@ent-observatory/directory';
import {
  type DeviceFigures,
  type Granularity,
  type IndicatorFilter,
  type PeriodFigures,
  adoption,
  adoptionComparison,
  adoptionTrend,
  offDaysOf,
  penetration,
} from '@ent-observatory/indicators';
import type { Warehouse } from '@ent-observatory/warehouse';
import type { Principal } from '../auth/access.js';
import { ScopeService } from '../auth/scope.service.js';
import type { Env } from '../config/env.js';
import { ENV, WAREHOUSE } from '../common/tokens.js';
import type { ObservatoryFilter } from './dto/observatory-filter.input.js';
import type { DeviceCell, PeriodPoint, ViewMeta } from './models/cells.model.js';
import type { Adoption, OverviewView } from './models/views.model.js';
import { DEVICE_ENUM, indicatorFilterOf, periodLabel } from './observatory-filter.js';
import { ObservatoryPlaces } from './observatory-places.js';
import { ViewCache } from './view-cache.js';

/** What a view computation receives: the checked filter in the indicators' terms and k. */
export interface ViewContext {
  f: IndicatorFilter;
  k: number;
  w: Warehouse;
}

/**
 * The observatory's views: scope applied, filter checked, answers cached, meta added. Each view is computed by
 * libs/indicators from the rollups; the typed views of the other dashboard pages are in observatory-views.service.ts.
 */
@Injectable()
export class ObservatoryService {
  private readonly cache = new ViewCache();
  private calendar: SchoolCalendar | undefined;

  constructor(
    @Inject(WAREHOUSE) readonly warehouse: Warehouse,
    @Inject(ENV) private readonly env: Env,
    @Inject(ScopeService) private readonly scopes: ScopeService,
    @Inject(ObservatoryPlaces) readonly places: ObservatoryPlaces,
  ) {}

  /** Runs `compute` for a caller's filter through the cache, and adds the view's meta. */
  async view<T extends object>(
    principal: Principal,
    name: string,
    filter: ObservatoryFilter,
    extra: unknown,
    compute: (ctx: ViewContext) => Promise<T>,
  ): Promise<T & { meta: ViewMeta }> {
    const f = indicatorFilterOf(filter, await this.scopes.filterOf(principal));
    const k = this.env.K_ANONYMITY;
    const key = JSON.stringify([name, f, extra, k]);
    const { value, cached } = await this.cache.get(key, async () => {
      const [result, territory] = await Promise.all([compute({ f, k, w: this.warehouse }), this.places.territoryOf(f)]);
      const meta = { from: f.from, to: f.to, territory, k, cached: false, generatedAt: new Date().toISOString() };
      return { ...result, meta };
    });
    return cached ? { ...value, meta: { ...value.meta, cached: true } } : value;
  }

  async adoption(principal: Principal, filter: ObservatoryFilter): Promise<Adoption> {
    const { meta: _meta, ...rest } = await this.view(principal, 'adoption', filter, null, async ({ f, k, w }) =>
      adoptionModel(await adoption(w, { filter: f, k })),
    );
    return rest;
  }

  async overview(principal: Principal, filter: ObservatoryFilter, granularity: Granularity): Promise<OverviewView> {
    return this.view(principal, 'overview', filter, granularity, async ({ f, k, w }) => {
      const current = await adoption(w, { filter: f, k });
      const comparison = await adoptionComparison(w, { filter: f, k });
      const trend = await adoptionTrend(w, { filter: f, k, granularity });
      const { byProfile, byService, byDevice, ...figures } = adoptionModel(current);
      return {
        current: figures,
        ...comparison,
        trend: trendModel(trend, granularity),
        byProfile,
        byService,
        byDevice,
        penetration: await penetration(w, { filter: f, k }),
      };
    });
  }

  /** Days without class per académie over the period (school calendar, holiday zones from the directory). */
  async offDays(f: IndicatorFilter): Promise<string[]> {
    this.calendar ??= loadSchoolCalendar();
    const calendar = this.calendar;
    return offDaysOf(
      {
        isSchoolHoliday: (zone, day) => calendar.isSchoolHoliday(zone, day),
        isPublicHoliday: (day) => calendar.isPublicHoliday(day),
      },
      await this.places.academyZones(),
      f.from,
      f.to,
    );
  }
}

export function adoptionModel(a: Awaited<ReturnType<typeof adoption>>): Adoption {
  return { ...a, byDevice: devicesModel(a.byDevice) };
}

export function devicesModel(cells: DeviceFigures[]): DeviceCell[] {
  return cells.map((c) => ({ ...c, device: DEVICE_ENUM[c.device] }));
}

export function trendModel(points: PeriodFigures[], g: Granularity): PeriodPoint[] {
  return points.map((p) => ({ ...p, label: periodLabel(p.period, g) }));
}
