import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import {
  DeviceEnum,
  DimensionEnum,
  MeasureEnum,
  ObservatorySectorEnum,
  ProfileEnum,
  RepStatusEnum,
  TerritoryLevelEnum,
} from '../dto/observatory-filter.input.js';
import {
  DeviceCell,
  Figures,
  FiguresBase,
  HeatCell,
  ObservatoryEstablishment,
  Penetration,
  PeriodPoint,
  ProfileCell,
  Rate,
  ServiceCell,
  TimeSlotCell,
  ViewMeta,
} from './cells.model.js';

@ObjectType()
export class Adoption extends FiguresBase {
  @Field(() => [ProfileCell]) byProfile!: ProfileCell[];
  @Field(() => [ServiceCell]) byService!: ServiceCell[];
  @Field(() => [DeviceCell]) byDevice!: DeviceCell[];
}

@ObjectType()
export class OverviewView {
  @Field(() => ViewMeta) meta!: ViewMeta;
  @Field(() => Figures) current!: Figures;
  @Field(() => Figures) previous!: Figures;
  @Field({ description: 'First day of the previous period: the one before with as many school days' })
  previousFrom!: string;
  @Field() previousTo!: string;
  @Field({ description: 'Whether the change against the previous period is meaningful (both measured alike)' })
  comparable!: boolean;
  @Field(() => String, { nullable: true, description: 'Why the comparison is not meaningful (French)' })
  comparisonNote!: string | null;
  @Field(() => Figures) national!: Figures;
  @Field(() => [PeriodPoint]) trend!: PeriodPoint[];
  @Field(() => [ProfileCell]) byProfile!: ProfileCell[];
  @Field(() => [ServiceCell]) byService!: ServiceCell[];
  @Field(() => [DeviceCell]) byDevice!: DeviceCell[];
  @Field(() => Penetration) penetration!: Penetration;
}

@ObjectType()
export class TerritoryRow extends FiguresBase {
  @Field(() => TerritoryLevelEnum) level!: TerritoryLevelEnum;
  @Field() code!: string;
  @Field() name!: string;
  @Field(() => Int) enrolledPupils!: number;
  @Field(() => Int, { nullable: true }) activePupils!: number | null;
  @Field(() => Float, { nullable: true }) pupilRate!: number | null;
  @Field(() => Float, { nullable: true }) latitude!: number | null;
  @Field(() => Float, { nullable: true }) longitude!: number | null;
}

@ObjectType()
export class TerritoryView {
  @Field(() => ViewMeta) meta!: ViewMeta;
  @Field(() => TerritoryLevelEnum) childLevel!: TerritoryLevelEnum;
  @Field(() => Figures) total!: Figures;
  @Field(() => [TerritoryRow]) rows!: TerritoryRow[];
}

@ObjectType()
export class EstablishmentView {
  @Field(() => ViewMeta) meta!: ViewMeta;
  @Field(() => ObservatoryEstablishment) establishment!: ObservatoryEstablishment;
  @Field(() => Figures) figures!: Figures;
  @Field(() => Figures) academie!: Figures;
  @Field(() => Figures) national!: Figures;
  @Field(() => [PeriodPoint]) trend!: PeriodPoint[];
  @Field(() => [ProfileCell]) byProfile!: ProfileCell[];
  @Field(() => [ServiceCell]) byService!: ServiceCell[];
  @Field(() => [DeviceCell]) byDevice!: DeviceCell[];
  @Field(() => [HeatCell]) heatmap!: HeatCell[];
  @Field(() => Penetration) penetration!: Penetration;
}

@ObjectType()
export class ProfileServices {
  @Field(() => ProfileEnum) profile!: ProfileEnum;
  @Field() label!: string;
  @Field(() => [ServiceCell]) services!: ServiceCell[];
}

@ObjectType()
export class ServicePeriodCell {
  @Field() period!: string;
  @Field() service!: string;
  @Field(() => Int, { nullable: true }) visits!: number | null;
  @Field(() => Int, { nullable: true }) users!: number | null;
  @Field() suppressed!: boolean;
}

@ObjectType()
export class ServicesView {
  @Field(() => ViewMeta) meta!: ViewMeta;
  @Field(() => Figures) total!: Figures;
  @Field(() => [ServiceCell]) byService!: ServiceCell[];
  @Field(() => [ProfileServices]) byProfile!: ProfileServices[];
  @Field(() => [PeriodPoint]) trend!: PeriodPoint[];
  @Field(() => [ServicePeriodCell]) serviceTrend!: ServicePeriodCell[];
}

@ObjectType()
export class ProfileDevices {
  @Field(() => ProfileEnum) profile!: ProfileEnum;
  @Field() label!: string;
  @Field(() => [DeviceCell]) devices!: DeviceCell[];
  @Field(() => Float, { nullable: true }) smartphoneShare!: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Share of the profile’s visits on devices hidden by the secrecy (the rest of 100 %)',
  })
  hiddenShare!: number | null;
  @Field() suppressed!: boolean;
}

@ObjectType()
export class DevicePeriodCell {
  @Field() period!: string;
  @Field(() => DeviceEnum) device!: DeviceEnum;
  @Field(() => Int, { nullable: true }) visits!: number | null;
  @Field(() => Float, { nullable: true }) share!: number | null;
  @Field() suppressed!: boolean;
}

@ObjectType()
export class DevicesView {
  @Field(() => ViewMeta) meta!: ViewMeta;
  @Field(() => Figures) total!: Figures;
  @Field(() => [DeviceCell]) byDevice!: DeviceCell[];
  @Field(() => [ProfileDevices]) byProfile!: ProfileDevices[];
  @Field(() => [DevicePeriodCell]) trend!: DevicePeriodCell[];
}

@ObjectType()
export class Distribution {
  @Field(() => Int, { description: 'Measured establishments with known enrolment and at least k active pupils' })
  establishments!: number;
  @Field(() => Int, { description: 'Measured establishments with known enrolment and fewer than k active pupils' })
  suppressedEstablishments!: number;
  @Field(() => Int, { description: 'Establishments measured (activity received this school year)' })
  measuredEstablishments!: number;
  @Field(() => Int, { description: 'Measured establishments whose enrolment the directory does not know' })
  withoutEnrolment!: number;
  @Field(() => Int, { description: 'Establishments of the directory not measured: no activity, not a zero' })
  unmeasuredEstablishments!: number;
  @Field(() => Float, { nullable: true }) min!: number | null;
  @Field(() => Float, { nullable: true }) p10!: number | null;
  @Field(() => Float, { nullable: true }) q1!: number | null;
  @Field(() => Float, { nullable: true }) median!: number | null;
  @Field(() => Float, { nullable: true }) q3!: number | null;
  @Field(() => Float, { nullable: true }) p90!: number | null;
  @Field(() => Float, { nullable: true }) max!: number | null;
  @Field(() => Float, { nullable: true }) interDecileRatio!: number | null;
  @Field(() => Float, { nullable: true }) gini!: number | null;
}

@ObjectType()
export class GroupCell {
  @Field() key!: string;
  @Field() label!: string;
  @Field(() => Int) establishments!: number;
  @Field(() => Int) enrolledPupils!: number;
  @Field(() => Int, { nullable: true }) activePupils!: number | null;
  @Field(() => Float, { nullable: true }) pupilRate!: number | null;
  @Field(() => Int, { nullable: true }) visits!: number | null;
  @Field(() => Int, { nullable: true }) users!: number | null;
  @Field() suppressed!: boolean;
}

@ObjectType()
export class EstablishmentRate {
  @Field() uai!: string;
  @Field() name!: string;
  @Field() departement!: string;
  @Field(() => ObservatorySectorEnum, { nullable: true }) sector!: ObservatorySectorEnum | null;
  @Field(() => RepStatusEnum) rep!: RepStatusEnum;
  @Field(() => Int) enrolledPupils!: number;
  @Field(() => Int, { nullable: true }) activePupils!: number | null;
  @Field(() => Float, { nullable: true }) pupilRate!: number | null;
  @Field(() => Int, { nullable: true }) visits!: number | null;
  @Field() suppressed!: boolean;
}

@ObjectType()
export class EquityView {
  @Field(() => ViewMeta) meta!: ViewMeta;
  @Field(() => Distribution) distribution!: Distribution;
  @Field(() => [GroupCell]) byRep!: GroupCell[];
  @Field(() => [GroupCell]) bySector!: GroupCell[];
  @Field(() => [GroupCell]) byDepartement!: GroupCell[];
  @Field(() => [EstablishmentRate]) lowest!: EstablishmentRate[];
}

@ObjectType()
export class CollegeContinuity {
  @Field() uai!: string;
  @Field() name!: string;
  @Field(() => Rate) continuity!: Rate;
}

@ObjectType()
export class ContinuityView {
  @Field(() => ViewMeta) meta!: ViewMeta;
  @Field() schoolYear!: string;
  @Field() previousSchoolYear!: string;
  @Field(() => Rate) cm2To6e!: Rate;
  @Field(() => [CollegeContinuity]) byCollege!: CollegeContinuity[];
  @Field(() => Rate) twoPlatforms!: Rate;
  @Field(() => Rate) outsideClassTime!: Rate;
  @Field(() => [TimeSlotCell]) timeSplit!: TimeSlotCell[];
  @Field(() => [HeatCell]) heatmap!: HeatCell[];
}

@ObjectType()
export class SpaceMix {
  @Field(() => Int, { nullable: true }) spaces!: number | null;
  @Field(() => Int, { nullable: true }) multiEstablishment!: number | null;
  @Field(() => Int, { nullable: true }) teacherOnly!: number | null;
  @Field(() => Int, { nullable: true }) pupilOnly!: number | null;
  @Field(() => Int, { nullable: true }) mixed!: number | null;
  @Field() suppressed!: boolean;
}

@ObjectType()
export class CollaborationView {
  @Field(() => ViewMeta) meta!: ViewMeta;
  @Field(() => Figures) total!: Figures;
  @Field(() => [ServiceCell]) byService!: ServiceCell[];
  @Field(() => [ProfileCell]) byProfile!: ProfileCell[];
  @Field(() => [PeriodPoint]) trend!: PeriodPoint[];
  @Field(() => SpaceMix) spaces!: SpaceMix;
}

@ObjectType()
export class ParentsView {
  @Field(() => ViewMeta) meta!: ViewMeta;
  @Field(() => Figures) figures!: Figures;
  @Field(() => Penetration) penetration!: Penetration;
  @Field(() => [ServiceCell]) byService!: ServiceCell[];
  @Field(() => [DeviceCell]) byDevice!: DeviceCell[];
  @Field(() => [PeriodPoint]) trend!: PeriodPoint[];
}

@ObjectType()
export class IndicatorRow {
  @Field(() => [String]) keys!: string[];
  @Field(() => [String]) labels!: string[];
  @Field(() => Float, { nullable: true }) value!: number | null;
  @Field(() => Int, { nullable: true }) users!: number | null;
  @Field() suppressed!: boolean;
}

@ObjectType()
export class IndicatorResult {
  @Field(() => ViewMeta) meta!: ViewMeta;
  @Field(() => MeasureEnum) measure!: MeasureEnum;
  @Field(() => [DimensionEnum]) dimensions!: DimensionEnum[];
  @Field(() => Figures) total!: Figures;
  @Field(() => [IndicatorRow]) rows!: IndicatorRow[];
}
