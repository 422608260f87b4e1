import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { AlertCode } from '@ent-observatory/follow-up';

/** GraphQL types of the follow-up (docs/follow-up-api.md); the shapes of libs/follow-up's model. */
export const AlertCodeEnum = {
  INACTIVITY: 'inactivity',
  MISSING_HOMEWORK: 'missing-homework',
  LATE_HOMEWORK: 'late-homework',
  FALLING_SCORES: 'falling-scores',
} as const satisfies Record<string, AlertCode>;
registerEnumType(AlertCodeEnum, {
  name: 'AlertCode',
  description: 'INACTIVITY, MISSING_HOMEWORK, LATE_HOMEWORK, FALLING_SCORES (docs/follow-up-api.md, "Alerts")',
});

@ObjectType()
export class FollowUpClass {
  @Field() id!: string;
  @Field() uai!: string;
  @Field() name!: string;
  @Field() level!: string;
  @Field() schoolYear!: string;
  @Field({ description: 'class or group' }) kind!: string;
  @Field() establishmentName!: string;
}

@ObjectType()
export class FollowUpAlert {
  @Field(() => AlertCodeEnum) code!: AlertCode;
  @Field({ description: 'Paris day the situation started (YYYY-MM-DD)' }) since!: string;
  @Field({ description: 'Why, in French, with the figures' }) reason!: string;
  @Field() acknowledged!: boolean;
  @Field() note!: string;
}

@ObjectType()
export class HomeworkCountsModel {
  @Field(() => Int) assigned!: number;
  @Field(() => Int) done!: number;
  @Field(() => Int) late!: number;
  @Field(() => Int) missing!: number;
  @Field(() => Int, { description: 'not due yet, not handed in' }) pending!: number;
}

@ObjectType()
export class SubjectMeanModel {
  @Field() subject!: string;
  @Field(() => Float, { description: 'mean mark /20' }) mean!: number;
  @Field(() => Int) count!: number;
}

@ObjectType()
export class SoclePositioningModel {
  @Field({ description: 'LSU code: CPD_FRA, CPD_ETR, CPD_SCI, CPD_ART, MET_APP, FRM_CIT, SYS_NAT, REP_MND' })
  component!: string;
  @Field(() => Int, { description: '1–4, 0 = dispensé' }) level!: number;
  @Field() at!: string;
  @Field(() => Int) cycle!: number;
}

@ObjectType()
export class WeekVisitsModel {
  @Field({ description: 'Monday of the week (Paris)' }) week!: string;
  @Field(() => Int) visits!: number;
}

@ObjectType()
export class PupilSummaryModel {
  @Field() pupilId!: string;
  @Field() displayName!: string;
  @Field(() => String, { nullable: true }) lastActivityAt!: string | null;
  @Field(() => Int) visits!: number;
  @Field(() => [WeekVisitsModel]) visitsPerWeek!: WeekVisitsModel[];
  @Field(() => HomeworkCountsModel) homework!: HomeworkCountsModel;
  @Field(() => [SubjectMeanModel]) scores!: SubjectMeanModel[];
  @Field(() => [SoclePositioningModel], { description: 'latest positioning per component' })
  socle!: SoclePositioningModel[];
  @Field(() => [FollowUpAlert]) alerts!: FollowUpAlert[];
}

@ObjectType()
export class WorkloadDayModel {
  @Field({ description: 'Paris day the homework is due' }) day!: string;
  @Field() subject!: string;
  @Field(() => Int) count!: number;
  @Field(() => Int, { description: 'sum of the expected durations (minutes)' }) minutes!: number;
}

@ObjectType()
export class ClassFollowUpModel {
  @Field(() => FollowUpClass) class!: FollowUpClass;
  @Field() from!: string;
  @Field() to!: string;
  @Field(() => [PupilSummaryModel]) pupils!: PupilSummaryModel[];
  @Field(() => [WorkloadDayModel]) workload!: WorkloadDayModel[];
}

@ObjectType()
export class TimelineEntryModel {
  @Field() at!: string;
  @Field({ description: 'activity, submitted, scored, positioned' }) kind!: string;
  @Field() service!: string;
  @Field() title!: string;
  @Field() subject!: string;
  @Field() detail!: string;
}

@ObjectType()
export class HomeworkItemModel {
  @Field() id!: string;
  @Field() classId!: string;
  @Field() title!: string;
  @Field() subject!: string;
  @Field() assignedAt!: string;
  @Field() due!: string;
  @Field(() => Int, { nullable: true }) expectedMinutes!: number | null;
  @Field({ description: 'done, late, missing, pending' }) status!: string;
  @Field(() => String, { nullable: true }) submittedAt!: string | null;
  @Field(() => Int, { nullable: true }) lateHours!: number | null;
  @Field(() => Float, { nullable: true, description: '/20' }) mark!: number | null;
}

@ObjectType()
export class ScoreEntryModel {
  @Field() at!: string;
  @Field() subject!: string;
  @Field() title!: string;
  @Field(() => Float, { description: '/20' }) mark!: number;
  @Field({ description: 'assessment or homework' }) kind!: string;
}

@ObjectType()
export class CompetencePositioningModel {
  @Field() competence!: string;
  @Field() subject!: string;
  @Field(() => Int) level!: number;
  @Field() at!: string;
}

@ObjectType()
export class HandoverModel {
  @Field() schoolYear!: string;
  @Field() uai!: string;
  @Field() establishmentName!: string;
  @Field() classId!: string;
  @Field(() => [SoclePositioningModel]) socle!: SoclePositioningModel[];
  @Field(() => HomeworkCountsModel) homework!: HomeworkCountsModel;
  @Field(() => Float, { nullable: true }) meanMark!: number | null;
}

@ObjectType()
export class PupilFollowUpModel {
  @Field() pupilId!: string;
  @Field() displayName!: string;
  @Field(() => [FollowUpClass]) classes!: FollowUpClass[];
  @Field() from!: string;
  @Field() to!: string;
  @Field(() => String, { nullable: true }) lastActivityAt!: string | null;
  @Field(() => [WeekVisitsModel]) visitsPerWeek!: WeekVisitsModel[];
  @Field(() => [TimelineEntryModel]) timeline!: TimelineEntryModel[];
  @Field(() => [HomeworkItemModel]) homework!: HomeworkItemModel[];
  @Field(() => [ScoreEntryModel]) scores!: ScoreEntryModel[];
  @Field(() => [SoclePositioningModel]) socle!: SoclePositioningModel[];
  @Field(() => [CompetencePositioningModel]) competences!: CompetencePositioningModel[];
  @Field(() => [FollowUpAlert]) alerts!: FollowUpAlert[];
  @Field(() => HandoverModel, { nullable: true, description: "last school year's record (CM2 → 6e)" })
  handover!: HandoverModel | null;
}

@ObjectType()
export class FollowUpPupilRef {
  @Field() pupilId!: string;
  @Field() displayName!: string;
}

@ObjectType({ description: 'What the caller may open: their classes (teacher, head), their children or themself' })
export class FollowUpHomeModel {
  @Field(() => [FollowUpClass]) classes!: FollowUpClass[];
  @Field(() => [FollowUpPupilRef]) pupils!: FollowUpPupilRef[];
  @Field({ description: 'Paris day the current school year started' }) schoolYearStart!: string;
}

@ObjectType()
export class LsuSkippedPupil {
  @Field() pupilId!: string;
  @Field() displayName!: string;
  @Field(() => [String], { description: 'socle components not positioned in the period' }) missing!: string[];
}

@ObjectType({ description: "A class's socle positionings in the LSU import format (bilans-cycle)" })
export class LsuExportModel {
  @Field({ description: 'lsun-bilans XML, schemaVersion 10.0' }) xml!: string;
  @Field(() => Int) exported!: number;
  @Field(() => [LsuSkippedPupil]) skipped!: LsuSkippedPupil[];
}
