import { Inject, UseFilters } from '@nestjs/common';
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Store, UserRepository } from '@ent-observatory/store';
import {
  Cmi5Launcher,
  Cohorts,
  CourseRepository,
  type EnrolmentReport,
  SessionFollowUp,
  TrainingErrorCode,
  TrainingException,
  trainingIndicators,
} from '@ent-observatory/training';
import { ANY_SIGNED_IN, Allow, type Principal } from '../auth/access.js';
import { CurrentPrincipal } from '../auth/access.guard.js';
import { Arg, Formats } from '../common/input/index.js';
import { ENV, STORE } from '../common/tokens.js';
import type { Env } from '../config/env.js';
import { TrainingGqlFilter } from './graphql-errors.filter.js';
import {
  EnrolmentReportModel,
  ReminderModel,
  SubmissionModel,
  SessionGridModel,
  ThreadModel,
  TrainerRef,
  TrainingCellModel,
  TrainingSessionInput,
  TrainingSessionModel,
} from './models.js';
import { TrainingAccessService } from './training-access.service.js';

/** Training sessions and their follow-up by trainers and tutors; the observatory's training figures. */
@Resolver()
@UseFilters(TrainingGqlFilter)
export class SessionsResolver {
  private readonly users: UserRepository;

  constructor(
    @Inject(STORE) private readonly store: Store,
    @Inject(ENV) private readonly env: Env,
    @Inject(CourseRepository) private readonly courses: CourseRepository,
    @Inject(Cohorts) private readonly cohorts: Cohorts,
    @Inject(SessionFollowUp) private readonly followUp: SessionFollowUp,
    @Inject(Cmi5Launcher) private readonly launcher: Cmi5Launcher,
    @Inject(TrainingAccessService) private readonly access: TrainingAccessService,
  ) {
    this.users = new UserRepository(store.db);
  }

  @Query(() => [TrainingSessionModel], { description: 'Sessions the caller trains or tutors (all for an admin).' })
  @Allow(['admin', 'trainer'])
  trainerSessions(@CurrentPrincipal() p: Principal): Promise<TrainingSessionModel[]> {
    return this.cohorts.listForStaff(this.access.userIdOf(p), this.access.isAdmin(p));
  }

  @Query(() => [TrainerRef], { description: 'Accounts that can train or tutor a session.' })
  @Allow(['admin', 'trainer'])
  trainers(): Promise<TrainerRef[]> {
    return this.store.query<TrainerRef>(
      `SELECT DISTINCT u.id, u.display_name AS "displayName", u.email FROM users u JOIN user_roles r ON r.user_id = u.id
       WHERE r.role = 'trainer' AND u.enabled ORDER BY 2`,
    );
  }

  @Mutation(() => ID)
  @Allow(['admin', 'trainer'])
  async createTrainingSession(
    @Arg('input', TrainingSessionInput) input: TrainingSessionInput,
    @CurrentPrincipal() p: Principal,
  ): Promise<string> {
    const course = await this.courses.find(input.courseId);
    if (!course) throw new TrainingException(TrainingErrorCode.NotFound, `no parcours ${input.courseId}`);
    this.access.assertCourse(p, course);
    const me = this.access.userIdOf(p);
    const trainerIds = me && !input.trainerIds.includes(me) ? [me, ...input.trainerIds] : input.trainerIds;
    return this.cohorts.create({ ...input, trainerIds }, me);
  }

  @Mutation(() => EnrolmentReportModel, { description: 'Enrols existing accounts by e-mail.' })
  @Allow(['admin', 'trainer'])
  async enrolLearners(
    @Args('sessionId', { type: () => ID }) sessionId: string,
    @Args('emails', { type: () => [String] }) emails: string[],
    @CurrentPrincipal() p: Principal,
  ): Promise<EnrolmentReport> {
    await this.access.assertSession(p, sessionId);
    return this.cohorts.enrolCsv(sessionId, emails.join('\n'), (email) => {
      throw new TrainingException(TrainingErrorCode.NotFound, `no account ${email}: enrol it by CSV to create it`);
    });
  }

  @Mutation(() => EnrolmentReportModel, { description: 'Enrols the learners of a CSV file (email;nom;uai).' })
  @Allow(['admin', 'trainer'])
  async enrolLearnersCsv(
    @Args('sessionId', { type: () => ID }) sessionId: string,
    @Arg('csv', Formats.paragraphs(2_000_000)) csv: string,
    @CurrentPrincipal() p: Principal,
  ): Promise<EnrolmentReport> {
    await this.access.assertSession(p, sessionId);
    return this.cohorts.enrolCsv(sessionId, csv, async (email, displayName) => {
      const user = await this.users.create({ email, displayName, roles: [{ role: 'learner', scope: '' }] });
      return { id: user.id, email: user.email, displayName: user.displayName };
    });
  }

  @Query(() => SessionGridModel, { description: 'Learners × activities: status, score, time, last activity.' })
  @Allow(['admin', 'trainer'])
  async sessionGrid(@Args('sessionId', { type: () => ID }) sessionId: string, @CurrentPrincipal() p: Principal) {
    await this.access.assertSession(p, sessionId);
    return this.followUp.grid(sessionId);
  }

  @Mutation(() => Boolean, { description: 'Waives an activity for a learner (cmi5 "waived", with its reason).' })
  @Allow(['admin', 'trainer'])
  async waiveTrainingActivity(
    @Args('sessionId', { type: () => ID }) sessionId: string,
    @Args('userId', { type: () => ID }) userId: string,
    @Args('auIndex', { type: () => Int }) auIndex: number,
    @Args('reason') reason: string,
    @CurrentPrincipal() p: Principal,
  ): Promise<boolean> {
    await this.access.assertSession(p, sessionId);
    const enrolment = await this.cohorts.enrolmentOf(sessionId, userId);
    await this.launcher.waive(enrolment.registration, auIndex, reason);
    return true;
  }

  @Mutation(() => Int, { description: 'Queues reminders to learners not_started or stalled; answers how many.' })
  @Allow(['admin', 'trainer'])
  async sendTrainingReminders(
    @Args('sessionId', { type: () => ID }) sessionId: string,
    @Args('reason') reason: string,
    @CurrentPrincipal() p: Principal,
  ): Promise<number> {
    await this.access.assertSession(p, sessionId);
    if (reason !== 'not_started' && reason !== 'stalled') {
      throw new TrainingException(TrainingErrorCode.InvalidInput, 'reason: not_started or stalled');
    }
    return this.followUp.remind(sessionId, reason, this.access.userIdOf(p));
  }

  @Query(() => [ReminderModel], { description: 'The reminders outbox of a session.' })
  @Allow(['admin', 'trainer'])
  async sessionReminders(@Args('sessionId', { type: () => ID }) sessionId: string, @CurrentPrincipal() p: Principal) {
    await this.access.assertSession(p, sessionId);
    return this.followUp.reminders(sessionId);
  }

  @Query(() => [SubmissionModel], { description: 'The files handed in to the « dépôt » activities of a session.' })
  @Allow(['admin', 'trainer'])
  async sessionSubmissions(
    @Arg('sessionId', Formats.uuid, { type: () => ID }) sessionId: string,
    @CurrentPrincipal() p: Principal,
  ) {
    await this.access.assertSession(p, sessionId);
    return this.followUp.submissions(sessionId);
  }

  @Query(() => [ThreadModel], { description: 'The discussion threads of a session (its staff and learners).' })
  @Allow(ANY_SIGNED_IN)
  async sessionThreads(@Args('sessionId', { type: () => ID }) sessionId: string, @CurrentPrincipal() p: Principal) {
    await this.assertMember(p, sessionId);
    return this.followUp.threads(sessionId);
  }

  @Mutation(() => ID)
  @Allow(ANY_SIGNED_IN)
  async startTrainingThread(
    @Args('sessionId', { type: () => ID }) sessionId: string,
    @Arg('title', Formats.text(300)) title: string,
    @Arg('body', Formats.paragraphs(20_000)) body: string,
    @CurrentPrincipal() p: Principal,
  ): Promise<string> {
    await this.assertMember(p, sessionId);
    return this.followUp.startThread(sessionId, p.userId, title, body);
  }

  @Mutation(() => Boolean)
  @Allow(ANY_SIGNED_IN)
  async replyTrainingThread(
    @Args('threadId', { type: () => ID }) threadId: string,
    @Arg('body', Formats.paragraphs(20_000)) body: string,
    @CurrentPrincipal() p: Principal,
  ): Promise<boolean> {
    await this.assertMember(p, await this.followUp.sessionOfThread(threadId));
    await this.followUp.reply(threadId, p.userId, body);
    return true;
  }

  @Query(() => [TrainingCellModel], {
    description: 'Training figures by academie, audience or parcours: learners, completed, hours; k-anonymised.',
  })
  @Allow(['admin', 'national', 'academy'])
  trainingIndicators(@Args('dimension') dimension: string, @CurrentPrincipal() p: Principal) {
    if (dimension !== 'academie' && dimension !== 'audience' && dimension !== 'parcours') {
      throw new TrainingException(TrainingErrorCode.InvalidInput, 'dimension: academie, audience or parcours');
    }
    const national = p.roles.some((r) => r.role === 'admin' || r.role === 'national');
    const academie = national ? undefined : p.roles.find((r) => r.role === 'academy')?.scope;
    return trainingIndicators(this.store, dimension, this.env.K_ANONYMITY, academie);
  }

  /** Staff of the session, or one of its learners. */
  private async assertMember(p: Principal, sessionId: string): Promise<void> {
    const [enrolled] = await this.store.query(
      'SELECT 1 FROM training_enrolments WHERE session_id::text = $1 AND user_id::text = $2',
      [sessionId, p.userId],
    );
    if (!enrolled) await this.access.assertSession(p, sessionId);
  }
}
