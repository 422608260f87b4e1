import { Inject } from '@nestjs/common';
import { Args, Float, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AlertCode } from '@ent-observatory/follow-up';
import { Allow, type Principal } from '../auth/access.js';
import { CurrentPrincipal } from '../auth/access.guard.js';
import { Arg, Formats } from '../common/input/index.js';
import { Cost } from '../graphql-limits/cost.js';
import { FollowUpService } from './follow-up.service.js';
import { AlertCodeEnum, ClassFollowUpModel, FollowUpHomeModel, LsuExportModel, PupilFollowUpModel } from './models.js';

/** Roles that follow pupils individually; the service checks each class and pupil against the grants. */
const FOLLOWERS = ['teacher', 'establishment'] as const;
const FOLLOW_UP_READERS = ['teacher', 'establishment', 'parent', 'pupil'] as const;

/** Roster member ids: what the directory's importer accepts (letters, digits, - _ . :). */
const PUPIL_ID = Formats.text(100);

/**
 * Teachers' follow-up of their pupils (docs/follow-up-api.md): one round trip per page. Costs are the CPU
 * milliseconds of a page on a 10M-statement store (bench/results/follow-up-*.md), as for the observatory's views.
 */
@Resolver()
export class FollowUpResolver {
  constructor(@Inject(FollowUpService) private readonly service: FollowUpService) {}

  @Query(() => FollowUpHomeModel, { description: 'The classes and pupils you may open' })
  @Allow(FOLLOW_UP_READERS)
  @Cost(2)
  followUpHome(@CurrentPrincipal() p: Principal): Promise<FollowUpHomeModel> {
    return this.service.home(p);
  }

  @Query(() => ClassFollowUpModel, { description: 'A class or group: its pupils with their figures, its workload' })
  @Allow(FOLLOWERS)
  @Cost(30)
  classFollowUp(
    @CurrentPrincipal() p: Principal,
    @Arg('classId', Formats.classId) classId: string,
    @Arg('from', Formats.day) from: string,
    @Arg('to', Formats.day) to: string,
  ): Promise<ClassFollowUpModel> {
    return this.service.classFollowUp(p, classId, from, to);
  }

  @Query(() => LsuExportModel, { description: "The class's socle positionings in the LSU import format" })
  @Allow(FOLLOWERS)
  @Cost(30)
  classLsuExport(
    @CurrentPrincipal() p: Principal,
    @Arg('classId', Formats.classId) classId: string,
    @Arg('from', Formats.day) from: string,
    @Arg('to', Formats.day) to: string,
  ): Promise<LsuExportModel> {
    return this.service.classLsuExport(p, classId, from, to);
  }

  @Query(() => PupilFollowUpModel, { description: 'One pupil: timeline, homework, marks, positionings, alerts' })
  @Allow(FOLLOW_UP_READERS)
  @Cost(15)
  pupilFollowUp(
    @CurrentPrincipal() p: Principal,
    @Arg('pupilId', PUPIL_ID) pupilId: string,
    @Arg('from', Formats.day) from: string,
    @Arg('to', Formats.day) to: string,
  ): Promise<PupilFollowUpModel> {
    return this.service.pupilFollowUp(p, pupilId, from, to);
  }

  @Mutation(() => Boolean, { description: "Sets an alert rule's threshold for your establishment (heads of school)" })
  @Allow(['establishment'], (args) => ({ uai: String(args.uai).toUpperCase() }))
  @Cost(1)
  setFollowUpAlertThreshold(
    @CurrentPrincipal() p: Principal,
    @Arg('uai', Formats.uai) uai: string,
    @Args('code', { type: () => AlertCodeEnum }) code: AlertCode,
    @Args('threshold', { type: () => Float }) threshold: number,
  ): Promise<boolean> {
    return this.service.setThreshold(p, uai.toUpperCase(), code, threshold);
  }

  @Mutation(() => Boolean, { description: 'Marks an alert as seen, with a note (teachers and heads of school)' })
  @Allow(FOLLOWERS)
  @Cost(1)
  acknowledgeFollowUpAlert(
    @CurrentPrincipal() p: Principal,
    @Arg('pupilId', PUPIL_ID) pupilId: string,
    @Args('code', { type: () => AlertCodeEnum }) code: AlertCode,
    @Arg('since', Formats.day) since: string,
    @Arg('note', Formats.text(1000)) note: string,
  ): Promise<boolean> {
    return this.service.acknowledge(p, pupilId, code, since, note);
  }
}
