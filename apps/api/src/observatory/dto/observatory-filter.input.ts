import { Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Checked, Formats, listOf } from '../../common/input/index.js';

/** GraphQL enums of the observatory (docs/observatory-api.md); values map to the warehouse's in observatory-filter.ts. */
export const ProfileEnum = {
  ELEVE: 'ELEVE',
  PARENT: 'PARENT',
  ENSEIGNANT: 'ENSEIGNANT',
  PERSONNEL: 'PERSONNEL',
  AUTRE: 'AUTRE',
} as const;
export type ProfileEnum = (typeof ProfileEnum)[keyof typeof ProfileEnum];
registerEnumType(ProfileEnum, { name: 'Profile', description: 'DNMA user profiles; AUTRE = profile not reported' });

export const DeviceEnum = {
  ORDINATEUR: 'ORDINATEUR',
  SMARTPHONE: 'SMARTPHONE',
  TABLETTE: 'TABLETTE',
  AUTRE: 'AUTRE',
  INCONNU: 'INCONNU',
} as const;
export type DeviceEnum = (typeof DeviceEnum)[keyof typeof DeviceEnum];
registerEnumType(DeviceEnum, { name: 'Device', description: 'DNMA devices; INCONNU = device not reported' });

export const ObservatorySectorEnum = { PUBLIC: 'PUBLIC', PRIVATE: 'PRIVATE' } as const;
export type ObservatorySectorEnum = (typeof ObservatorySectorEnum)[keyof typeof ObservatorySectorEnum];
registerEnumType(ObservatorySectorEnum, { name: 'Sector' });

export const RepStatusEnum = { REP_PLUS: 'REP_PLUS', REP: 'REP', HORS_REP: 'HORS_REP' } as const;
export type RepStatusEnum = (typeof RepStatusEnum)[keyof typeof RepStatusEnum];
registerEnumType(RepStatusEnum, { name: 'RepStatus', description: 'Éducation prioritaire' });

export const GranularityEnum = { WEEK: 'WEEK', MONTH: 'MONTH', SCHOOL_YEAR: 'SCHOOL_YEAR' } as const;
export type GranularityEnum = (typeof GranularityEnum)[keyof typeof GranularityEnum];
registerEnumType(GranularityEnum, {
  name: 'Granularity',
  description: 'Trend periods: ISO weeks, months, school years (1 August – 31 July)',
});

export const SourceEnum = { OBSERVATORY: 'OBSERVATORY', DNMA: 'DNMA' } as const;
export type SourceEnum = (typeof SourceEnum)[keyof typeof SourceEnum];
registerEnumType(SourceEnum, { name: 'Source', description: 'DNMA = imported national open data' });

export const TerritoryLevelEnum = {
  NATIONAL: 'NATIONAL',
  REGION: 'REGION',
  ACADEMIE: 'ACADEMIE',
  DEPARTEMENT: 'DEPARTEMENT',
  ETABLISSEMENT: 'ETABLISSEMENT',
} as const;
export type TerritoryLevelEnum = (typeof TerritoryLevelEnum)[keyof typeof TerritoryLevelEnum];
registerEnumType(TerritoryLevelEnum, { name: 'TerritoryLevel' });

export const MeasureEnum = { VISITS: 'VISITS', USERS: 'USERS', DURATION_SECONDS: 'DURATION_SECONDS' } as const;
export type MeasureEnum = (typeof MeasureEnum)[keyof typeof MeasureEnum];
registerEnumType(MeasureEnum, { name: 'Measure' });

export const DimensionEnum = {
  PERIOD: 'PERIOD',
  PROFILE: 'PROFILE',
  SERVICE: 'SERVICE',
  DEVICE: 'DEVICE',
  REGION: 'REGION',
  ACADEMIE: 'ACADEMIE',
  DEPARTEMENT: 'DEPARTEMENT',
  UAI: 'UAI',
  SECTOR: 'SECTOR',
  REP: 'REP',
} as const;
export type DimensionEnum = (typeof DimensionEnum)[keyof typeof DimensionEnum];
registerEnumType(DimensionEnum, { name: 'Dimension' });

export const TimeSlotEnum = {
  SCHOOL_HOURS: 'SCHOOL_HOURS',
  EVENING: 'EVENING',
  WEEKEND: 'WEEKEND',
  HOLIDAYS: 'HOLIDAYS',
} as const;
export type TimeSlotEnum = (typeof TimeSlotEnum)[keyof typeof TimeSlotEnum];
registerEnumType(TimeSlotEnum, { name: 'TimeSlot' });

@InputType({ description: 'Period (Paris days, inclusive), territory and dimensions; fields combine with AND' })
export class ObservatoryFilter {
  @Field({ description: 'YYYY-MM-DD, Europe/Paris calendar day, inclusive' })
  @Checked(Formats.day)
  from!: string;
  @Field({ description: 'YYYY-MM-DD, inclusive' })
  @Checked(Formats.day)
  to!: string;
  @Field({ nullable: true, description: "Région code, e.g. '53'" })
  @Checked(Formats.region)
  region?: string;
  @Field({ nullable: true, description: "Académie code, e.g. '14'" })
  @Checked(Formats.academie)
  academie?: string;
  @Field({ nullable: true, description: "Département code, e.g. '035'" })
  @Checked(Formats.departement)
  departement?: string;
  @Field({ nullable: true, description: "UAI, e.g. '0352167R'" })
  @Checked(Formats.uai)
  uai?: string;
  @Field(() => [ProfileEnum], { nullable: true })
  profile?: ProfileEnum[];
  @Field(() => [String], { nullable: true, description: 'DNMA service suffixes or "autre"' })
  @Checked(listOf(Formats.text(40), 40))
  service?: string[];
  @Field(() => [DeviceEnum], { nullable: true })
  device?: DeviceEnum[];
  @Field(() => ObservatorySectorEnum, { nullable: true })
  sector?: ObservatorySectorEnum;
  @Field(() => [RepStatusEnum], { nullable: true })
  rep?: RepStatusEnum[];
  @Field(() => SourceEnum, { nullable: true, description: 'Default OBSERVATORY' })
  source?: SourceEnum;
}
