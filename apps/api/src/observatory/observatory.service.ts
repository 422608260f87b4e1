import { Inject, Injectable } from '@nestjs/common';
import { loadSchoolCalendar, type SchoolCalendar } from '@ent-observatory/directory';
import {
  type DeviceFigures,
  type Granularity,
  type IndicatorFilter,
  type PeriodFigures,
  adoption,
  dnmaAdoption,
  dnmaLoaded,
  dnmaTrend,
  nationalOf,
  type SchoolDays,
  lastMeasuredDay,
  offDaysOf,
  overviewFigures,
  penetration,
  previousPeriodOf,
} from '@ent-observatory/indicators';
import { type Warehouse, retainedFrom } from '@ent-observatory/warehouse';
import type { Principal } from '../auth/access.js';
import { ScopeService } from '../auth/scope.service.js';
import type { Env } from '../config/env.js';
import { ENV, WAREHOUSE } from '../common/tokens.js';
import { type ObservatoryFilter, SourceEnum } from './dto/observatory-filter.input.js';
import { badInput } from '../common/graphql-errors.js';
import type { DeviceCell, PeriodPoint, ViewMeta } from './models/cells.model.js';
import type { Adoption, OverviewView } from './models/views.model.js';
import { DEVICE_ENUM, indicatorFilterOf, periodLabel } from './observatory-filter.js';
import { ObservatoryPlaces } from './observatory-places.js';
import { ViewCache } from './view-cache.js';
import { VisitRollupsService } from './visit-rollups.service.js';

/** How long the last measured day is reused when no catch-up of this process moved rows in meanwhile. */
const LAST_DAY_TTL_MS = 5_000;

/** How many periods' days without class are kept (offDays). */
const OFF_DAYS_KEPT = 32;

/** Views that answer `source: DNMA` from the imported national open data. */
const DNMA_VIEWS = new Set(['adoption', 'overview', 'territoryView']);

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
  /** offDays by zones and period, oldest first (shared by every view that asks: read-only). */
  private readonly offDaysByPeriod = new Map<string, readonly string[]>();

  constructor(
    @Inject(WAREHOUSE) readonly warehouse: Warehouse,
    @Inject(ENV) private readonly env: Env,
    @Inject(ScopeService) private readonly scopes: ScopeService,
    @Inject(ObservatoryPlaces) readonly places: ObservatoryPlaces,
    @Inject(VisitRollupsService) private readonly rollups: VisitRollupsService,
  ) {}

  /** Runs `compute` for a caller's filter through the cache, and adds the view's meta. */
  async view<T extends object>(
    principal: Principal,
    name: string,
    filter: ObservatoryFilter,
    extra: unknown,
    compute: (ctx: ViewContext) => Promise<T>,
  ): Promise<T & { meta: ViewMeta }> {
    const asked = indicatorFilterOf(filter, await this.scopes.filterOf(principal));
    const k = this.env.K_ANONYMITY;
    const source = filter.source ?? SourceEnum.OBSERVATORY;
    if (source === SourceEnum.DNMA) await this.checkDnma(name);
    const rollups = await this.rollups.current();
    // The published DNMA figures are not ours to clip or expire.
    const [f, horizon] =
      source === SourceEnum.DNMA
        ? [asked, null]
        : await Promise.all([this.withinData(asked, rollups.version), this.retainedFrom()]);
    const retention = { retainedFrom: horizon, expired: horizon !== null && f.to < horizon };
    // A catch-up moved in by this process makes older answers stale (another process's: the cache's TTL).
    const key = JSON.stringify([name, f, extra, k, source, rollups.version, horizon]);
    const { value, cached } = await this.cache.get(key, async () => {
      const [result, territory] = await Promise.all([compute({ f, k, w: this.warehouse }), this.places.territoryOf(f)]);
      // DNMA figures are imported, not computed from statements: no freshness of ours to tell.
      const asOf = source === SourceEnum.DNMA ? null : rollups.asOf;
      const meta = {
        from: f.from,
        to: f.to,
        territory,
        k,
        cached: false,
        generatedAt: new Date().toISOString(),
        asOf,
        ...retention,
      };
      return { ...result, meta };
    });
    return cached ? { ...value, meta: { ...value.meta, cached: true } } : value;
  }

  async adoption(principal: Principal, filter: ObservatoryFilter): Promise<Adoption> {
    const { meta: _meta, ...rest } = await this.view(principal, 'adoption', filter, null, async ({ f, k, w }) =>
      adoptionModel(filter.source === SourceEnum.DNMA ? await dnmaAdoption(w, f) : await adoption(w, { filter: f, k })),
    );
    return rest;
  }

  async overview(principal: Principal, filter: ObservatoryFilter, granularity: Granularity): Promise<OverviewView> {
    if (filter.source === SourceEnum.DNMA) return this.dnmaOverview(principal, filter, granularity);
    return this.view(principal, 'overview', filter, granularity, async ({ f, k, w }) => {
      // Independent reads side by side: the figures with their comparison (libs/indicators overviewFigures), the
      // penetration.
      const [{ adoption: current, trend, comparison }, pen] = await Promise.all([
        overviewFigures(w, { filter: f, k, granularity }, this.schoolDays()),
        penetration(w, { filter: f, k }),
      ]);
      const { byProfile, byService, byDevice, ...figures } = adoptionModel(current);
      return {
        current: figures,
        ...comparison,
        trend: trendModel(trend, granularity),
        byProfile,
        byService,
        byDevice,
        penetration: pen,
      };
    });
  }

  /**
   * The overview from the imported DNMA open data (libs/indicators dnma.ts): visits only (users and durations are
   * null, nothing suppressed: the figures are published), weekly; penetration keeps the directory's enrolment.
   */
  private dnmaOverview(
    principal: Principal,
    filter: ObservatoryFilter,
    granularity: Granularity,
  ): Promise<OverviewView> {
    return this.view(principal, 'overview', filter, granularity, async ({ f, k, w }) => {
      const previousFilter = previousPeriodOf(f);
      const [current, previous, national, trend, enrolment] = await Promise.all([
        dnmaAdoption(w, f),
        dnmaAdoption(w, previousFilter),
        dnmaAdoption(w, nationalOf(f)),
        dnmaTrend(w, f, granularity),
        penetration(w, { filter: f, k }),
      ]);
      const { byProfile, byService, byDevice, ...figures } = adoptionModel(current);
      const total = ({ visits, users, durationSeconds, suppressed }: typeof figures) => ({
        visits,
        users,
        durationSeconds,
        suppressed,
      });
      return {
        current: figures,
        previous: total(previous),
        previousFrom: previousFilter.from,
        previousTo: previousFilter.to,
        comparable: true,
        comparisonNote: null,
        national: total(national),
        trend: trendModel(trend, granularity),
        byProfile,
        byService,
        byDevice,
        penetration: {
          ...enrolment,
          activePupils: null,
          pupilRate: null,
          activeParents: null,
          parentsPerPupil: null,
          suppressed: false,
          parentsSuppressed: false,
        },
      };
    });
  }

  /** `source: DNMA` is for the views that have DNMA figures, and needs imported DNMA data. */
  private async checkDnma(view: string): Promise<void> {
    if (!DNMA_VIEWS.has(view)) {
      throw badInput(
        `source DNMA is available for adoption, overview and territoryView only (the DNMA publishes weekly visits per establishment, profile, service and device), not for ${view}`,
      );
    }
    if (!(await dnmaLoaded(this.warehouse))) {
      throw badInput('source DNMA: no DNMA open data is loaded (npm run cli -- dnma:import <csv...>)');
    }
  }

  /**
   * The period cut at the last day with measured activity when it runs past it (a default period ends today;
   * the data may stop earlier): the figures, the trend and the comparison then cover the measured days only, and
   * the view says up to which day.
   */
  private horizon: { value: string | null; until: number } | undefined;

  /**
   * The person-level retention horizon, read from the TTL ClickHouse applies (libs/warehouse retention.ts), so that
   * every process says the same; read again each minute (it moves at each new month, or with a new setting).
   */
  private async retainedFrom(): Promise<string | null> {
    if (this.horizon && this.horizon.until > Date.now()) return this.horizon.value;
    const value = await retainedFrom(this.warehouse);
    this.horizon = { value, until: Date.now() + 60_000 };
    return value;
  }

  private lastDay: { value: Promise<string>; version: number; until: number } | undefined;

  /**
   * The period clipped to the last measured day. That day moves only when a catch-up moves rows in: read once per
   * catch-up of this process (`version`), and at most LAST_DAY_TTL_MS old for another process's (the views of one
   * dashboard page share the read).
   */
  private async withinData(f: IndicatorFilter, version: number): Promise<IndicatorFilter> {
    const now = Date.now();
    if (!this.lastDay || this.lastDay.version !== version || this.lastDay.until <= now) {
      const value = lastMeasuredDay(this.warehouse);
      this.lastDay = { value, version, until: now + LAST_DAY_TTL_MS };
      value.catch(() => {
        if (this.lastDay?.value === value) this.lastDay = undefined;
      });
    }
    const last = await this.lastDay.value;
    return last !== '' && last >= f.from && last < f.to ? { ...f, to: last } : f;
  }

  /** School days for comparisons: weekdays that are not public holidays and are school days in some zone. */
  private schoolDays(): SchoolDays {
    this.calendar ??= loadSchoolCalendar();
    const calendar = this.calendar;
    const known = (f: () => boolean) => {
      try {
        return f();
      } catch (e) {
        // Outside the calendar files' range: an ordinary day.
        if (e instanceof Error && e.constructor.name === 'CalendarRangeError') return false;
        throw e;
      }
    };
    return {
      isSchoolDay: (day) => {
        const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
        if (weekday === 0 || weekday === 6 || known(() => calendar.isPublicHoliday(day))) return false;
        return (['A', 'B', 'C'] as const).some((zone) => !known(() => calendar.isSchoolHoliday(zone, day)));
      },
    };
  }

  /**
   * Days without class per académie over the period (school calendar, holiday zones from the directory). Computed
   * once per period and zones (1.5–6 ms before the continuity view's time query can start), the last few kept.
   */
  async offDays(f: IndicatorFilter): Promise<readonly string[]> {
    const zones = await this.places.academyZones();
    const key = JSON.stringify([zones, f.from, f.to]);
    let days = this.offDaysByPeriod.get(key);
    if (!days) {
      this.calendar ??= loadSchoolCalendar();
      const calendar = this.calendar;
      days = offDaysOf(
        {
          isSchoolHoliday: (zone, day) => calendar.isSchoolHoliday(zone, day),
          isPublicHoliday: (day) => calendar.isPublicHoliday(day),
        },
        zones,
        f.from,
        f.to,
      );
      if (this.offDaysByPeriod.size >= OFF_DAYS_KEPT)
        this.offDaysByPeriod.delete(this.offDaysByPeriod.keys().next().value as string);
      this.offDaysByPeriod.set(key, days);
    }
    return days;
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
