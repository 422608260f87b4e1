import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import {
  DeviceEnum,
  ObservatorySectorEnum,
  ProfileEnum,
  RepStatusEnum,
  TerritoryLevelEnum,
  TimeSlotEnum,
} from '../dto/observatory-filter.input.js';

@ObjectType()
export class Territory {
  @Field(() => TerritoryLevelEnum) level!: TerritoryLevelEnum;
  @Field({ description: "'' for NATIONAL" }) code!: string;
  @Field() name!: string;
}

@ObjectType({ description: 'What every view answers besides its figures' })
export class ViewMeta {
  @Field() from!: string;
  @Field() to!: string;
  @Field(() => Territory, { description: 'The territory the figures cover' }) territory!: Territory;
  @Field(() => Int, { description: 'K_ANONYMITY in force: cells under k distinct users are suppressed' }) k!: number;
  @Field({ description: 'Answered from the 30-second cache' }) cached!: boolean;
  @Field({ description: 'ISO date-time (UTC) when the figures were computed' }) generatedAt!: string;
  @Field(() => String, {
    nullable: true,
    description:
      'ISO date-time (UTC) before which every statement in ClickHouse is counted; null with source DNMA, or while the rollups of some statements were never computed',
  })
  asOf!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'First day (YYYY-MM-DD) whose person-level data is still kept (PERSON_ROLLUP_RETENTION_MONTHS); null when kept forever or with source DNMA. Figures of days before it are gone',
  })
  retainedFrom!: string | null;
  @Field({
    description:
      'The whole period lies before retainedFrom: its data has expired (« données expirées »), the figures are empty for that reason, not for lack of activity or statistical secrecy',
  })
  expired!: boolean;
}

@ObjectType({ isAbstract: true })
export class FiguresBase {
  @Field(() => Int, {
    nullable: true,
    description: 'Visits: per person, a new visit after 30 minutes without activity',
  })
  visits!: number | null;
  @Field(() => Int, { nullable: true, description: 'Distinct people over the whole cell' })
  users!: number | null;
  @Field(() => Float, { nullable: true, description: 'Mean duration per visit, seconds' })
  durationSeconds!: number | null;
  @Field({ description: 'Fewer than K_ANONYMITY distinct users (or recoverable by subtraction): figures null' })
  suppressed!: boolean;
}

@ObjectType({ description: 'A measure cell' })
export class Figures extends FiguresBase {}

@ObjectType()
export class ProfileCell extends FiguresBase {
  @Field(() => ProfileEnum) profile!: ProfileEnum;
  @Field() label!: string;
}

@ObjectType()
export class ServiceCell extends FiguresBase {
  @Field() service!: string;
  @Field() label!: string;
}

@ObjectType()
export class DeviceCell extends FiguresBase {
  @Field(() => DeviceEnum) device!: DeviceEnum;
  @Field() label!: string;
  @Field(() => Float, { nullable: true, description: "Share of the breakdown's visits, 0..1" }) share!: number | null;
}

@ObjectType({ description: 'One period of a trend: week (Monday), month (1st) or school year (1 August)' })
export class PeriodPoint extends FiguresBase {
  @Field({ description: 'First day, YYYY-MM-DD' }) period!: string;
  @Field() label!: string;
}

@ObjectType({ description: 'Active users over enrolment (directory pupil counts)' })
export class Penetration {
  @Field(() => Int) enrolledPupils!: number;
  @Field(() => Int, { nullable: true }) activePupils!: number | null;
  @Field(() => Float, { nullable: true }) pupilRate!: number | null;
  @Field(() => Int, { nullable: true }) activeParents!: number | null;
  @Field(() => Float, { nullable: true }) parentsPerPupil!: number | null;
  @Field() suppressed!: boolean;
  @Field() parentsSuppressed!: boolean;
  @Field(() => Int, { description: 'Establishments of the directory in the territory' }) establishments!: number;
  @Field(() => Int, { description: 'Establishments measured: the LRS received activity from them this school year' })
  measuredEstablishments!: number;
  @Field(() => Int, {
    description: 'Measured establishments whose enrolment is known: the rates divide by their enrolment (0 = no rate)',
  })
  ratedEstablishments!: number;
}

@ObjectType({ description: 'Hour × weekday heat map cell (Europe/Paris time), by visit start' })
export class HeatCell {
  @Field(() => Int, { description: '1 = Monday … 7 = Sunday' }) weekday!: number;
  @Field(() => Int) hour!: number;
  @Field(() => Int, { nullable: true }) visits!: number | null;
  @Field(() => Int, { nullable: true }) users!: number | null;
  @Field() suppressed!: boolean;
}

@ObjectType()
export class TimeSlotCell {
  @Field(() => TimeSlotEnum) slot!: TimeSlotEnum;
  @Field() label!: string;
  @Field(() => Int, { nullable: true }) visits!: number | null;
  @Field(() => Int, { nullable: true }) users!: number | null;
  @Field(() => Float, { nullable: true }) share!: number | null;
  @Field() suppressed!: boolean;
}

@ObjectType({ description: 'A rate count/base, suppressed when the base, the part or the rest is under k' })
export class Rate {
  @Field(() => Int, { nullable: true }) base!: number | null;
  @Field(() => Int, { nullable: true }) count!: number | null;
  @Field(() => Float, { nullable: true }) rate!: number | null;
  @Field() suppressed!: boolean;
}

@ObjectType()
export class ObservatoryEstablishment {
  @Field() uai!: string;
  @Field() name!: string;
  @Field() type!: string;
  @Field() typeLabel!: string;
  @Field(() => ObservatorySectorEnum, { nullable: true }) sector!: ObservatorySectorEnum | null;
  @Field(() => RepStatusEnum) rep!: RepStatusEnum;
  @Field() commune!: string;
  @Field() departement!: string;
  @Field() academie!: string;
  @Field() region!: string;
  @Field() platform!: string;
}
