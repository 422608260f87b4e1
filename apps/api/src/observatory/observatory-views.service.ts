import { Inject, Injectable } from '@nestjs/common';
import {
  type Figures,
  type DimensionName,
  type Granularity,
  type IndicatorDimension,
  type IndicatorFilter,
  type PenetrationDimension,
  TIME_SLOTS,
  adoptionWithTrend,
  cellsOf,
  collaboration,
  continuity,
  devicesMix,
  dnmaVisitsBy,
  equity,
  figures,
  heatmap,
  indicator,
  isSuppressed,
  nationalOf,
  parents,
  penetration,
  penetrationBy,
  servicesMix,
  suppressBreakdown,
  timeFigures,
  visitCells,
} from '@ent-observatory/indicators';
import { DEVICE_LABELS, PROFILE_LABELS, SERVICE_LABELS } from '@ent-observatory/xapi';
import type { Principal } from '../auth/access.js';
import { badInput } from '../common/graphql-errors.js';
import {
  type DimensionEnum,
  type MeasureEnum,
  type ObservatoryFilter,
  SourceEnum,
  TerritoryLevelEnum,
} from './dto/observatory-filter.input.js';
import type {
  CollaborationView,
  ContinuityView,
  DevicesView,
  EquityView,
  EstablishmentView,
  IndicatorResult,
  ParentsView,
  ServicesView,
  TerritoryView,
} from './models/views.model.js';
import { DEVICE_ENUM, REP_ENUM, SECTOR_ENUM, periodLabel } from './observatory-filter.js';
import { CHILD_LEVEL } from './observatory-places.js';
import { ObservatoryService, adoptionModel, devicesModel, trendModel } from './observatory.service.js';

const LEVEL_DIMENSION: Record<TerritoryLevelEnum, Exclude<PenetrationDimension, null>> = {
  NATIONAL: 'region',
  REGION: 'region',
  ACADEMIE: 'academie',
  DEPARTEMENT: 'departement',
  ETABLISSEMENT: 'uai',
};

const REP_LABELS: Record<string, string> = { 'REP+': 'REP+', REP: 'REP', none: 'Hors éducation prioritaire' };
const SECTOR_LABELS: Record<string, string> = { public: 'Public', private: 'Privé' };

const MEASURE = { VISITS: 'visits', USERS: 'users', DURATION_SECONDS: 'durationSeconds' } as const;
const DIMENSION: Record<DimensionEnum, IndicatorDimension> = {
  PERIOD: 'period',
  PROFILE: 'profile',
  SERVICE: 'service',
  DEVICE: 'device',
  REGION: 'region',
  ACADEMIE: 'academie',
  DEPARTEMENT: 'departement',
  UAI: 'uai',
  SECTOR: 'sector',
  REP: 'rep',
};

/** The typed views of the dashboard's pages beyond the overview: one method, one round trip each. */
@Injectable()
export class ObservatoryViewsService {
  constructor(@Inject(ObservatoryService) private readonly views: ObservatoryService) {}

  async territoryView(principal: Principal, filter: ObservatoryFilter): Promise<TerritoryView> {
    return this.views.view(principal, 'territoryView', filter, null, async ({ f, k, w }) => {
      const territory = await this.views.places.territoryOf(f);
      const childLevel = CHILD_LEVEL[territory.level];
      const dim = LEVEL_DIMENSION[childLevel];
      if (filter.source === SourceEnum.DNMA) {
        return this.dnmaTerritories(f, childLevel, dim as 'region' | 'academie' | 'departement' | 'uai');
      }
      // Independent reads, side by side.
      const [cells, rows, names] = await Promise.all([
        visitCells(w, f, [[], [dim]]),
        penetrationBy(w, f, dim),
        this.views.places.names(childLevel),
      ]);
      const byKey = cellsOf(cells, 1);
      const total = cellsOf(cells, 0).get('');
      // The child territories partition the total: complementary suppression on their people and their pupils.
      const children = rows.filter((r) => r.key !== '');
      const hidden = suppressBreakdown(
        children.map((r) => ({ users: byKey.get(r.key)?.users ?? 0 })),
        k,
        { totalShown: true, disjoint: true },
      );
      const hiddenPupils = suppressBreakdown(
        children.map((r) => ({ users: r.pupils })),
        k,
        { totalShown: true, disjoint: true },
      );
      // The rates' pupils (those of measured establishments with a known enrolment) partition the rates' total too.
      const hiddenRated = suppressBreakdown(
        children.map((r) => ({ users: r.ratedPupils })),
        k,
        { totalShown: true, disjoint: true },
      );
      return {
        childLevel,
        total: figures(
          total ?? { set: 0, key: [], visits: 0, users: 0, durationSeconds: 0 },
          isSuppressed(total?.users ?? 0, k),
        ),
        rows: children
          .map((r, i) => {
            const cell = byKey.get(r.key) ?? { set: 1, key: [r.key], visits: 0, users: 0, durationSeconds: 0 };
            const suppressed = hidden[i]?.suppressed ?? true;
            const pupilsSuppressed = hiddenPupils[i]?.suppressed ?? true;
            const rateSuppressed = hiddenRated[i]?.suppressed ?? true;
            return {
              level: childLevel,
              code: r.key,
              name: names.get(r.key) ?? (r.name || r.key),
              ...figures(cell, suppressed),
              enrolledPupils: r.enrolled,
              activePupils: pupilsSuppressed ? null : r.pupils,
              // No rate without a known enrolment of measured establishments: « effectifs non disponibles », not 0.
              pupilRate: rateSuppressed || r.enrolled === 0 ? null : r.ratedPupils / r.enrolled,
              latitude: childLevel === TerritoryLevelEnum.ETABLISSEMENT ? r.latitude : null,
              longitude: childLevel === TerritoryLevelEnum.ETABLISSEMENT ? r.longitude : null,
            };
          })
          .sort((a, b) => a.name.localeCompare(b.name, 'fr')),
      };
    });
  }

  /**
   * territoryView from the imported DNMA data: visits per child territory (users and durations null, nothing
   * suppressed, as for adoption), every territory DNMA has, enrolment from our directory where it has the schools.
   */
  private async dnmaTerritories(
    f: IndicatorFilter,
    childLevel: TerritoryLevelEnum,
    dim: 'region' | 'academie' | 'departement' | 'uai',
  ): Promise<Omit<TerritoryView, 'meta'>> {
    const w = this.views.warehouse;
    const [visits, directory, names] = await Promise.all([
      dnmaVisitsBy(w, f, dim),
      penetrationBy(w, f, dim),
      this.views.places.names(childLevel),
    ]);
    const enrolled = new Map(directory.map((r) => [r.key, r]));
    const published = (n: number) => ({ visits: n, users: null, durationSeconds: null, suppressed: false });
    const keys = [...new Set([...visits.keys(), ...enrolled.keys()])].filter((key) => key !== '');
    return {
      childLevel,
      total: published([...visits.values()].reduce((a, b) => a + b, 0)),
      rows: keys
        .map((key) => {
          const r = enrolled.get(key);
          const establishment = childLevel === TerritoryLevelEnum.ETABLISSEMENT;
          return {
            level: childLevel,
            code: key,
            name: names.get(key) ?? (r?.name || key),
            ...published(visits.get(key) ?? 0),
            enrolledPupils: r?.enrolled ?? 0,
            activePupils: null,
            pupilRate: null,
            latitude: establishment ? (r?.latitude ?? null) : null,
            longitude: establishment ? (r?.longitude ?? null) : null,
          };
        })
        .sort((a, b) => a.name.localeCompare(b.name, 'fr')),
    };
  }

  async establishmentView(principal: Principal, filter: ObservatoryFilter): Promise<EstablishmentView> {
    if (!filter.uai) throw badInput('establishmentView needs filter.uai (the establishment to show)');
    return this.views.view(principal, 'establishmentView', filter, null, async ({ f, k, w }) => {
      // The establishment's figures and weekly trend, with its académie's and France's totals, in one request (once
      // the directory has named its académie); its heat map and penetration side by side.
      const national = nationalOf(f);
      const figures = this.views.places.establishment(f.uai as string).then(async (establishment) => ({
        establishment,
        ...(await adoptionWithTrend(w, { filter: f, k, granularity: 'week' }, [
          { ...national, academie: establishment.academie },
          national,
        ])),
      }));
      const [{ establishment, adoption: own, trend, totals }, heat, pen] = await Promise.all([
        figures,
        heatmap(w, { filter: f, k }),
        penetration(w, { filter: f, k }),
      ]);
      const [academie, nation] = totals as [Figures, Figures];
      const { byProfile, byService, byDevice, ...figuresOwn } = adoptionModel(own);
      return {
        establishment,
        figures: figuresOwn,
        academie,
        national: nation,
        trend: trendModel(trend, 'week'),
        byProfile,
        byService,
        byDevice,
        heatmap: heat,
        penetration: pen,
      };
    });
  }

  async servicesView(principal: Principal, filter: ObservatoryFilter): Promise<ServicesView> {
    return this.views.view(principal, 'servicesView', filter, null, async ({ f, k, w }) => {
      const mix = await servicesMix(w, { filter: f, k });
      return { ...mix, trend: trendModel(mix.trend, 'week') };
    });
  }

  async devicesView(principal: Principal, filter: ObservatoryFilter): Promise<DevicesView> {
    return this.views.view(principal, 'devicesView', filter, null, async ({ f, k, w }) => {
      const mix = await devicesMix(w, { filter: f, k });
      return {
        total: mix.total,
        byDevice: devicesModel(mix.byDevice),
        byProfile: mix.byProfile.map((p) => ({ ...p, devices: devicesModel(p.devices) })),
        trend: mix.trend.map((t) => ({ ...t, device: DEVICE_ENUM[t.device] })),
      };
    });
  }

  async equityView(principal: Principal, filter: ObservatoryFilter): Promise<EquityView> {
    return this.views.view(principal, 'equityView', filter, null, async ({ f, k, w }) => {
      const [e, departements] = await Promise.all([
        equity(w, { filter: f, k }),
        this.views.places.names(TerritoryLevelEnum.DEPARTEMENT),
      ]);
      const places = await this.establishmentFacts(e.lowest.map((l) => l.key));
      return {
        distribution: e.distribution,
        byRep: e.byRep.map((g) => ({ ...g, label: REP_LABELS[g.key] ?? g.key })),
        bySector: e.bySector.map((g) => ({ ...g, label: SECTOR_LABELS[g.key] ?? g.key })),
        byDepartement: e.byDepartement.map((g) => ({ ...g, label: departements.get(g.key) ?? g.key })),
        lowest: e.lowest.map((l) => {
          const place = places.get(l.key);
          return {
            uai: l.key,
            name: l.name || l.key,
            departement: place?.departement ?? '',
            sector: SECTOR_ENUM[place?.sector ?? ''] ?? null,
            rep: REP_ENUM[place?.rep ?? 'none'] ?? REP_ENUM.none!,
            enrolledPupils: l.enrolledPupils,
            activePupils: l.activePupils,
            pupilRate: l.pupilRate,
            visits: l.visits,
            suppressed: l.suppressed,
          };
        }),
      };
    });
  }

  async continuityView(principal: Principal, filter: ObservatoryFilter): Promise<ContinuityView> {
    return this.views.view(principal, 'continuityView', filter, null, async ({ f, k, w }) => {
      // Each query starts as soon as its own input is ready (sector collèges from the store, days without class
      // from the calendar).
      const [c, time] = await Promise.all([
        this.views.places.sectorColleges().then((sectorColleges) => continuity(w, { filter: f, k, sectorColleges })),
        this.views.offDays(f).then((offDays) => timeFigures(w, { filter: f, k, offDays })),
      ]);
      const all = { heatmap: time.heatmap, slots: time.slots };
      const outside = time.pupilsOutside;
      const names = await this.views.places.establishmentNames(c.byCollege.map((b) => b.uai));
      return {
        schoolYear: c.schoolYear,
        previousSchoolYear: c.previousSchoolYear,
        cm2To6e: c.cm2To6e,
        byCollege: c.byCollege.map((b) => ({ ...b, name: names.get(b.uai) ?? b.uai })),
        twoPlatforms: c.twoPlatforms,
        outsideClassTime: outside,
        timeSplit: all.slots.filter((s) => TIME_SLOTS.includes(s.slot)),
        heatmap: all.heatmap,
      };
    });
  }

  async collaborationView(principal: Principal, filter: ObservatoryFilter): Promise<CollaborationView> {
    return this.views.view(principal, 'collaborationView', filter, null, async ({ f, k, w }) => {
      const c = await collaboration(w, { filter: f, k });
      return { ...c, trend: trendModel(c.trend, 'week') };
    });
  }

  async parentsView(principal: Principal, filter: ObservatoryFilter): Promise<ParentsView> {
    return this.views.view(principal, 'parentsView', filter, null, async ({ f, k, w }) => {
      const p = await parents(w, { filter: f, k });
      return { ...p, byDevice: devicesModel(p.byDevice), trend: trendModel(p.trend, 'week') };
    });
  }

  async indicator(
    principal: Principal,
    filter: ObservatoryFilter,
    measure: MeasureEnum,
    dimensions: DimensionEnum[],
    granularity: Granularity,
  ): Promise<IndicatorResult> {
    if (dimensions.length > 3) throw badInput(`at most 3 dimensions, got ${dimensions.length}`);
    if (new Set(dimensions).size !== dimensions.length) throw badInput('each dimension at most once');
    const dims = dimensions.map((d) => DIMENSION[d]);
    return this.views.view(principal, 'indicator', filter, [measure, dims, granularity], async ({ f, k, w }) => {
      const r = await indicator(w, { filter: f, k, measure: MEASURE[measure], dimensions: dims, granularity });
      return {
        measure,
        dimensions,
        total: r.total,
        rows: r.rows.map((row) => ({ ...row, labels: row.keys.map((key, i) => labelOf(dims[i], key, granularity)) })),
      };
    });
  }

  private async establishmentFacts(uais: string[]) {
    const rows = uais.length
      ? await this.views.places.establishmentsFacts(uais)
      : ([] as { uai: string; departement: string; sector: string; rep: string }[]);
    return new Map(rows.map((r) => [r.uai, r]));
  }
}

function labelOf(dim: IndicatorDimension | DimensionName | undefined, key: string, g: Granularity): string {
  if (dim === 'period') return periodLabel(key, g);
  if (dim === 'profile') return PROFILE_LABELS[key as keyof typeof PROFILE_LABELS] ?? key;
  if (dim === 'service') return SERVICE_LABELS[key as keyof typeof SERVICE_LABELS] ?? key;
  if (dim === 'device') return key === '' ? 'Non renseigné' : (DEVICE_LABELS[key as keyof typeof DEVICE_LABELS] ?? key);
  if (dim === 'rep') return REP_LABELS[key] ?? key;
  if (dim === 'sector') return SECTOR_LABELS[key] ?? key;
  return key;
}
