import { randomUUID } from 'node:crypto';
import { isUuid } from '@ent-observatory/xapi';
import type { Store } from '@ent-observatory/store';
import type { Course, CourseRepository } from './course-repository.js';
import { type ActivityStatus, type ActivityView, activitiesOf, statusFrom } from './learning.js';
import { TrainingErrorCode, TrainingException } from './training.exception.js';

export interface GridCell {
  status: ActivityStatus;
  scoreScaled: number | null;
  durationSeconds: number;
  lastActivityAt: string | null;
}

export interface GridRow {
  userId: string;
  displayName: string;
  email: string;
  registration: string;
  completedAt: string | null;
  lastActivityAt: string | null;
  cells: GridCell[];
}

export interface SessionGrid {
  sessionId: string;
  sessionName: string;
  courseId: string;
  courseTitle: string;
  activities: ActivityView[];
  rows: GridRow[];
}

interface GridSqlRow {
  user_id: string;
  display_name: string;
  email: string;
  registration: string;
  satisfied_at: string | null;
  cells: string | null;
}

/** Days without activity after which an enrolled learner who started counts as stalled. */
export const STALLED_AFTER_DAYS = 7;

/**
 * The trainer's follow-up of a session: the learners × activities grid, its CSV, reminders (an outbox a mail
 * sender drains) and the session's discussion threads.
 */
export class SessionFollowUp {
  constructor(
    private readonly store: Store,
    private readonly courses: CourseRepository,
  ) {}

  /**
   * One query for the whole grid: each learner's AU rows folded into one text column by PostgreSQL, so that a
   * 1,000-learner session answers in one round trip (bench/training.mjs).
   */
  async grid(sessionId: string): Promise<SessionGrid> {
    const [session] = isUuid(sessionId)
      ? await this.store.query<{ name: string; course_id: string }>(
          'SELECT name, course_id FROM training_sessions WHERE id = $1',
          [sessionId],
        )
      : [];
    if (!session) throw new TrainingException(TrainingErrorCode.NotFound, `no training session ${sessionId}`);
    const course = await this.courses.cached(session.course_id);
    if (!course) throw new TrainingException(TrainingErrorCode.NotFound, `no parcours ${session.course_id}`);
    const activities = activitiesOf(course);
    const rows = await this.store.query<GridSqlRow>(
      `SELECT e.user_id, u.display_name, u.email, e.registration, r.satisfied_at::text AS satisfied_at,
         string_agg(concat_ws('|', a.au_index, a.launches, a.completed::int, a.passed::int, a.failed::int,
           a.waived::int, coalesce(a.score_scaled::text, ''), a.duration_ms,
           coalesce(floor(extract(epoch FROM a.last_activity_at))::bigint::text, '')), ';')
           FILTER (WHERE a.au_index IS NOT NULL) AS cells
       FROM training_enrolments e JOIN users u ON u.id = e.user_id
       JOIN training_registrations r ON r.id = e.registration
       LEFT JOIN training_registration_aus a ON a.registration = e.registration
       WHERE e.session_id = $1
       GROUP BY e.user_id, u.display_name, u.email, e.registration, r.satisfied_at
       ORDER BY u.display_name, u.email`,
      [sessionId],
    );
    return {
      sessionId,
      sessionName: session.name,
      courseId: course.id,
      courseTitle: course.title,
      activities,
      rows: rows.map((r) => toRow(r, activities)),
    };
  }

  /** The grid as CSV for a spreadsheet: `;`, decimal comma, UTF-8 BOM, one column per activity. */
  async gridCsv(sessionId: string): Promise<string> {
    const grid = await this.grid(sessionId);
    const label: Record<ActivityStatus, string> = {
      not_started: 'non commencé',
      in_progress: 'en cours',
      completed: 'terminé',
      passed: 'réussi',
      failed: 'échoué',
      waived: 'dispensé',
    };
    const cell = (v: string) => (/[;"\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
    const header = [
      'Apprenant',
      'Adresse',
      ...grid.activities.flatMap((a) => [`${a.title} (statut)`, `${a.title} (score)`, `${a.title} (minutes)`]),
      'Dernière activité',
    ];
    const lines = grid.rows.map((r) => [
      r.displayName,
      r.email,
      ...r.cells.flatMap((c) => [
        label[c.status],
        c.scoreScaled === null ? '' : String(Math.round(c.scoreScaled * 100)).replace('.', ','),
        String(Math.round(c.durationSeconds / 6) / 10).replace('.', ','),
      ]),
      r.lastActivityAt ?? '',
    ]);
    return `\uFEFF${[header, ...lines].map((l) => l.map(cell).join(';')).join('\r\n')}\r\n`;
  }

  /** Queues a reminder for each learner not started (or stalled) in the session; returns how many. */
  async remind(sessionId: string, reason: 'not_started' | 'stalled', createdBy: string | null): Promise<number> {
    const grid = await this.grid(sessionId);
    const stalledBefore = Date.now() - STALLED_AFTER_DAYS * 86_400_000;
    const targets = grid.rows.filter((r) => {
      if (r.completedAt) return false;
      const started = r.cells.some((c) => c.status !== 'not_started');
      if (reason === 'not_started') return !started;
      return started && (r.lastActivityAt === null || new Date(r.lastActivityAt).getTime() < stalledBefore);
    });
    const subject =
      reason === 'not_started'
        ? `Votre formation « ${grid.courseTitle} » vous attend`
        : `Reprenez votre formation « ${grid.courseTitle} »`;
    for (const t of targets) {
      const body =
        reason === 'not_started'
          ? `Bonjour ${t.displayName},\n\nVous êtes inscrit(e) à la session « ${grid.sessionName} » du parcours « ${grid.courseTitle} », que vous n'avez pas encore commencé. Retrouvez-le dans « Mes formations » de l'espace de formation.\n`
          : `Bonjour ${t.displayName},\n\nVotre dernière activité dans le parcours « ${grid.courseTitle} » date de plus de ${STALLED_AFTER_DAYS} jours. Reprenez là où vous vous êtes arrêté(e) depuis « Mes formations ».\n`;
      await this.store.query(
        `INSERT INTO training_reminders (id, session_id, user_id, email, reason, subject, body, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [randomUUID(), sessionId, t.userId, t.email, reason, subject, body, createdBy],
      );
    }
    return targets.length;
  }

  async reminders(sessionId: string) {
    return this.store.query<{
      id: string;
      email: string;
      reason: string;
      subject: string;
      body: string;
      createdAt: string;
      sentAt: string | null;
    }>(
      `SELECT id, email, reason, subject, body, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt",
         sent_at::text AS "sentAt" FROM training_reminders WHERE session_id::text = $1 ORDER BY created_at DESC, email`,
      [sessionId],
    );
  }

  /** The files handed in to the « dépôt » activities of a session, newest first (without their content). */
  async submissions(sessionId: string) {
    return this.store.query<{
      id: string;
      userId: string;
      displayName: string;
      email: string;
      auIndex: number;
      filename: string;
      size: number;
      submittedAt: string;
    }>(
      `SELECT s.id::text, e.user_id::text AS "userId", u.display_name AS "displayName", u.email, s.au_index AS "auIndex",
         s.filename, octet_length(s.content)::int AS size,
         to_char(s.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "submittedAt"
       FROM training_submissions s
       JOIN training_enrolments e ON e.registration = s.registration
       JOIN users u ON u.id = e.user_id
       WHERE e.session_id::text = $1
       ORDER BY s.submitted_at DESC, u.email, s.filename`,
      [sessionId],
    );
  }

  /** One handed-in file with its content, and whose it is (the session and the learner), or null. */
  async submission(id: string) {
    const [row] = await this.store.query<{
      sessionId: string;
      userId: string;
      filename: string;
      contentType: string;
      content: Uint8Array;
    }>(
      `SELECT e.session_id::text AS "sessionId", e.user_id::text AS "userId", s.filename, s.content_type AS "contentType",
         s.content
       FROM training_submissions s JOIN training_enrolments e ON e.registration = s.registration
       WHERE s.id::text = $1`,
      [id],
    );
    return row ?? null;
  }

  async threads(sessionId: string) {
    const rows = await this.store.query<{
      thread_id: string;
      title: string;
      post_id: string | null;
      body: string | null;
      author: string | null;
      created_at: string | null;
    }>(
      `SELECT t.id AS thread_id, t.title, p.id AS post_id, p.body, u.display_name AS author,
         to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at
       FROM training_threads t LEFT JOIN training_posts p ON p.thread_id = t.id LEFT JOIN users u ON u.id = p.author_id
       WHERE t.session_id::text = $1 ORDER BY t.created_at DESC, p.created_at`,
      [sessionId],
    );
    const threads = new Map<
      string,
      { id: string; title: string; posts: { id: string; body: string; author: string; createdAt: string }[] }
    >();
    for (const r of rows) {
      const t = threads.get(r.thread_id) ?? { id: r.thread_id, title: r.title, posts: [] };
      threads.set(r.thread_id, t);
      if (r.post_id)
        t.posts.push({
          id: r.post_id,
          body: r.body ?? '',
          author: r.author ?? 'compte supprimé',
          createdAt: r.created_at ?? '',
        });
    }
    return [...threads.values()];
  }

  async startThread(sessionId: string, authorId: string, title: string, body: string): Promise<string> {
    if (!title.trim() || !body.trim())
      throw new TrainingException(TrainingErrorCode.InvalidInput, 'un sujet a un titre et un message');
    const id = randomUUID();
    await this.store.transaction(async (q) => {
      await q('INSERT INTO training_threads (id, session_id, author_id, title) VALUES ($1, $2, $3, $4)', [
        id,
        sessionId,
        authorId,
        title.trim(),
      ]);
      await q('INSERT INTO training_posts (id, thread_id, author_id, body) VALUES ($1, $2, $3, $4)', [
        randomUUID(),
        id,
        authorId,
        body.trim(),
      ]);
    });
    return id;
  }

  /** Replies to a thread; returns the thread's session (for the caller's access check, done before). */
  async reply(threadId: string, authorId: string, body: string): Promise<void> {
    if (!body.trim()) throw new TrainingException(TrainingErrorCode.InvalidInput, 'le message est vide');
    await this.store.query('INSERT INTO training_posts (id, thread_id, author_id, body) VALUES ($1, $2, $3, $4)', [
      randomUUID(),
      threadId,
      authorId,
      body.trim(),
    ]);
  }

  async sessionOfThread(threadId: string): Promise<string> {
    const [row] = await this.store.query<{ session_id: string }>(
      'SELECT session_id FROM training_threads WHERE id::text = $1',
      [threadId],
    );
    if (!row) throw new TrainingException(TrainingErrorCode.NotFound, `no thread ${threadId}`);
    return row.session_id;
  }

  courseOf(courseId: string): Promise<Course | undefined> {
    return this.courses.cached(courseId);
  }
}

function toRow(r: GridSqlRow, activities: ActivityView[]): GridRow {
  const byIndex = new Map<number, GridCell>();
  let last: string | null = null;
  for (const part of (r.cells ?? '').split(';').filter(Boolean)) {
    const [index, launches, completed, passed, failed, waived, score, duration, epoch] = part.split('|');
    const at = epoch ? new Date(Number(epoch) * 1000).toISOString().replace('.000Z', 'Z') : '';
    const flags = {
      launches: Number(launches),
      completed: completed === '1',
      passed: passed === '1',
      failed: failed === '1',
      waived: waived === '1',
    };
    const status = statusFrom(flags);
    byIndex.set(Number(index), {
      status,
      scoreScaled: score ? Number(score) : null,
      durationSeconds: Math.round(Number(duration) / 1000),
      lastActivityAt: at || null,
    });
    if (at && (!last || at > last)) last = at;
  }
  const empty: GridCell = { status: 'not_started', scoreScaled: null, durationSeconds: 0, lastActivityAt: null };
  return {
    userId: r.user_id,
    displayName: r.display_name,
    email: r.email,
    registration: r.registration,
    completedAt: r.satisfied_at,
    lastActivityAt: last,
    cells: activities.map((a) => byIndex.get(a.auIndex) ?? empty),
  };
}
