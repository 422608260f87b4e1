import { Module } from '@nestjs/common';
import type { Store } from '@ent-observatory/store';
import {
  Assignments,
  Attestations,
  Cmi5Launcher,
  Cmi5Sessions,
  Cohorts,
  CourseRepository,
  Learning,
  ParcoursBuilder,
  SessionFollowUp,
} from '@ent-observatory/training';
import { STORE } from '../common/tokens.js';
import { LrsModule } from '../lrs/lrs.module.js';
import { AssignmentsResolver } from './assignments.resolver.js';
import { AssignmentsService } from './assignments.service.js';
import { Cmi5CredentialExtension } from './cmi5-credential.extension.js';
import { IntegrationController } from './integration.controller.js';
import { LaunchRuntimeController } from './launch-runtime.controller.js';
import { LearnerResolver } from './learner.resolver.js';
import { NativeAuController } from './native-au.controller.js';
import { ParcoursResolver } from './parcours.resolver.js';
import { SessionsResolver } from './sessions.resolver.js';
import { LrsPortAdapter } from './lrs-port.adapter.js';
import { TrainingAccessService } from './training-access.service.js';

/**
 * How long an AU session's auth token lives at most (cmi5 §8.2.1: limited to the session). A session normally
 * ends with "terminated" or a relaunch long before; this bounds a token left behind by a closed browser.
 */
export const AU_SESSION_TTL_MS = 12 * 3600_000;

/** The distance-training space: the cmi5 LMS, its integration API, parcours, sessions and follow-up. */
@Module({
  imports: [LrsModule],
  controllers: [IntegrationController, LaunchRuntimeController, NativeAuController],
  providers: [
    LrsPortAdapter,
    TrainingAccessService,
    Cmi5CredentialExtension,
    ParcoursResolver,
    LearnerResolver,
    SessionsResolver,
    AssignmentsResolver,
    AssignmentsService,
    {
      provide: Assignments,
      inject: [STORE, CourseRepository, Cmi5Launcher, LrsPortAdapter],
      useFactory: (s: Store, c: CourseRepository, l: Cmi5Launcher, lrs: LrsPortAdapter) =>
        new Assignments(s, c, l, lrs),
    },
    {
      provide: ParcoursBuilder,
      inject: [CourseRepository],
      useFactory: (c: CourseRepository) => new ParcoursBuilder(c),
    },
    {
      provide: Learning,
      inject: [STORE, CourseRepository],
      useFactory: (s: Store, c: CourseRepository) => new Learning(s, c),
    },
    {
      provide: SessionFollowUp,
      inject: [STORE, CourseRepository],
      useFactory: (s: Store, c: CourseRepository) => new SessionFollowUp(s, c),
    },
    { provide: Attestations, inject: [STORE], useFactory: (s: Store) => new Attestations(s) },
    {
      provide: Cohorts,
      inject: [STORE, CourseRepository, Cmi5Launcher],
      useFactory: (s: Store, c: CourseRepository, l: Cmi5Launcher) => new Cohorts(s, c, l),
    },
    { provide: CourseRepository, inject: [STORE], useFactory: (store: Store) => new CourseRepository(store) },
    {
      provide: Cmi5Launcher,
      inject: [STORE, CourseRepository, LrsPortAdapter],
      useFactory: (store: Store, courses: CourseRepository, lrs: LrsPortAdapter) =>
        new Cmi5Launcher(store, courses, lrs, AU_SESSION_TTL_MS),
    },
    {
      provide: Cmi5Sessions,
      inject: [STORE, CourseRepository, Cmi5Launcher, LrsPortAdapter],
      useFactory: (store: Store, courses: CourseRepository, launcher: Cmi5Launcher, lrs: LrsPortAdapter) =>
        new Cmi5Sessions(store, courses, launcher, lrs),
    },
  ],
  exports: [CourseRepository, Cmi5Launcher, ParcoursBuilder, Cohorts],
})
export class TrainingModule {}
