export * from './vocabulary.js';
export * from './course-structure.js';
export * from './training.exception.js';
export {
  COURSE_STRUCTURE_XSD,
  CMI5_NAMESPACE,
  isAbsoluteIri,
  parseCourseStructure,
  type ParseOptions,
} from './parse-structure.js';
export {
  DEFAULT_PACKAGE_LIMITS,
  contentTypeOf,
  packageFormatOf,
  packagePathOf,
  readCoursePackage,
  type CoursePackage,
  type PackageFile,
  type PackageFormat,
  type PackageLimits,
} from './course-package.js';
export { auSatisfied, evaluateMoveOn, type AuOutcome, type MoveOnResult } from './move-on.js';
export {
  Cmi5RuleViolation,
  checkAuStatements,
  type AuVerb,
  type SessionFacts,
  type SessionProgress,
  type StatementEffect,
} from './au-statement-rules.js';
export * from './lms-statements.js';
export { durationMs, isoDuration } from './duration.js';
export { courseXml, zipOf, type TestAu, type TestBlock } from './test-packages.js';
export {
  CourseRepository,
  LMS_IRI,
  lmsIdsFor,
  type Course,
  type CourseMeta,
  type CourseMode,
  type CourseOrigin,
  type NewCourse,
} from './course-repository.js';
export type { LrsPort } from './lrs-port.js';
export { RegistrationRepository, type Registration, type RegistrationAu } from './registrations.js';
export {
  CONTENT_PATH,
  Cmi5Launcher,
  FETCH_PATH,
  SESSION_KEY_PREFIX,
  absoluteAuUrl,
  type FetchAnswer,
  type LaunchRequest,
  type LaunchResult,
} from './cmi5-launch.js';
export { Cmi5Sessions, type SessionCredential, type StoreTicket } from './cmi5-session.js';
export { SessionAccessDenied, authorizeSessionRequest, sessionCanRead, type XapiRequest } from './session-access.js';
export { importCoursePackage } from './course-import.js';
export {
  NATIVE_AU_PATH,
  ParcoursBuilder,
  checkMeta,
  gradeQuiz,
  quizForLearner,
  type NewActivity,
  type QuizGrade,
} from './parcours.js';
export {
  Cohorts,
  TRAINING_ACTOR_HOME_PAGE,
  actorOfUser,
  type EnrolmentReport,
  type NewTrainingSession,
  type TrainingSessionSummary,
  type UserRef,
} from './cohorts.js';
export {
  Learning,
  activitiesOf,
  statusFrom,
  statusOf,
  type ActivityStatus,
  type ActivityView,
  type CatalogueFilter,
  type MyTraining,
  type OpenSession,
} from './learning.js';
export {
  STALLED_AFTER_DAYS,
  SessionFollowUp,
  type GridCell,
  type GridRow,
  type SessionGrid,
} from './session-follow-up.js';
export { Attestations, attestationPdf, newVerificationCode, type Attestation } from './attestations.js';
export { trainingIndicators, type TrainingCell, type TrainingDimension } from './training-indicators.js';
export { DEMO_MODULES, DEMO_PARCOURS, zipFolder } from './demo-course.js';
export {
  Assignments,
  handInIfDone,
  pupilIdentity,
  type AssignmentSummary,
  type NewAssignment,
  type PupilIdentity,
} from './assignments.js';
export {
  assignedStatement,
  endOfParisDay,
  handInStatements,
  homeworkIdOf,
  type Homework,
} from './homework-statements.js';
