export * from './vocabulary.js';
export * from './course-structure.js';
export * from './training.exception.js';
export { COURSE_STRUCTURE_XSD, CMI5_NAMESPACE, isAbsoluteIri, parseCourseStructure, type ParseOptions } from './parse-structure.js';
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
