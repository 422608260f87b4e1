import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  ESTABLISHMENT_TYPES,
  type EstablishmentType,
  type Rep,
  SEARCH_MAX_LENGTH,
  SEARCH_MAX_WORDS,
  type Sector,
} from '@ent-observatory/directory';
import { Checked, Formats } from '../common/input/index.js';

export const EstablishmentTypeEnum = Object.fromEntries(ESTABLISHMENT_TYPES.map((t) => [t, t])) as {
  [K in EstablishmentType]: K;
};
registerEnumType(EstablishmentTypeEnum, {
  name: 'EstablishmentType',
  description: 'Normalised from the annuaire: écoles (maternelle, élémentaire, primaire), collège, lycée, LP, EREA',
});

export const SectorEnum = { public: 'public', private: 'private', unknown: 'unknown' } as const satisfies Record<
  Sector,
  Sector
>;
registerEnumType(SectorEnum, {
  // 'Sector' is the observatory filter's enum (docs/observatory-api.md): PUBLIC | PRIVATE.
  name: 'EstablishmentSector',
  description: 'public or private (sous contrat or not)',
});

export const RepEnum = { REP: 'REP', REP_PLUS: 'REP+', none: 'none' } as const;
registerEnumType(RepEnum, { name: 'Rep', description: 'Éducation prioritaire: REP, REP+ (REP_PLUS) or none' });

@ObjectType()
export class TypeCount {
  @Field(() => EstablishmentTypeEnum) type!: EstablishmentType;
  @Field(() => Int) establishments!: number;
}

@ObjectType({ isAbstract: true })
class TerritoryCountsModel {
  @Field() code!: string;
  @Field() name!: string;
  @Field(() => Int) establishments!: number;
  @Field(() => [TypeCount], { description: 'Establishments per type (types with none left out)' })
  byType!: TypeCount[];
  @Field(() => Int, { description: 'Pupils known from the latest enrolment totals, else the annuaire' })
  pupils!: number;
}

@ObjectType('Departement')
export class DepartementModel extends TerritoryCountsModel {}

@ObjectType('Academie')
export class AcademieModel extends TerritoryCountsModel {
  @Field(() => [DepartementModel]) departements!: DepartementModel[];
}

@ObjectType('Region')
export class RegionModel extends TerritoryCountsModel {
  @Field(() => [AcademieModel]) academies!: AcademieModel[];
}

@ObjectType('Establishment')
export class EstablishmentModel {
  @Field() uai!: string;
  @Field() name!: string;
  @Field(() => EstablishmentTypeEnum) type!: EstablishmentType;
  @Field(() => SectorEnum) sector!: Sector;
  @Field(() => RepEnum) rep!: Rep;
  @Field() status!: string;
  @Field() communeCode!: string;
  @Field() commune!: string;
  @Field() departement!: string;
  @Field() academie!: string;
  @Field() region!: string;
  @Field(() => Float, { nullable: true }) latitude!: number | null;
  @Field(() => Float, { nullable: true }) longitude!: number | null;
  @Field(() => Int, {
    nullable: true,
    description: "Pupils: the latest total enrolment of the open data, else the annuaire's undated count",
  })
  pupils!: number | null;
  @Field(() => String, {
    nullable: true,
    description: "School year of `pupils` ('2022-2023'); null for the annuaire's count",
  })
  pupilsYear!: string | null;
  @Field({ description: "ENT platform id, '' when unknown" }) platform!: string;
}

@ObjectType()
export class EstablishmentPage {
  @Field(() => Int) total!: number;
  @Field(() => [EstablishmentModel]) items!: EstablishmentModel[];
}

@ObjectType()
export class Enrolment {
  @Field() schoolYear!: string;
  @Field() level!: string;
  @Field(() => Int) pupils!: number;
}

@ObjectType()
export class LinkedEstablishment {
  @Field() uai!: string;
  @Field() name!: string;
  @Field(() => EstablishmentTypeEnum, { nullable: true }) type!: EstablishmentType | null;
  @Field({ description: 'how the link was found: commune, street or commune-majority' }) method!: string;
}

@ObjectType('SchoolClass')
export class SchoolClassModel {
  @Field() id!: string;
  @Field() name!: string;
  @Field() level!: string;
  @Field() schoolYear!: string;
  @Field() kind!: string;
  @Field(() => Int) pupils!: number;
  @Field(() => Int) teachers!: number;
}

@ObjectType()
export class ClassMemberModel {
  @Field({ description: 'pseudonymous id, never a name' }) memberId!: string;
  @Field() role!: string;
}

@ObjectType('EstablishmentDetail')
export class EstablishmentDetailModel extends EstablishmentModel {
  @Field() address!: string;
  @Field() postalCode!: string;
  @Field() natureLabel!: string;
  @Field() circonscription!: string;
  @Field() bassin!: string;
  @Field() departementName!: string;
  @Field() academieName!: string;
  @Field() regionName!: string;
  @Field(() => [Enrolment]) enrolments!: Enrolment[];
  @Field(() => [LinkedEstablishment], { description: 'For a primary school: the collège(s) of its sector' })
  sectorColleges!: LinkedEstablishment[];
  @Field(() => [LinkedEstablishment], { description: 'For a collège: the primary schools of its sector' })
  feederSchools!: LinkedEstablishment[];
  @Field(() => String, { nullable: true }) platformName!: string | null;
  @Field(() => [SchoolClassModel]) classes!: SchoolClassModel[];
}

@InputType()
export class EstablishmentSearchInput {
  @Field({
    nullable: true,
    description: `words of the name (at most ${SEARCH_MAX_WORDS} words, ${SEARCH_MAX_LENGTH} characters), accents and typos tolerated, best matches first`,
  })
  @Checked(Formats.searchWords(SEARCH_MAX_LENGTH, SEARCH_MAX_WORDS))
  text?: string;
  @Field({ nullable: true }) @Checked(Formats.uai) uai?: string;
  @Field({ nullable: true, description: 'INSEE code or name' }) @Checked(Formats.text(100)) commune?: string;
  @Field(() => EstablishmentTypeEnum, { nullable: true }) type?: EstablishmentType;
  @Field(() => SectorEnum, { nullable: true }) sector?: Sector;
  @Field(() => RepEnum, { nullable: true }) rep?: Rep;
  @Field({ nullable: true, description: 'académie code (2 digits)' }) @Checked(Formats.academie) academie?: string;
  @Field({ nullable: true, description: 'département code (3 characters, e.g. 035)' })
  @Checked(Formats.departement)
  departement?: string;
}
