import { Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLScalarType } from 'graphql';
import { Checked, Formats, listOf } from '../common/input/index.js';

/**
 * A learner's row of grid cells, one tuple per activity: [status, scoreScaled | null, durationSeconds,
 * lastActivityAt | null]. One scalar per row instead of four fields per cell: a 1,000 × 20 grid is 20,000 cells,
 * and GraphQL resolving 80,000 fields took most of the request (bench/results/training-*.md).
 */
export const GridCellsScalar = new GraphQLScalarType({
  name: 'GridCells',
  description: 'One [status, scoreScaled|null, durationSeconds, lastActivityAt|null] tuple per activity of the grid',
  serialize: (cells) =>
    (
      cells as { status: string; scoreScaled: number | null; durationSeconds: number; lastActivityAt: string | null }[]
    ).map((c) => [c.status, c.scoreScaled, c.durationSeconds, c.lastActivityAt]),
});

@ObjectType()
export class TrainingActivity {
  @Field(() => Int) auIndex!: number;
  @Field() title!: string;
  @Field() module!: string;
  @Field({ description: 'page, quiz, depot, or cmi5 (an imported AU)' }) kind!: string;
  @Field() moveOn!: string;
  @Field() launchMethod!: string;
}

@ObjectType()
export class TrainingOpenSession {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) startsOn!: string | null;
  @Field(() => String, { nullable: true }) endsOn!: string | null;
  @Field() selfEnrolment!: boolean;
  @Field() enrolled!: boolean;
}

@ObjectType()
export class ParcoursSummary {
  @Field(() => ID) id!: string;
  @Field() kind!: string;
  @Field() title!: string;
  @Field() description!: string;
  @Field() objectives!: string;
  @Field() audience!: string;
  @Field(() => Float) hoursRemote!: number;
  @Field(() => Float) hoursOnsite!: number;
  @Field({ description: 'accompagne (tutored, dated sessions) or autoformation (self-paced)' }) mode!: string;
  @Field({ description: 'national or academie' }) origin!: string;
  @Field() originAcademie!: string;
  @Field() published!: boolean;
  @Field(() => [TrainingActivity]) activities!: TrainingActivity[];
}

@ObjectType('ParcoursModule')
export class ParcoursModuleModel {
  @Field(() => ID, { description: 'The LMS block id' }) id!: string;
  @Field() title!: string;
}

@ObjectType()
export class ParcoursDetail extends ParcoursSummary {
  @Field(() => [ParcoursModuleModel]) modules!: ParcoursModuleModel[];
}

@ObjectType()
export class CatalogueEntry {
  @Field(() => ParcoursSummary) parcours!: ParcoursSummary;
  @Field(() => [TrainingOpenSession]) sessions!: TrainingOpenSession[];
}

@ObjectType()
export class ActivityResult extends TrainingActivity {
  @Field({ description: 'not_started, in_progress, completed, passed, failed or waived' }) status!: string;
  @Field() satisfied!: boolean;
  @Field(() => Float, { nullable: true }) scoreScaled!: number | null;
  @Field(() => Int) durationSeconds!: number;
  @Field(() => Date, { nullable: true }) lastActivityAt!: Date | null;
}

@ObjectType()
export class PupilAssignmentModel {
  @Field() classId!: string;
  @Field(() => Date, { description: '23:59 Paris on the day it is due' }) dueAt!: Date;
  @Field({ description: 'A subject code of the ENT profile (docs/xapi-profile.md)' }) subject!: string;
  @Field(() => Int, { nullable: true, description: 'The one activity assigned; null: the whole parcours' })
  auIndex!: number | null;
  @Field(() => Date, { nullable: true }) handedInAt!: Date | null;
}

@ObjectType()
export class MyTrainingModel {
  @Field(() => ID) sessionId!: string;
  @Field() sessionName!: string;
  @Field() courseId!: string;
  @Field() courseTitle!: string;
  @Field(() => String, { nullable: true }) startsOn!: string | null;
  @Field(() => String, { nullable: true }) endsOn!: string | null;
  @Field(() => Float) hours!: number;
  @Field() registration!: string;
  @Field(() => Date, { nullable: true }) completedAt!: Date | null;
  @Field(() => Int) satisfied!: number;
  @Field(() => [ActivityResult]) activities!: ActivityResult[];
  @Field(() => Int, { nullable: true }) resumeAuIndex!: number | null;
  @Field(() => String, { nullable: true }) attestationCode!: string | null;
  @Field(() => PupilAssignmentModel, {
    nullable: true,
    description: "A teacher's assignment to the learner's class (homework): null for other sessions",
  })
  assignment!: PupilAssignmentModel | null;
}

@ObjectType()
export class TrainingLaunch {
  @Field() url!: string;
  @Field({ description: 'AnyWindow (the training space frames it) or OwnWindow (its own window)' })
  launchMethod!: string;
}

@ObjectType()
export class TrainingSessionModel {
  @Field(() => ID) id!: string;
  @Field() courseId!: string;
  @Field() courseTitle!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) startsOn!: string | null;
  @Field(() => String, { nullable: true }) endsOn!: string | null;
  @Field() selfEnrolment!: boolean;
  @Field(() => String, { nullable: true }) classId!: string | null;
  @Field(() => Int) learners!: number;
  @Field(() => Int) completed!: number;
}

@ObjectType()
export class GridRowModel {
  @Field(() => ID) userId!: string;
  @Field() displayName!: string;
  @Field() email!: string;
  @Field() registration!: string;
  @Field(() => String, { nullable: true }) completedAt!: string | null;
  @Field(() => String, { nullable: true }) lastActivityAt!: string | null;
  @Field(() => GridCellsScalar) cells!: {
    status: string;
    scoreScaled: number | null;
    durationSeconds: number;
    lastActivityAt: string | null;
  }[];
}

@ObjectType()
export class SessionGridModel {
  @Field(() => ID) sessionId!: string;
  @Field() sessionName!: string;
  @Field() courseId!: string;
  @Field() courseTitle!: string;
  @Field(() => [TrainingActivity]) activities!: TrainingActivity[];
  @Field(() => [GridRowModel]) rows!: GridRowModel[];
}

@ObjectType()
export class RejectedLine {
  @Field(() => Int) line!: number;
  @Field() value!: string;
  @Field() reason!: string;
}

@ObjectType()
export class EnrolmentReportModel {
  @Field(() => [String]) enrolled!: string[];
  @Field(() => [String]) alreadyEnrolled!: string[];
  @Field(() => [String]) created!: string[];
  @Field(() => [RejectedLine]) rejected!: RejectedLine[];
}

@ObjectType()
export class ReminderModel {
  @Field(() => ID) id!: string;
  @Field() email!: string;
  @Field() reason!: string;
  @Field() subject!: string;
  @Field() body!: string;
  @Field() createdAt!: string;
  @Field(() => String, { nullable: true }) sentAt!: string | null;
}

@ObjectType({
  description: 'A file a learner handed in to a « dépôt » activity (download: /formation/api/submissions/{id}).',
})
export class SubmissionModel {
  @Field(() => ID) id!: string;
  @Field(() => ID) userId!: string;
  @Field() displayName!: string;
  @Field() email!: string;
  @Field(() => Int) auIndex!: number;
  @Field() filename!: string;
  @Field(() => Int, { description: 'bytes' }) size!: number;
  @Field() submittedAt!: string;
}

@ObjectType()
export class PostModel {
  @Field(() => ID) id!: string;
  @Field() body!: string;
  @Field() author!: string;
  @Field() createdAt!: string;
}

@ObjectType()
export class ThreadModel {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field(() => [PostModel]) posts!: PostModel[];
}

@ObjectType()
export class AttestationModel {
  @Field() code!: string;
  @Field() learnerName!: string;
  @Field() courseTitle!: string;
  @Field() sessionName!: string;
  @Field(() => Float) hours!: number;
  @Field(() => String, { nullable: true }) startedOn!: string | null;
  @Field() completedOn!: string;
  @Field() issuedAt!: string;
}

@ObjectType()
export class TrainingCellModel {
  @Field() key!: string;
  @Field() label!: string;
  @Field(() => Int, { nullable: true, description: 'null when fewer than K_ANONYMITY learners (secret statistique)' })
  learners!: number | null;
  @Field(() => Int, { nullable: true }) completed!: number | null;
  @Field(() => Float, { nullable: true }) hours!: number | null;
  @Field() suppressed!: boolean;
}

@ObjectType()
export class TrainerRef {
  @Field(() => ID) id!: string;
  @Field() displayName!: string;
  @Field() email!: string;
}

/** Longest description, objective, question or message a trainer may write. */
const PARAGRAPHS = 20_000;
/** Longest page of a native activity (rich text). */
const PAGE_BODY = 200_000;

@InputType()
export class ParcoursInput {
  @Field() @Checked(Formats.text(300)) title!: string;
  @Field({ defaultValue: '' }) @Checked(Formats.paragraphs(PARAGRAPHS)) description!: string;
  @Field({ defaultValue: '' }) @Checked(Formats.paragraphs(PARAGRAPHS)) objectives!: string;
  @Field({ defaultValue: '' }) @Checked(Formats.paragraphs(PARAGRAPHS)) audience!: string;
  @Field(() => Float, { defaultValue: 0 }) hoursRemote!: number;
  @Field(() => Float, { defaultValue: 0 }) hoursOnsite!: number;
  @Field({ defaultValue: 'autoformation' }) mode!: string;
  @Field({ defaultValue: 'national' }) origin!: string;
  @Field({ defaultValue: '' }) originAcademie!: string;
  @Field({ defaultValue: false }) published!: boolean;
}

@InputType()
export class QuestionInput {
  @Field({ description: 'single, multiple, truefalse or short' }) kind!: string;
  @Field() @Checked(Formats.paragraphs(PARAGRAPHS)) prompt!: string;
  @Field(() => [String], { defaultValue: [] }) @Checked(listOf(Formats.paragraphs(1000), 50)) choices!: string[];
  @Field(() => [Int], { defaultValue: [] }) correct!: number[];
  @Field(() => [String], { defaultValue: [] }) @Checked(listOf(Formats.text(300), 50)) accepted!: string[];
  @Field({ defaultValue: '' }) @Checked(Formats.paragraphs(PARAGRAPHS)) feedbackRight!: string;
  @Field({ defaultValue: '' }) @Checked(Formats.paragraphs(PARAGRAPHS)) feedbackWrong!: string;
}

@InputType()
export class ActivityInput {
  @Field() @Checked(Formats.text(300)) title!: string;
  @Field({ description: 'page, quiz or depot' }) kind!: string;
  @Field({ defaultValue: '' }) @Checked(Formats.paragraphs(PAGE_BODY)) body!: string;
  @Field(() => String, { nullable: true }) @Checked(Formats.text(2000)) videoUrl?: string | null;
  @Field(() => String, { nullable: true }) @Checked(Formats.text(2000)) documentUrl?: string | null;
  @Field({ defaultValue: '' }) @Checked(Formats.paragraphs(PARAGRAPHS)) intro!: string;
  @Field({ defaultValue: '' }) @Checked(Formats.paragraphs(PARAGRAPHS)) instructions!: string;
  @Field(() => Float, { nullable: true }) masteryScore?: number | null;
  @Field(() => [QuestionInput], { defaultValue: [] }) @Checked(listOf(QuestionInput, 200)) questions!: QuestionInput[];
}

@InputType()
export class TrainingSessionInput {
  @Field() courseId!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) startsOn?: string | null;
  @Field(() => String, { nullable: true }) endsOn?: string | null;
  @Field({ defaultValue: false }) selfEnrolment!: boolean;
  @Field(() => [String], { defaultValue: [] }) trainerIds!: string[];
  @Field(() => [String], { defaultValue: [] }) tutorIds!: string[];
}

@ObjectType({
  description: "A teacher's assignment of a parcours or one activity to a class, with its pupils' progress",
})
export class AssignmentModel {
  @Field(() => ID) id!: string;
  @Field() classId!: string;
  @Field() courseId!: string;
  @Field() courseTitle!: string;
  @Field(() => Int, { nullable: true, description: 'The one activity assigned; null: the whole parcours' })
  auIndex!: number | null;
  @Field() title!: string;
  @Field() subject!: string;
  @Field(() => Date) dueAt!: Date;
  @Field(() => Date) assignedAt!: Date;
  @Field(() => Int, { description: 'Pupils of the class roster' }) pupils!: number;
  @Field(() => Int, { description: 'Pupils with an account, enrolled' }) enrolled!: number;
  @Field(() => Int) started!: number;
  @Field(() => Int, { description: 'Pupils whose assigned work is satisfied (homework handed in)' }) handedIn!: number;
  @Field(() => Int, { description: 'Of those, handed in after the due date' }) late!: number;
  @Field(() => Float, { nullable: true, description: 'Mean score 0–1 of the work handed in' })
  meanScore!: number | null;
}

@ObjectType()
export class AssignableClassModel {
  @Field() id!: string;
  @Field() name!: string;
  @Field() establishmentName!: string;
}

@ObjectType()
export class AssignableActivityModel {
  @Field(() => Int) auIndex!: number;
  @Field() title!: string;
  @Field() module!: string;
  @Field() kind!: string;
}

@ObjectType()
export class AssignableParcoursModel {
  @Field() id!: string;
  @Field() title!: string;
  @Field(() => Float) hours!: number;
  @Field(() => [AssignableActivityModel]) activities!: AssignableActivityModel[];
}

@ObjectType()
export class SubjectModel {
  @Field() code!: string;
  @Field() label!: string;
}

@ObjectType({ description: 'What a teacher may assign, and to which classes' })
export class AssignmentOptionsModel {
  @Field(() => [AssignableClassModel]) classes!: AssignableClassModel[];
  @Field(() => [AssignableParcoursModel], { description: 'Published parcours with their activities' })
  parcours!: AssignableParcoursModel[];
  @Field(() => [SubjectModel]) subjects!: SubjectModel[];
}
