import { randomUUID } from 'node:crypto';
import type { Query, Store } from '@ent-observatory/store';
import { type Actor, ENT_CONTEXT_EXTENSIONS as CX, SUBJECTS } from '@ent-observatory/xapi';
import type { Cmi5Launcher } from './cmi5-launch.js';
import { actorOfUser } from './actors.js';
import { auAt, textOf } from './course-structure.js';
import type { Course, CourseRepository } from './course-repository.js';
import { type Homework, assignedStatement, endOfParisDay, handInStatements } from './homework-statements.js';
import type { ContextExtras, Statement } from './lms-statements.js';
import type { LrsPort } from './lrs-port.js';
import { RegistrationRepository } from './registrations.js';
import { TrainingErrorCode, TrainingException } from './training.exception.js';

export interface NewAssignment {
  classId: string;
  courseId: string;
  /** One activity of the parcours (its AU position), or null for the whole parcours. */
  auIndex: number | null;
  /** The Paris day it is due: the homework is due at 23:59 that day. */
  dueOn: string;
  /** A subject code of the ENT profile (docs/xapi-profile.md). */
  subject: string;
}

export interface AssignmentSummary {
  id: string;
  classId: string;
  courseId: string;
  courseTitle: string;
  auIndex: number | null;
  title: string;
  subject: string;
  dueAt: Date;
  assignedAt: Date;
  /** Pupils of the class roster. */
  pupils: number;
  /** Pupils with an account of the training space, enrolled. */
  enrolled: number;
  started: number;
  handedIn: number;
  late: number;
  /** Mean of the scores handed in (0–1), null when none. */
  meanScore: number | null;
}

/** A pupil of the training space: who they are in xAPI, and the ENT profile's context their statements carry. */
export interface PupilIdentity {
  actor: Actor;
  extras: ContextExtras;
}

function invalid(message: string): TrainingException {
  return new TrainingException(TrainingErrorCode.InvalidInput, message);
}

/**
 * How a pupil of a class appears in xAPI, so that their training statements land on the same pseudonym as the
 * follow-up computes from the roster (libs/follow-up roster.ts pupilPseudonym): the roster's `person` id as the
 * profile's person extension; else their ENT account as the actor; never a name. Undefined when the user is not a
 * pupil of that class.
 */
export async function pupilIdentity(q: Query, userId: string, classId: string): Promise<PupilIdentity | undefined> {
  const [row] = await q<{ person_id: string; ent_account: string; uai: string }>(
    `SELECT m.person_id, m.ent_account, c.uai FROM user_roles r
       JOIN class_members m ON m.member_id = r.scope AND m.role = 'pupil'
       JOIN school_classes c ON c.id = m.class_id
      WHERE r.user_id::text = $1 AND r.role = 'pupil' AND m.class_id = $2 LIMIT 1`,
    [userId, classId],
  );
  if (!row) return undefined;
  const extras: ContextExtras = { [CX.uai]: row.uai, [CX.class]: classId, [CX.profile]: 'ELEVE' };
  const person = row.person_id.trim();
  if (person) return { actor: actorOfUser(userId), extras: { ...extras, [CX.person]: person } };
  const [homePage, name] = row.ent_account.trim().split('|');
  if (homePage && name) return { actor: { objectType: 'Agent', account: { homePage, name } }, extras };
  return { actor: actorOfUser(userId), extras };
}

interface AssignmentRow {
  id: string;
  course_id: string;
  class_id: string;
  au_index: number | null;
  name: string;
  subject: string;
  due_at: Date | string;
  created_by: string | null;
  uai: string;
}

/**
 * Teachers → pupils: a teacher assigns a parcours, or one activity of it, to their class with a due date. The
 * assignment is a training session of the class; its pupils with an account are enrolled (now, or when they
 * next open « mes formations »); the LMS records it as homework ("assigned") and each pupil's hand-in
 * ("submitted", "scored") when their work is satisfied, so the follow-up pages count it as homework and marks.
 */
export class Assignments {
  private readonly registrations: RegistrationRepository;

  constructor(
    private readonly store: Store,
    private readonly courses: CourseRepository,
    private readonly launcher: Cmi5Launcher,
    private readonly lrs: LrsPort,
  ) {
    this.registrations = new RegistrationRepository(store);
  }

  /** Creates the assignment, records "assigned", enrols the class's pupils who have an account. */
  async assign(input: NewAssignment, teacherId: string, now = new Date()): Promise<string> {
    const { course, au, due, uai } = await this.checked(input, now);
    const id = randomUUID();
    const title = au ? textOf(au.title) : course.title;
    const row: AssignmentRow = {
      id,
      course_id: course.id,
      class_id: input.classId,
      au_index: input.auIndex,
      name: title,
      subject: input.subject,
      due_at: due,
      created_by: teacherId,
      uai,
    };
    await this.store.query(
      `INSERT INTO training_sessions (id, course_id, name, starts_on, self_enrolment, class_id, due_at, au_index,
         subject, created_by, created_at) VALUES ($1, $2, $3, $4, false, $5, $6, $7, $8, $9, $10)`,
      [
        id,
        course.id,
        title,
        now.toISOString().slice(0, 10),
        input.classId,
        due,
        input.auIndex,
        input.subject,
        teacherId,
        now,
      ],
    );
    // Outside any transaction (the LRS's insert waits for its group commit): an "assigned" statement the LRS refused
    // takes its assignment away with it.
    try {
      await this.lrs.storeStatements([assignedStatement(homeworkOf(row, course), actorOfUser(teacherId), now)]);
    } catch (e) {
      await this.store.query('DELETE FROM training_sessions WHERE id = $1', [id]);
      throw e;
    }
    const pupils = await this.store.query<{ user_id: string }>(
      `SELECT DISTINCT r.user_id::text AS user_id FROM class_members m
         JOIN user_roles r ON r.role = 'pupil' AND r.scope = m.member_id
        WHERE m.class_id = $1 AND m.role = 'pupil'`,
      [input.classId],
    );
    for (const p of pupils) await this.enrolPupil(row, course, p.user_id);
    return id;
  }

  /** What an assignment needs, checked: a published parcours, its activity, a subject, a day to come, a class. */
  private async checked(input: NewAssignment, now: Date) {
    const course = await this.courses.find(input.courseId);
    if (!course?.published)
      throw new TrainingException(TrainingErrorCode.NotFound, `no published parcours ${input.courseId}`);
    const au = input.auIndex === null ? undefined : auAt(course.structure, input.auIndex);
    if (input.auIndex !== null && !au) throw invalid(`activité ${input.auIndex} : le parcours n’en a pas`);
    if (!Object.hasOwn(SUBJECTS, input.subject)) throw invalid(`matière « ${input.subject} » inconnue`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.dueOn)) throw invalid(`date « ${input.dueOn} » : format AAAA-MM-JJ`);
    const due = endOfParisDay(input.dueOn);
    if (due.getTime() < now.getTime()) throw invalid('la date de remise est déjà passée');
    const [cls] = await this.store.query<{ uai: string }>('SELECT uai FROM school_classes WHERE id = $1', [
      input.classId,
    ]);
    if (!cls) throw new TrainingException(TrainingErrorCode.NotFound, `no class ${input.classId}`);
    return { course, au, due, uai: cls.uai };
  }

  /** Enrols a pupil in the assignments of their classes they are not enrolled in yet (accounts made later). */
  async syncPupil(userId: string): Promise<void> {
    const rows = await this.store.query<AssignmentRow>(
      `${ASSIGNMENT_SELECT}
        WHERE s.class_id IN (SELECT m.class_id FROM user_roles r
                               JOIN class_members m ON m.member_id = r.scope AND m.role = 'pupil'
                              WHERE r.user_id::text = $1 AND r.role = 'pupil')
          AND NOT EXISTS (SELECT 1 FROM training_enrolments e WHERE e.session_id = s.id AND e.user_id::text = $1)`,
      [userId],
    );
    for (const row of rows) {
      const course = await this.courses.cached(row.course_id);
      if (course) await this.enrolPupil(row, course, userId);
    }
  }

  /** The assignments of a class, newest due first, with how far its pupils got. */
  async listForClass(classId: string): Promise<AssignmentSummary[]> {
    const rows = await this.store.query<
      AssignmentRow & {
        course_title: string;
        created_at: Date | string;
        pupils: number;
        enrolled: number;
        started: number;
        handed_in: number;
        late: number;
        mean_score: number | null;
      }
    >(
      `SELECT s.id, s.course_id, c.title AS course_title, s.class_id, s.au_index, s.name, s.subject, s.due_at,
         s.created_at,
         (SELECT count(*)::int FROM class_members m WHERE m.class_id = s.class_id AND m.role = 'pupil') AS pupils,
         count(e.user_id)::int AS enrolled,
         count(e.user_id) FILTER (WHERE EXISTS (SELECT 1 FROM training_registration_aus a
            WHERE a.registration = e.registration AND a.launches > 0
              AND (s.au_index IS NULL OR a.au_index = s.au_index)))::int AS started,
         count(e.handed_in_at)::int AS handed_in,
         count(e.handed_in_at) FILTER (WHERE e.handed_in_at > s.due_at)::int AS late,
         avg(e.score_scaled) AS mean_score
       FROM training_sessions s JOIN training_courses c ON c.id = s.course_id
       LEFT JOIN training_enrolments e ON e.session_id = s.id
       WHERE s.class_id = $1 GROUP BY s.id, c.title ORDER BY s.due_at DESC, s.created_at DESC`,
      [classId],
    );
    return rows.map((r) => ({
      id: r.id,
      classId: r.class_id,
      courseId: r.course_id,
      courseTitle: r.course_title,
      auIndex: r.au_index,
      title: r.name,
      subject: r.subject,
      dueAt: new Date(r.due_at),
      assignedAt: new Date(r.created_at),
      pupils: r.pupils,
      enrolled: r.enrolled,
      started: r.started,
      handedIn: r.handed_in,
      late: r.late,
      meanScore: r.mean_score === null ? null : Number(r.mean_score),
    }));
  }

  private async enrolPupil(row: AssignmentRow, course: Course, userId: string): Promise<void> {
    const identity = await pupilIdentity((sql, params) => this.store.query(sql, params), userId, row.class_id);
    if (!identity) return;
    const registration = await this.launcher.ensureRegistration(
      course,
      identity.actor,
      undefined,
      userId,
      identity.extras,
    );
    await this.store.query(
      `INSERT INTO training_enrolments (session_id, user_id, registration, enrolled_by, uai, academie)
       VALUES ($1, $2, $3, 'assignment', $4, COALESCE((SELECT academie_code FROM establishments WHERE uai = $4), ''))
       ON CONFLICT DO NOTHING`,
      [row.id, userId, registration.id, row.uai],
    );
  }
}

const ASSIGNMENT_SELECT = `SELECT s.id, s.course_id, s.class_id, s.au_index, s.name, s.subject, s.due_at, s.created_by,
    cl.uai FROM training_sessions s JOIN school_classes cl ON cl.id = s.class_id`;

function homeworkOf(row: AssignmentRow, course: Course): Homework {
  const au = row.au_index === null ? undefined : auAt(course.structure, row.au_index);
  const hours = course.hoursRemote;
  return {
    assignmentId: row.id,
    title: row.name,
    classId: row.class_id,
    uai: row.uai,
    due: new Date(row.due_at),
    subject: row.subject,
    expectedDuration: !au && hours > 0 ? `PT${Math.round(hours * 60)}M` : undefined,
    target: au ? au.lmsId : course.structure.course.lmsId,
  };
}

/**
 * After an AU statement or a waiver changed a registration (inside that transaction): when the registration is a
 * pupil's in an assignment and the assigned work is now satisfied (the activity, or the whole parcours), records
 * the hand-in once and returns the statements that say so (stored with the LMS's other statements).
 */
export async function handInIfDone(
  q: Query,
  courses: CourseRepository,
  registrations: RegistrationRepository,
  registrationId: string,
  at: Date,
): Promise<Statement[]> {
  const [row] = await q<AssignmentRow & { user_id: string; actor: Actor | string; satisfied_at: Date | null }>(
    `SELECT s.id, s.course_id, s.class_id, s.au_index, s.name, s.subject, s.due_at, s.created_by, cl.uai,
       e.user_id::text AS user_id, r.actor, r.satisfied_at
     FROM training_enrolments e JOIN training_sessions s ON s.id = e.session_id
     JOIN school_classes cl ON cl.id = s.class_id JOIN training_registrations r ON r.id = e.registration
     WHERE e.registration = $1 AND e.handed_in_at IS NULL FOR UPDATE OF e`,
    [registrationId],
  );
  if (!row) return [];
  const aus = await registrations.aus(registrationId, q);
  const done = row.au_index === null ? row.satisfied_at !== null : aus.get(row.au_index)?.satisfied === true;
  if (!done) return [];
  const scores = (row.au_index === null ? [...aus.values()] : [aus.get(row.au_index)!])
    .map((a) => a.scoreScaled)
    .filter((s): s is number => s !== null);
  const score = scores.length === 0 ? null : scores.reduce((a, s) => a + s, 0) / scores.length;
  await q('UPDATE training_enrolments SET handed_in_at = $2, score_scaled = $3 WHERE registration = $1', [
    registrationId,
    at,
    score,
  ]);
  const course = await courses.cached(row.course_id);
  const identity = await pupilIdentity(q, row.user_id, row.class_id);
  if (!course || !identity) return [];
  const actor = typeof row.actor === 'string' ? (JSON.parse(row.actor) as Actor) : row.actor;
  const teacher = row.created_by ? actorOfUser(row.created_by) : undefined;
  return handInStatements(homeworkOf(row, course), actor, identity.extras, at, score, teacher);
}
