import { Inject, UseFilters } from '@nestjs/common';
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import {
  type Course,
  type CourseMeta,
  CourseRepository,
  type NativeActivity,
  ParcoursBuilder,
  type QuizQuestion,
  TrainingErrorCode,
  TrainingException,
  activitiesOf,
  textOf,
} from '@ent-observatory/training';
import { Allow, type Principal } from '../auth/access.js';
import { CurrentPrincipal } from '../auth/access.guard.js';
import { Arg, Formats } from '../common/input/index.js';
import { TrainingGqlFilter } from './graphql-errors.filter.js';
import { ActivityInput, ParcoursDetail, ParcoursInput, ParcoursSummary } from './models.js';
import { TrainingAccessService } from './training-access.service.js';

export function summaryOf(c: Course): ParcoursSummary {
  return {
    id: c.id,
    kind: c.kind,
    title: c.title,
    description: c.description,
    objectives: c.objectives,
    audience: c.audience,
    hoursRemote: c.hoursRemote,
    hoursOnsite: c.hoursOnsite,
    mode: c.mode,
    origin: c.origin,
    originAcademie: c.originAcademie,
    published: c.published,
    activities: activitiesOf(c),
  };
}

function metaOf(input: ParcoursInput): CourseMeta {
  if (input.mode !== 'accompagne' && input.mode !== 'autoformation') {
    throw new TrainingException(TrainingErrorCode.InvalidInput, 'mode: accompagne or autoformation');
  }
  if (input.origin !== 'national' && input.origin !== 'academie') {
    throw new TrainingException(TrainingErrorCode.InvalidInput, 'origin: national or academie');
  }
  return { ...input, mode: input.mode, origin: input.origin };
}

function activityOf(input: ActivityInput): NativeActivity {
  switch (input.kind) {
    case 'page':
      return {
        kind: 'page',
        body: input.body,
        videoUrl: input.videoUrl || undefined,
        documentUrl: input.documentUrl || undefined,
      };
    case 'depot':
      return { kind: 'depot', instructions: input.instructions };
    case 'quiz':
      return {
        kind: 'quiz',
        intro: input.intro,
        questions: input.questions.map((q, i) => {
          if (!['single', 'multiple', 'truefalse', 'short'].includes(q.kind)) {
            throw new TrainingException(
              TrainingErrorCode.InvalidInput,
              `question ${i + 1}: kind single, multiple, truefalse or short`,
            );
          }
          return { ...q, id: `q${i + 1}`, kind: q.kind as QuizQuestion['kind'] };
        }),
      };
    default:
      throw new TrainingException(TrainingErrorCode.InvalidInput, 'kind: page, quiz or depot');
  }
}

/** Trainers build parcours: catalogue description, modules, native activities; admins see them all. */
@Resolver()
@UseFilters(TrainingGqlFilter)
export class ParcoursResolver {
  constructor(
    @Inject(CourseRepository) private readonly courses: CourseRepository,
    @Inject(TrainingAccessService) private readonly access: TrainingAccessService,
    @Inject(ParcoursBuilder) private readonly builder: ParcoursBuilder,
  ) {}

  @Query(() => [ParcoursSummary], { description: 'The parcours the caller manages (all of them for an admin).' })
  @Allow(['admin', 'trainer'])
  async managedParcours(@CurrentPrincipal() p: Principal): Promise<ParcoursSummary[]> {
    const all = await this.courses.list({ publishedOnly: false });
    return all.filter((c) => this.access.canManageCourse(p, c)).map(summaryOf);
  }

  @Query(() => ParcoursDetail)
  @Allow(['admin', 'trainer'])
  async parcours(
    @Args('id', { type: () => ID }) id: string,
    @CurrentPrincipal() p: Principal,
  ): Promise<ParcoursDetail> {
    const course = await this.courses.find(id);
    if (!course) throw new TrainingException(TrainingErrorCode.NotFound, `no parcours ${id}`);
    this.access.assertCourse(p, course);
    const modules = course.structure.children.flatMap((n) =>
      n.kind === 'block' ? [{ id: n.lmsId, title: textOf(n.title) }] : [],
    );
    return { ...summaryOf(course), modules };
  }

  @Mutation(() => ID)
  @Allow(['admin', 'trainer'])
  createParcours(@Arg('input', ParcoursInput) input: ParcoursInput, @CurrentPrincipal() p: Principal): Promise<string> {
    return this.builder.create(metaOf(input), this.access.userIdOf(p));
  }

  @Mutation(() => Boolean)
  @Allow(['admin', 'trainer'])
  async updateParcours(
    @Args('id', { type: () => ID }) id: string,
    @Arg('input', ParcoursInput) input: ParcoursInput,
    @CurrentPrincipal() p: Principal,
  ): Promise<boolean> {
    await this.assert(id, p);
    await this.builder.updateMeta(id, metaOf(input));
    return true;
  }

  @Mutation(() => ID, { description: 'Adds a module (a cmi5 block); answers its id.' })
  @Allow(['admin', 'trainer'])
  async addParcoursModule(
    @Args('courseId', { type: () => ID }) courseId: string,
    @Arg('title', Formats.text(300)) title: string,
    @CurrentPrincipal() p: Principal,
  ): Promise<string> {
    await this.assert(courseId, p);
    const key = await this.builder.addModule(courseId, title);
    const course = await this.courses.find(courseId);
    return course!.structure.children.find((n) => n.lmsId.endsWith(`/blocks/${key}`))!.lmsId;
  }

  @Mutation(() => Int, {
    description: 'Adds a native activity (an AU served by the training space); answers its auIndex.',
  })
  @Allow(['admin', 'trainer'])
  async addParcoursActivity(
    @Args('courseId', { type: () => ID }) courseId: string,
    @Args('moduleId', { type: () => ID }) moduleId: string,
    @Arg('input', ActivityInput) input: ActivityInput,
    @CurrentPrincipal() p: Principal,
  ): Promise<number> {
    await this.assert(courseId, p);
    return this.builder.addActivity(courseId, moduleId, {
      title: input.title,
      activity: activityOf(input),
      masteryScore: input.masteryScore ?? undefined,
    });
  }

  private async assert(courseId: string, p: Principal): Promise<void> {
    const course = await this.courses.find(courseId);
    if (!course) throw new TrainingException(TrainingErrorCode.NotFound, `no parcours ${courseId}`);
    this.access.assertCourse(p, course);
  }
}
