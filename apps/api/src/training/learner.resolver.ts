import { Inject, UseFilters } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Assignments, Attestations, Cmi5Launcher, Cohorts, Learning } from '@ent-observatory/training';
import type { FastifyRequest } from 'fastify';
import { ANY_SIGNED_IN, Allow, type Principal } from '../auth/access.js';
import { CurrentPrincipal } from '../auth/access.guard.js';
import { publicBaseUrl } from './base-url.js';
import { TrainingGqlFilter } from './graphql-errors.filter.js';
import { AttestationModel, CatalogueEntry, MyTrainingModel, TrainingLaunch } from './models.js';
import { summaryOf } from './parcours.resolver.js';

/** What every signed-in person does as a learner: browse, enrol, train, get an attestation. */
@Resolver()
@UseFilters(TrainingGqlFilter)
export class LearnerResolver {
  constructor(
    @Inject(Learning) private readonly learning: Learning,
    @Inject(Cohorts) private readonly cohorts: Cohorts,
    @Inject(Cmi5Launcher) private readonly launcher: Cmi5Launcher,
    @Inject(Attestations) private readonly attestations: Attestations,
    @Inject(Assignments) private readonly assignments: Assignments,
  ) {}

  @Query(() => [CatalogueEntry], { description: 'Published parcours with their open sessions, filtered.' })
  @Allow(ANY_SIGNED_IN)
  async trainingCatalogue(
    @CurrentPrincipal() p: Principal,
    @Args('search', { nullable: true }) search?: string,
    @Args('mode', { nullable: true }) mode?: string,
    @Args('origin', { nullable: true }) origin?: string,
    @Args('audience', { nullable: true }) audience?: string,
  ): Promise<CatalogueEntry[]> {
    const entries = await this.learning.catalogue(p.userId, { search, mode, origin, audience });
    return entries.map((e) => ({ parcours: summaryOf(e.course), sessions: e.sessions }));
  }

  @Query(() => [MyTrainingModel], { description: '« Mes formations »: progress, results, where to resume.' })
  @Allow(ANY_SIGNED_IN)
  async myTrainings(@CurrentPrincipal() p: Principal): Promise<MyTrainingModel[]> {
    // A pupil whose account came after an assignment to their class gets it now.
    if (p.roles.some((r) => r.role === 'pupil')) await this.assignments.syncPupil(p.userId);
    return this.learning.myTrainings(p.userId);
  }

  @Mutation(() => Boolean, { description: 'Self-enrolment in an open session (autoformation).' })
  @Allow(ANY_SIGNED_IN)
  async selfEnrol(@Args('sessionId', { type: () => ID }) sessionId: string, @CurrentPrincipal() p: Principal) {
    await this.cohorts.selfEnrol(sessionId, { id: p.userId, email: p.email, displayName: p.displayName });
    return true;
  }

  @Mutation(() => TrainingLaunch, { description: 'Launches an activity of the caller’s session (a cmi5 launch).' })
  @Allow(ANY_SIGNED_IN)
  async launchTrainingActivity(
    @Args('sessionId', { type: () => ID }) sessionId: string,
    @Args('auIndex', { type: () => Int }) auIndex: number,
    @CurrentPrincipal() p: Principal,
    @Context('req') req: FastifyRequest,
  ): Promise<TrainingLaunch> {
    const enrolment = await this.cohorts.enrolmentOf(sessionId, p.userId, auIndex);
    const base = publicBaseUrl(req);
    const launched = await this.launcher.launch({
      courseId: enrolment.course_id,
      auIndex,
      actor: enrolment.actor,
      registration: enrolment.registration,
      baseUrl: base,
      returnUrl: `${base}/formation/mes-formations/${sessionId}`,
      userId: p.userId,
      extras: enrolment.extras,
    });
    return { url: launched.url, launchMethod: launched.launchMethod };
  }

  @Mutation(() => AttestationModel, { description: 'The attestation of a completed parcours (issued once).' })
  @Allow(ANY_SIGNED_IN)
  issueAttestation(@Args('sessionId', { type: () => ID }) sessionId: string, @CurrentPrincipal() p: Principal) {
    return this.attestations.issue(sessionId, p.userId);
  }
}
