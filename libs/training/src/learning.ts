import type { Store } from '@ent-observatory/store';
import { type AuNode, type NativeActivity, ausOf, blocksOf, textOf } from './course-structure.js';
import type { Course, CourseRepository } from './course-repository.js';
import { type RegistrationAu, RegistrationRepository } from './registrations.js';

/** How an activity stands for a learner: what the trainer's grid and « mes formations » show. */
export type ActivityStatus = 'not_started' | 'in_progress' | 'completed' | 'passed' | 'failed' | 'waived';

/** One status per cell, the most telling first: waived, then not started, passed, completed, failed. */
export function statusFrom(f: {
  launches: number;
  completed: boolean;
  passed: boolean;
  failed: boolean;
  waived: boolean;
}): ActivityStatus {
  if (f.waived) return 'waived';
  if (f.launches === 0) return 'not_started';
  if (f.passed) return 'passed';
  if (f.completed) return 'completed';
  if (f.failed) return 'failed';
  return 'in_progress';
}

export function statusOf(au: RegistrationAu | undefined): ActivityStatus {
  return au ? statusFrom(au) : 'not_started';
}

export interface ActivityView {
  auIndex: number;
  title: string;
  module: string;
  kind: NativeActivity['kind'] | 'cmi5';
  moveOn: string;
  launchMethod: string;
}

/** The activities of a parcours in document order, with their module's title. */
export function activitiesOf(course: Course): ActivityView[] {
  const moduleOf = new Map<number, string>();
  for (const { block, auIndexes } of blocksOf(course.structure)) {
    for (const i of auIndexes) if (!moduleOf.has(i)) moduleOf.set(i, textOf(block.title));
  }
  return ausOf(course.structure).map((au: AuNode) => ({
    auIndex: au.index,
    title: textOf(au.title),
    module: moduleOf.get(au.index) ?? '',
    kind: au.native?.kind ?? 'cmi5',
    moveOn: au.moveOn,
    launchMethod: au.launchMethod,
  }));
}

export interface CatalogueFilter {
  search?: string | undefined;
  mode?: string | undefined;
  origin?: string | undefined;
  audience?: string | undefined;
}

export interface OpenSession {
  id: string;
  name: string;
  startsOn: string | null;
  endsOn: string | null;
  selfEnrolment: boolean;
  enrolled: boolean;
}

export interface MyTraining {
  sessionId: string;
  sessionName: string;
  courseId: string;
  courseTitle: string;
  startsOn: string | null;
  endsOn: string | null;
  hours: number;
  registration: string;
  completedAt: Date | null;
  satisfied: number;
  activities: (ActivityView & {
    status: ActivityStatus;
    satisfied: boolean;
    scoreScaled: number | null;
    durationSeconds: number;
    lastActivityAt: Date | null;
  })[];
  /** The activity to resume: the last one worked on and not yet satisfied, else the first not satisfied. */
  resumeAuIndex: number | null;
  attestationCode: string | null;
  /** A teacher's assignment to the learner's class: due date, subject, and when it was handed in. */
  assignment: { classId: string; dueAt: Date; subject: string; auIndex: number | null; handedInAt: Date | null } | null;
}

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

/** The learner's side: the catalogue and « mes formations ». */
export class Learning {
  private readonly registrations: RegistrationRepository;

  constructor(
    private readonly store: Store,
    private readonly courses: CourseRepository,
  ) {
    this.registrations = new RegistrationRepository(store);
  }

  /** Published parcours matching the filter, each with its sessions still open. */
  async catalogue(userId: string, filter: CatalogueFilter): Promise<{ course: Course; sessions: OpenSession[] }[]> {
    const words = fold(filter.search ?? '')
      .split(/\s+/)
      .filter(Boolean);
    const courses = (await this.courses.list({ publishedOnly: true })).filter((c) => {
      const text = fold(`${c.title} ${c.description} ${c.objectives} ${c.audience}`);
      return (
        words.every((w) => text.includes(w)) &&
        (!filter.mode || c.mode === filter.mode) &&
        (!filter.origin || c.origin === filter.origin) &&
        (!filter.audience || fold(c.audience).includes(fold(filter.audience)))
      );
    });
    const sessions = await this.store.query<OpenSession & { courseId: string }>(
      `SELECT s.id, s.course_id AS "courseId", s.name, s.starts_on::text AS "startsOn", s.ends_on::text AS "endsOn",
         s.self_enrolment AS "selfEnrolment",
         EXISTS (SELECT 1 FROM training_enrolments e WHERE e.session_id = s.id AND e.user_id::text = $1) AS enrolled
       FROM training_sessions s WHERE s.class_id IS NULL AND (s.ends_on IS NULL OR s.ends_on >= current_date)
       ORDER BY s.starts_on NULLS FIRST`,
      [userId],
    );
    return courses.map((course) => ({
      course,
      sessions: sessions.filter((s) => s.courseId === course.id).map(({ courseId: _, ...s }) => s),
    }));
  }

  /** Every session the learner is enrolled in, with progress, results and where to resume. */
  async myTrainings(userId: string): Promise<MyTraining[]> {
    const rows = await this.store.query<{
      session_id: string;
      session_name: string;
      course_id: string;
      starts_on: string | null;
      ends_on: string | null;
      registration: string;
      satisfied_at: Date | string | null;
      code: string | null;
      class_id: string | null;
      due_at: Date | string | null;
      subject: string;
      au_index: number | null;
      handed_in_at: Date | string | null;
    }>(
      `SELECT e.session_id, s.name AS session_name, s.course_id, s.starts_on::text AS starts_on,
         s.ends_on::text AS ends_on, e.registration, r.satisfied_at, a.code, s.class_id, s.due_at, s.subject,
         s.au_index, e.handed_in_at
       FROM training_enrolments e JOIN training_sessions s ON s.id = e.session_id
       JOIN training_registrations r ON r.id = e.registration
       LEFT JOIN training_attestations a ON a.registration = e.registration
       WHERE e.user_id::text = $1 ORDER BY e.enrolled_at DESC`,
      [userId],
    );
    const out: MyTraining[] = [];
    for (const r of rows) {
      const course = await this.courses.cached(r.course_id);
      if (!course) continue;
      const aus = await this.registrations.aus(r.registration);
      // An assignment of one activity shows only that one.
      const shown = activitiesOf(course).filter((a) => r.au_index === null || a.auIndex === r.au_index);
      const activities = shown.map((a) => {
        const au = aus.get(a.auIndex);
        return {
          ...a,
          status: statusOf(au),
          satisfied: au?.satisfied ?? false,
          scoreScaled: au?.scoreScaled ?? null,
          durationSeconds: Math.round((au?.durationMs ?? 0) / 1000),
          lastActivityAt: au?.lastActivityAt ?? null,
        };
      });
      const open = activities.filter((a) => !a.satisfied);
      const latest = [...open].sort(
        (x, y) => (y.lastActivityAt?.getTime() ?? 0) - (x.lastActivityAt?.getTime() ?? 0),
      )[0];
      out.push({
        sessionId: r.session_id,
        sessionName: r.session_name,
        courseId: course.id,
        courseTitle: course.title,
        startsOn: r.starts_on,
        endsOn: r.ends_on,
        hours: course.hoursRemote + course.hoursOnsite,
        registration: r.registration,
        completedAt: r.satisfied_at === null ? null : new Date(r.satisfied_at),
        satisfied: activities.filter((a) => a.satisfied).length,
        activities,
        resumeAuIndex: latest?.lastActivityAt ? latest.auIndex : (open[0]?.auIndex ?? null),
        attestationCode: r.code,
        assignment:
          r.class_id && r.due_at
            ? {
                classId: r.class_id,
                dueAt: new Date(r.due_at),
                subject: r.subject,
                auIndex: r.au_index,
                handedInAt: r.handed_in_at === null ? null : new Date(r.handed_in_at),
              }
            : null,
      });
    }
    return out;
  }
}
