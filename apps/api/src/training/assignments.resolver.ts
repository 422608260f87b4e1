import { Inject, UseFilters } from '@nestjs/common';
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, type Principal } from '../auth/access.js';
import { CurrentPrincipal } from '../auth/access.guard.js';
import { Arg, Formats } from '../common/input/index.js';
import { AssignmentsService } from './assignments.service.js';
import { TrainingGqlFilter } from './graphql-errors.filter.js';
import { AssignmentModel, AssignmentOptionsModel } from './models.js';

/** Teachers → pupils: assign a parcours or one activity to a class with a due date, and follow it. */
@Resolver()
@UseFilters(TrainingGqlFilter)
export class AssignmentsResolver {
  constructor(@Inject(AssignmentsService) private readonly service: AssignmentsService) {}

  @Query(() => AssignmentOptionsModel, { description: 'Your classes, the published parcours and the subjects' })
  @Allow(['teacher'])
  assignmentOptions(@CurrentPrincipal() p: Principal): Promise<AssignmentOptionsModel> {
    return this.service.options(p);
  }

  @Query(() => [AssignmentModel], { description: "A class's assignments with how many pupils handed their work in" })
  @Allow(['teacher', 'establishment'], (args) => ({ classId: String(args.classId) }))
  classAssignments(
    @CurrentPrincipal() p: Principal,
    @Arg('classId', Formats.classId) classId: string,
  ): Promise<AssignmentModel[]> {
    return this.service.listForClass(p, classId);
  }

  @Mutation(() => ID, { description: 'Assigns a parcours (or one of its activities) to your class, due on a day' })
  @Allow(['teacher'], (args) => ({ classId: String(args.classId) }))
  assignTraining(
    @CurrentPrincipal() p: Principal,
    @Arg('classId', Formats.classId) classId: string,
    @Arg('courseId', Formats.courseId) courseId: string,
    @Arg('dueOn', Formats.day) dueOn: string,
    @Arg('subject', Formats.text(40)) subject: string,
    @Args('auIndex', { type: () => Int, nullable: true }) auIndex?: number | null,
  ): Promise<string> {
    return this.service.assign(p, { classId, courseId, dueOn, subject, auIndex: auIndex ?? null });
  }
}
