import { randomUUID } from 'node:crypto';
import type { Store } from '@ent-observatory/store';
import type { Actor } from '@ent-observatory/xapi';
import { parse } from 'csv-parse/sync';
import type { Cmi5Launcher } from './cmi5-launch.js';
import { actorOfUser } from './actors.js';
import { pupilIdentity } from './assignments.js';
import { ausOf } from './course-structure.js';
import type { CourseRepository } from './course-repository.js';
import { TrainingErrorCode, TrainingException } from './training.exception.js';
import { ENT_EXT } from './vocabulary.js';

export { TRAINING_ACTOR_HOME_PAGE, actorOfUser } from './actors.js';

export interface NewTrainingSession {
  courseId: string;
  name: string;
  startsOn?: string | null;
  endsOn?: string | null;
  selfEnrolment: boolean;
  trainerIds: string[];
  tutorIds: string[];
  /** A teacher's assignment to a class (UAI:year:name), with a due date: see docs/training-api.md. */
  classId?: string | null;
  dueAt?: string | null;
}

export interface TrainingSessionSummary {
  id: string;
  courseId: string;
  courseTitle: string;
  name: string;
  startsOn: string | null;
  endsOn: string | null;
  selfEnrolment: boolean;
  classId: string | null;
  learners: number;
  completed: number;
}

export interface EnrolmentReport {
  enrolled: string[];
  alreadyEnrolled: string[];
  created: string[];
  rejected: { line: number; value: string; reason: string }[];
}

export interface UserRef {
  id: string;
  email: string;
  displayName: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function invalid(message: string): TrainingException {
  return new TrainingException(TrainingErrorCode.InvalidInput, message);
}

/**
 * Training sessions (cohorts taken through a parcours between two dates, by trainers and tutors) and their
 * enrolments: each enrolment is a cmi5 registration of the learner in the parcours.
 */
export class Cohorts {
  constructor(
    private readonly store: Store,
    private readonly courses: CourseRepository,
    private readonly launcher: Cmi5Launcher,
  ) {}

  async create(input: NewTrainingSession, createdBy: string | null): Promise<string> {
    const course = await this.courses.find(input.courseId);
    if (!course) throw new TrainingException(TrainingErrorCode.NotFound, `no parcours ${input.courseId}`);
    if (!input.name.trim()) throw invalid('le nom de la session est obligatoire');
    for (const d of [input.startsOn, input.endsOn])
      if (d && !DATE.test(d)) throw invalid(`date « ${d} » : format AAAA-MM-JJ`);
    if (input.startsOn && input.endsOn && input.endsOn < input.startsOn)
      throw invalid('la session finit avant de commencer');
    if (input.classId && !/^[0-9]{7}[A-Z]:\d{4}-\d{4}:.+$/.test(input.classId)) {
      throw invalid(
        `classe « ${input.classId} » : identifiant UAI:année:nom attendu (ex. 0350122T:2026-2027:CM1-CM2 A)`,
      );
    }
    const id = randomUUID();
    await this.store.transaction(async (q) => {
      await q(
        `INSERT INTO training_sessions (id, course_id, name, starts_on, ends_on, self_enrolment, class_id, due_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          id,
          course.id,
          input.name.trim(),
          input.startsOn || null,
          input.endsOn || null,
          input.selfEnrolment,
          input.classId || null,
          input.dueAt || null,
          createdBy,
        ],
      );
      const staff = [
        ...input.trainerIds.map((u) => [u, 'trainer'] as const),
        ...input.tutorIds.filter((u) => !input.trainerIds.includes(u)).map((u) => [u, 'tutor'] as const),
      ];
      for (const [userId, role] of staff) {
        await q('INSERT INTO training_session_staff (session_id, user_id, role) VALUES ($1, $2, $3)', [
          id,
          userId,
          role,
        ]);
      }
    });
    return id;
  }

  /** Sessions a user may follow as staff (all of them for `all`). */
  async listForStaff(userId: string | null, all: boolean): Promise<TrainingSessionSummary[]> {
    return this.store.query<TrainingSessionSummary>(
      `SELECT s.id, s.course_id AS "courseId", c.title AS "courseTitle", s.name, s.starts_on::text AS "startsOn",
         s.ends_on::text AS "endsOn", s.self_enrolment AS "selfEnrolment", s.class_id AS "classId",
         (SELECT count(*)::int FROM training_enrolments e WHERE e.session_id = s.id) AS learners,
         (SELECT count(*)::int FROM training_enrolments e JOIN training_registrations r ON r.id = e.registration
            WHERE e.session_id = s.id AND r.satisfied_at IS NOT NULL) AS completed
       FROM training_sessions s JOIN training_courses c ON c.id = s.course_id
       WHERE $1 OR s.class_id IS NULL AND (c.created_by::text = $2
         OR EXISTS (SELECT 1 FROM training_session_staff t WHERE t.session_id = s.id AND t.user_id::text = $2))
       ORDER BY s.starts_on DESC NULLS LAST, s.name`,
      [all, userId ?? ''],
    );
  }

  /** Enrols learners in a session: a cmi5 registration each (moveOn evaluated at once, §9.6.1). */
  async enrol(
    sessionId: string,
    users: UserRef[],
    by: 'trainer' | 'csv' | 'self',
    uaiOf: Map<string, string> = new Map(),
  ) {
    const session = await this.sessionRow(sessionId);
    const course = await this.courses.find(session.course_id);
    if (!course) throw new TrainingException(TrainingErrorCode.NotFound, `no parcours ${session.course_id}`);
    const enrolled: string[] = [];
    const already: string[] = [];
    for (const user of users) {
      const [existing] = await this.store.query(
        'SELECT 1 FROM training_enrolments WHERE session_id = $1 AND user_id = $2',
        [sessionId, user.id],
      );
      if (existing) {
        already.push(user.email);
        continue;
      }
      const uai = uaiOf.get(user.id) ?? (await this.uaiOfUser(user.id));
      const extras = this.extrasOf(uai, session.class_id);
      const registration = await this.launcher.ensureRegistration(
        course,
        actorOfUser(user.id),
        undefined,
        user.id,
        extras,
      );
      await this.store.query(
        `INSERT INTO training_enrolments (session_id, user_id, registration, enrolled_by, uai, academie)
         VALUES ($1, $2, $3, $4, $5, COALESCE((SELECT academie_code FROM establishments WHERE uai = $5), ''))
         ON CONFLICT DO NOTHING`,
        [sessionId, user.id, registration.id, by, uai],
      );
      enrolled.push(user.email);
    }
    return { enrolled, alreadyEnrolled: already };
  }

  /**
   * Enrols the learners of a CSV file (`email;nom;uai`, header optional, `;` or `,`): existing accounts are
   * enrolled, unknown e-mails get a learner account (they sign in through their ENT), bad lines are reported.
   */
  async enrolCsv(sessionId: string, csv: string, createUser: (email: string, name: string) => Promise<UserRef>) {
    const report: EnrolmentReport = { enrolled: [], alreadyEnrolled: [], created: [], rejected: [] };
    const rows = parseCsv(csv);
    const users: UserRef[] = [];
    const uais = new Map<string, string>();
    for (const { line, cells } of rows) {
      const [rawEmail = '', name = '', uai = ''] = cells.map((c) => c.trim());
      const email = rawEmail.toLowerCase();
      if (line === 1 && /^(e-?mail|courriel|adresse)/i.test(rawEmail)) continue;
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
        report.rejected.push({ line, value: rawEmail, reason: 'adresse électronique invalide' });
        continue;
      }
      if (uai && !/^\d{7}[A-Z]$/.test(uai)) {
        report.rejected.push({ line, value: uai, reason: 'UAI invalide (7 chiffres et une lettre)' });
        continue;
      }
      let [user] = await this.store.query<UserRef>(
        'SELECT id, email, display_name AS "displayName" FROM users WHERE email = $1',
        [email],
      );
      if (!user) {
        user = await createUser(email, name || email.split('@')[0]!);
        report.created.push(email);
      }
      if (uai) uais.set(user.id, uai);
      if (!users.some((u) => u.id === user.id)) users.push(user);
    }
    const done = await this.enrol(sessionId, users, 'csv', uais);
    report.enrolled = done.enrolled;
    report.alreadyEnrolled = done.alreadyEnrolled;
    return report;
  }

  /** Self-enrolment (autoformation): open sessions of published parcours, between their dates. */
  async selfEnrol(sessionId: string, user: UserRef): Promise<void> {
    const session = await this.sessionRow(sessionId);
    const today = new Date().toISOString().slice(0, 10);
    if (!session.self_enrolment)
      throw new TrainingException(TrainingErrorCode.Forbidden, 'cette session est sur inscription par un formateur');
    if (session.ends_on && session.ends_on < today)
      throw new TrainingException(TrainingErrorCode.Conflict, 'cette session est terminée');
    await this.enrol(sessionId, [user], 'self');
  }

  /**
   * The registration of a learner in a session, with what launches need: the registration's actor, and the ENT
   * profile's context (a pupil's in a class assignment). In an assignment of one activity, only that one launches.
   */
  async enrolmentOf(sessionId: string, userId: string, auIndex?: number) {
    const [row] = await this.store.query<{
      registration: string;
      course_id: string;
      uai: string;
      class_id: string | null;
      au_index: number | null;
      actor: Actor | string;
    }>(
      `SELECT e.registration, s.course_id, e.uai, s.class_id, s.au_index, r.actor FROM training_enrolments e
       JOIN training_sessions s ON s.id = e.session_id JOIN training_registrations r ON r.id = e.registration
       WHERE e.session_id::text = $1 AND e.user_id::text = $2`,
      [sessionId, userId],
    );
    if (!row) throw new TrainingException(TrainingErrorCode.Forbidden, `you are not enrolled in session ${sessionId}`);
    if (auIndex !== undefined && row.au_index !== null && auIndex !== row.au_index) {
      throw new TrainingException(TrainingErrorCode.Forbidden, `activity ${auIndex} is not the one assigned to you`);
    }
    const pupil = row.class_id
      ? await pupilIdentity((sql, params) => this.store.query(sql, params), userId, row.class_id)
      : undefined;
    const actor = typeof row.actor === 'string' ? (JSON.parse(row.actor) as Actor) : row.actor;
    return { ...row, actor, extras: pupil?.extras ?? this.extrasOf(row.uai, row.class_id) };
  }

  /** Activity count of a parcours (for progress). */
  async activityCount(courseId: string): Promise<number> {
    const course = await this.courses.cached(courseId);
    return course ? ausOf(course.structure).length : 0;
  }

  private extrasOf(uai: string, classId: string | null): Record<string, string> {
    const extras: Record<string, string> = {};
    if (uai) extras[ENT_EXT.uai] = uai;
    if (classId) extras[ENT_EXT.class] = classId;
    return extras;
  }

  /** Where a learner works, from their roles: a head of school's UAI, or the UAI of a teacher's class. */
  private async uaiOfUser(userId: string): Promise<string> {
    const [row] = await this.store.query<{ uai: string }>(
      `SELECT CASE WHEN r.role = 'establishment' THEN r.scope ELSE split_part(r.scope, ':', 1) END AS uai
       FROM user_roles r WHERE r.user_id = $1 AND r.role IN ('establishment', 'teacher') ORDER BY r.role LIMIT 1`,
      [userId],
    );
    return row?.uai ?? '';
  }

  private async sessionRow(sessionId: string) {
    const [row] = await this.store.query<{
      id: string;
      course_id: string;
      self_enrolment: boolean;
      ends_on: string | null;
      class_id: string | null;
    }>(
      'SELECT id, course_id, self_enrolment, ends_on::text AS ends_on, class_id FROM training_sessions WHERE id::text = $1',
      [sessionId],
    );
    if (!row) throw new TrainingException(TrainingErrorCode.NotFound, `no training session ${sessionId}`);
    return row;
  }
}

function parseCsv(csv: string): { line: number; cells: string[] }[] {
  const text = csv.replace(/^\uFEFF/, '');
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (first.match(/;/g)?.length ?? 0) >= (first.match(/,/g)?.length ?? 0) ? ';' : ',';
  const records = parse(text, {
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
  }) as unknown as {
    record: string[];
    info: { lines: number };
  }[];
  return records.map((r) => ({ line: r.info.lines, cells: r.record }));
}
