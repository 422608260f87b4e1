import { randomUUID } from 'node:crypto';
import { readCoursePackage, type PackageFormat, type PackageLimits, DEFAULT_PACKAGE_LIMITS } from './course-package.js';
import { textOf } from './course-structure.js';
import { type CourseMeta, type CourseRepository, lmsIdsFor } from './course-repository.js';

/**
 * Imports a cmi5 course package as a parcours (cmi5 §6.1, §14): validated whole before anything is written, then
 * written in one transaction. The parcours starts unpublished; its catalogue description is the course's.
 */
export async function importCoursePackage(
  courses: CourseRepository,
  body: Buffer,
  format: PackageFormat,
  createdBy: string | null,
  limits: PackageLimits = DEFAULT_PACKAGE_LIMITS,
  meta: Partial<CourseMeta> = {},
): Promise<string> {
  const id = randomUUID();
  const pkg = await readCoursePackage(body, format, lmsIdsFor(id), limits);
  await courses.insert({
    id,
    kind: 'imported',
    structure: pkg.structure,
    xml: pkg.xml,
    files: pkg.files,
    createdBy,
    title: textOf(pkg.structure.course.title) || pkg.structure.course.publisherId,
    description: textOf(pkg.structure.course.description),
    objectives: '',
    audience: '',
    hoursRemote: 1,
    hoursOnsite: 0,
    mode: 'autoformation',
    origin: 'national',
    originAcademie: '',
    published: false,
    ...meta,
  });
  return id;
}
