import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { Allow, type Principal } from '../auth/access.js';
import { Arg } from '../common/input/index.js';
import { ViewCost } from '../graphql-limits/cost.js';
import { CurrentPrincipal } from '../auth/access.guard.js';
import { DimensionEnum, GranularityEnum, MeasureEnum, ObservatoryFilter } from './dto/observatory-filter.input.js';
import {
  Adoption,
  CollaborationView,
  ContinuityView,
  DevicesView,
  EquityView,
  EstablishmentView,
  IndicatorResult,
  OverviewView,
  ParentsView,
  ServicesView,
  TerritoryView,
} from './models/views.model.js';
import { GRANULARITY, targetOfFilter } from './observatory-filter.js';
import { ObservatoryViewsService } from './observatory-views.service.js';
import { ObservatoryService } from './observatory.service.js';

/**
 * Observatory figures: aggregates only, k-anonymised, for the roles that watch territories. Every territory the
 * filter names is checked against the caller's scope by AccessGuard first (FORBIDDEN otherwise); a filter without
 * territory covers the caller's whole scope.
 */
const OBSERVERS = ['admin', 'national', 'academy', 'establishment'] as const;
// @ViewCost: CPU ms of each view for a national user over half a school year on 10M statements
// (bench/results/indicators-2026-11-30.md), scaled by the filter's period; see graphql-limits/cost.ts.
const FILTER = { type: () => ObservatoryFilter };

@Resolver()
export class ObservatoryResolver {
  constructor(
    @Inject(ObservatoryService) private readonly service: ObservatoryService,
    @Inject(ObservatoryViewsService) private readonly views: ObservatoryViewsService,
  ) {}

  @Query(() => Adoption, { description: 'Visits, distinct users and visit duration, by profile, service and device' })
  @Allow(OBSERVERS, targetOfFilter)
  @ViewCost(60)
  adoption(
    @CurrentPrincipal() p: Principal,
    @Arg('filter', ObservatoryFilter, FILTER) filter: ObservatoryFilter,
  ): Promise<Adoption> {
    return this.service.adoption(p, filter);
  }

  @Query(() => IndicatorResult, { description: 'One measure by up to 3 dimensions (PERIOD uses granularity)' })
  @Allow(OBSERVERS, targetOfFilter)
  @ViewCost((args) => 30 * (1 + (Array.isArray(args.dimensions) ? args.dimensions.length : 3)))
  indicator(
    @CurrentPrincipal() p: Principal,
    @Args('measure', { type: () => MeasureEnum }) measure: MeasureEnum,
    @Args('dimensions', { type: () => [DimensionEnum] }) dimensions: DimensionEnum[],
    @Arg('filter', ObservatoryFilter, FILTER) filter: ObservatoryFilter,
    @Args('granularity', { type: () => GranularityEnum, defaultValue: GranularityEnum.WEEK })
    granularity: GranularityEnum,
  ): Promise<IndicatorResult> {
    return this.views.indicator(p, filter, measure, dimensions, GRANULARITY[granularity]);
  }

  @Query(() => OverviewView, { description: 'KPIs, previous period, national, trend, breakdowns, penetration' })
  @Allow(OBSERVERS, targetOfFilter)
  @ViewCost(100)
  overview(
    @CurrentPrincipal() p: Principal,
    @Arg('filter', ObservatoryFilter, FILTER) filter: ObservatoryFilter,
    @Args('granularity', { type: () => GranularityEnum, defaultValue: GranularityEnum.WEEK })
    granularity: GranularityEnum,
  ): Promise<OverviewView> {
    return this.service.overview(p, filter, GRANULARITY[granularity]);
  }

  @Query(() => TerritoryView, { description: 'Figures of each child territory, for the map and the table' })
  @Allow(OBSERVERS, targetOfFilter)
  @ViewCost(45)
  territoryView(
    @CurrentPrincipal() p: Principal,
    @Arg('filter', ObservatoryFilter, FILTER) f: ObservatoryFilter,
  ): Promise<TerritoryView> {
    return this.views.territoryView(p, f);
  }

  @Query(() => EstablishmentView, { description: 'One establishment (filter.uai) against its académie and France' })
  @Allow(OBSERVERS, targetOfFilter)
  @ViewCost(140)
  establishmentView(
    @CurrentPrincipal() p: Principal,
    @Arg('filter', ObservatoryFilter, FILTER) f: ObservatoryFilter,
  ): Promise<EstablishmentView> {
    return this.views.establishmentView(p, f);
  }

  @Query(() => ServicesView, { description: 'Services mix, overall, by profile and week by week' })
  @Allow(OBSERVERS, targetOfFilter)
  @ViewCost(110)
  servicesView(
    @CurrentPrincipal() p: Principal,
    @Arg('filter', ObservatoryFilter, FILTER) f: ObservatoryFilter,
  ): Promise<ServicesView> {
    return this.views.servicesView(p, f);
  }

  @Query(() => DevicesView, { description: 'Devices mix and smartphone share per profile' })
  @Allow(OBSERVERS, targetOfFilter)
  @ViewCost(60)
  devicesView(
    @CurrentPrincipal() p: Principal,
    @Arg('filter', ObservatoryFilter, FILTER) f: ObservatoryFilter,
  ): Promise<DevicesView> {
    return this.views.devicesView(p, f);
  }

  @Query(() => EquityView, { description: "Distribution of establishments' pupil penetration and the lowest ones" })
  @Allow(OBSERVERS, targetOfFilter)
  @ViewCost(120)
  equityView(
    @CurrentPrincipal() p: Principal,
    @Arg('filter', ObservatoryFilter, FILTER) f: ObservatoryFilter,
  ): Promise<EquityView> {
    return this.views.equityView(p, f);
  }

  @Query(() => ContinuityView, { description: 'CM2 → 6e, two platforms, activity outside class time' })
  @Allow(OBSERVERS, targetOfFilter)
  @ViewCost(210)
  continuityView(
    @CurrentPrincipal() p: Principal,
    @Arg('filter', ObservatoryFilter, FILTER) f: ObservatoryFilter,
  ): Promise<ContinuityView> {
    return this.views.continuityView(p, f);
  }

  @Query(() => CollaborationView, { description: 'Collaborative services and spaces' })
  @Allow(OBSERVERS, targetOfFilter)
  @ViewCost(90)
  collaborationView(
    @CurrentPrincipal() p: Principal,
    @Arg('filter', ObservatoryFilter, FILTER) f: ObservatoryFilter,
  ): Promise<CollaborationView> {
    return this.views.collaborationView(p, f);
  }

  @Query(() => ParentsView, { description: 'Active parents per pupil, their services and devices' })
  @Allow(OBSERVERS, targetOfFilter)
  @ViewCost(80)
  parentsView(
    @CurrentPrincipal() p: Principal,
    @Arg('filter', ObservatoryFilter, FILTER) f: ObservatoryFilter,
  ): Promise<ParentsView> {
    return this.views.parentsView(p, f);
  }
}
