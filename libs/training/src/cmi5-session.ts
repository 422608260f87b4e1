import { handInIfDone } from './assignments.js';
import { timingSafeEqual } from 'node:crypto';
import type { Query, Store } from '@ent-observatory/store';
import { type Actor, isUuid } from '@ent-observatory/xapi';
import { Cmi5RuleViolation, type StatementEffect, checkAuStatements } from './au-statement-rules.js';
import { type Cmi5Launcher, SESSION_KEY_PREFIX, extrasOf, sha256 } from './cmi5-launch.js';
import { auAt } from './course-structure.js';
import type { CourseRepository } from './course-repository.js';
import type { Statement } from './lms-statements.js';
import type { LrsPort } from './lrs-port.js';
import { TrainingErrorCode, TrainingException } from './training.exception.js';
import type { LaunchMode } from './vocabulary.js';

/** What an auth token stands for: one AU session of one actor in one registration (§8.2). */
export interface SessionCredential {
  sessionId: string;
  registration: string;
  courseId: string;
  auIndex: number;
  actor: Actor;
  activityId: string;
  launchMode: LaunchMode;
  masteryScore: number | undefined;
  contextTemplate: Record<string, unknown>;
  /** Why the token no longer writes, if it does not. */
  ended: 'terminated' | 'abandoned' | 'expired' | undefined;
}

interface SessionRow {
  id: string;
  registration: string;
  au_index: number;
  course_id: string;
  actor: Actor | string;
  auth_token_hash: string | null;
  launch_mode: LaunchMode;
  mastery_score: number | null;
  context_template: Record<string, unknown> | string;
  terminated_at: Date | null;
  abandoned_at: Date | null;
  expires_at: Date | string;
}

interface ProgressRow {
  initialized: boolean;
  terminated_at: Date | null;
  abandoned_at: Date | null;
  completed: boolean;
  passed: boolean;
  failed: boolean;
  statement_ids: string[];
  last_statement_at: Date | null;
  expires_at: Date | string;
  native_result: { scaled: number } | string | null;
}

/** What to do once the AU's statements are stored, or failed to be. */
export interface StoreTicket {
  stored(): Promise<void>;
  failed(): Promise<void>;
}

/** How long a resolved auth token is reused without reading its session again. */
const RESOLVED_TTL_MS = 5_000;

const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/**
 * The LRS side of an AU session: the auth token as an LRS credential, and the statement rules applied before the
 * LRS stores what the AU sends, then moveOn after.
 */
export class Cmi5Sessions {
  /** Records the grade of a native quiz in its session: the score its "passed"/"failed" must then carry. */
  async recordGrade(sessionId: string, grade: { scaled: number; passed: boolean }): Promise<void> {
    await this.store.query('UPDATE training_launch_sessions SET native_result = $2 WHERE id = $1', [
      sessionId,
      JSON.stringify(grade),
    ]);
  }

  constructor(
    private readonly store: Store,
    private readonly courses: CourseRepository,
    private readonly launcher: Cmi5Launcher,
    private readonly lrs: LrsPort,
  ) {}

  /** Whether an LRS key names an AU session (auth tokens carry `cmi5-<session id>` as their key). */
  static owns(key: string): boolean {
    return key.startsWith(SESSION_KEY_PREFIX) && isUuid(key.slice(SESSION_KEY_PREFIX.length));
  }

  /**
   * Resolved tokens, kept briefly: an AU makes several requests in a row (launch data, preferences, its first
   * statement). Statements re-read the session under lock, so only a document write can slip in this long after
   * the session ended elsewhere; in this process "terminated" drops the entry at once.
   */
  private readonly resolved = new Map<string, { hash: string; credential: SessionCredential; expiresAt: number }>();

  /** The session an auth token opens, or null when the token is not one the LMS issued. */
  async resolve(key: string, secret: string): Promise<SessionCredential | null> {
    if (!Cmi5Sessions.owns(key)) return null;
    const hash = sha256(secret);
    const hit = this.resolved.get(key);
    if (hit && hit.expiresAt > Date.now() && timingSafeEqual(Buffer.from(hit.hash, 'hex'), Buffer.from(hash, 'hex'))) {
      return hit.credential;
    }
    const credential = await this.resolveNow(key, secret);
    if (credential && !credential.ended) {
      if (this.resolved.size > 10_000) this.resolved.clear();
      this.resolved.set(key, { hash, credential, expiresAt: Date.now() + RESOLVED_TTL_MS });
    }
    return credential;
  }

  private async resolveNow(key: string, secret: string): Promise<SessionCredential | null> {
    const [row] = await this.store.query<SessionRow>(
      `SELECT s.id, s.registration, s.au_index, r.course_id, r.actor, s.auth_token_hash, s.launch_mode, s.mastery_score,
         s.context_template, s.terminated_at, s.abandoned_at, s.expires_at
       FROM training_launch_sessions s JOIN training_registrations r ON r.id = s.registration WHERE s.id = $1`,
      [key.slice(SESSION_KEY_PREFIX.length)],
    );
    if (!row?.auth_token_hash) return null;
    const expected = Buffer.from(row.auth_token_hash, 'hex');
    const actual = Buffer.from(sha256(secret), 'hex');
    if (!timingSafeEqual(expected, actual)) return null;
    const course = await this.courses.cached(row.course_id);
    const au = course && auAt(course.structure, row.au_index);
    if (!au) return null;
    return {
      sessionId: row.id,
      registration: row.registration,
      courseId: row.course_id,
      auIndex: row.au_index,
      actor: json(row.actor),
      activityId: au.lmsId,
      launchMode: row.launch_mode,
      masteryScore: row.mastery_score ?? undefined,
      contextTemplate: json(row.context_template),
      ended: endedOf(row),
    };
  }

  /**
   * Checks statements the AU posts against the cmi5 rules and the session, and records what they change, in one
   * transaction holding the session's row: two concurrent requests of one session are checked one after the other.
   * Throws TrainingException (Cmi5Rule or Forbidden) to refuse the whole request; nothing is then recorded.
   */
  async beforeStore(cred: SessionCredential, statements: readonly Record<string, unknown>[]): Promise<StoreTicket> {
    const course = await this.courses.cached(cred.courseId);
    if (!course) throw new TrainingException(TrainingErrorCode.NotFound, `course ${cred.courseId} is gone`);
    const au = auAt(course.structure, cred.auIndex)!;
    const base = { actor: cred.actor, registration: cred.registration, sessionId: cred.sessionId };
    const extras = extrasOf(cred.contextTemplate);
    const registrations = this.launcher.registrations;
    const outcome = await this.store.transaction(async (q) => {
      const before = await snapshot(q, cred);
      const ended = endedOf(before.session);
      if (ended) throw forbidden(`this AU session is ${ended}: its auth token no longer records statements`);
      const checked = (() => {
        try {
          return checkAuStatements(statements, cred, {
            initialized: before.session.initialized,
            terminated: false,
            abandoned: false,
            completed: before.session.completed,
            passed: before.session.passed,
            failed: before.session.failed,
            registrationCompleted: before.au?.completed === true,
            registrationPassed: before.au?.passed === true,
            acceptedIds: new Set(before.session.statement_ids),
          });
        } catch (e) {
          if (e instanceof Cmi5RuleViolation) {
            // §6.3: voiding is not a rule the statement breaks but a permission the AU's credential lacks.
            const code = e.rule === '§6.3' ? TrainingErrorCode.Forbidden : TrainingErrorCode.Cmi5Rule;
            throw new TrainingException(code, `statement ${e.index}: ${e.message}`);
          }
          throw e;
        }
      })();
      const fresh = checked.effects.filter((e) => !e.replay);
      if (fresh.length === 0) return { satisfied: [] as Statement[], before, ended: false };
      if (au.native?.kind === 'quiz') checkGradedScore(fresh, before.session.native_result);
      const p = checked.progress;
      const now = new Date();
      await q(
        `UPDATE training_launch_sessions SET initialized = $2, terminated_at = CASE WHEN $3 THEN $4::timestamptz END,
           completed = $5, passed = $6, failed = $7, statement_ids = statement_ids || $8::uuid[], last_statement_at = $4
         WHERE id = $1`,
        [cred.sessionId, p.initialized, p.terminated, now, p.completed, p.passed, p.failed, fresh.map((e) => e.id)],
      );
      const terminatedDuration = fresh.find((e) => e.verb === 'terminated')?.durationMs ?? 0;
      const scored = fresh.filter((e) => e.scaled !== undefined).pop();
      const progress = fresh.filter((e) => e.progress !== undefined).pop();
      await registrations.applyAu(
        cred.registration,
        cred.auIndex,
        {
          completed: fresh.some((e) => e.verb === 'completed'),
          passed: fresh.some((e) => e.verb === 'passed'),
          failed: fresh.some((e) => e.verb === 'failed'),
          satisfied: false,
          scoreScaled: scored?.scaled,
          progress: progress?.progress,
          addDurationMs: terminatedDuration,
          at: now,
        },
        q,
      );
      const judged = fresh.some((e) => e.verb === 'completed' || e.verb === 'passed');
      if (!judged) return { satisfied: [] as Statement[], before, ended: p.terminated };
      await markAuSatisfied(q, cred, au.moveOn);
      const registration = await registrations.findForUpdate(cred.registration, q);
      const satisfied = registration ? await this.launcher.satisfy(course, registration, base, q, [cred.auIndex]) : [];
      // A pupil's assigned work now satisfied is handed in: the follow-up reads it as homework done.
      const handedIn = await handInIfDone(q, this.courses, registrations, cred.registration, now);
      return { satisfied: [...satisfied.map((s) => addExtras(s, extras)), ...handedIn], before, ended: p.terminated };
    });
    if (outcome.ended) this.resolved.delete(`${SESSION_KEY_PREFIX}${cred.sessionId}`);
    return {
      stored: async () => {
        if (outcome.satisfied.length > 0) await this.lrs.storeStatements(outcome.satisfied);
      },
      failed: () => restore(this.store, cred, outcome.before),
    };
  }
}

/**
 * A native quiz is graded by the LMS (POST /formation/api/au/quiz): its "passed" or "failed" must report that
 * grade, so a learner cannot post a better score than the answers earned.
 */
function checkGradedScore(effects: StatementEffect[], graded: { scaled: number } | string | null): void {
  const result = graded === null ? null : json(graded);
  for (const e of effects.filter((x) => x.verb === 'passed' || x.verb === 'failed')) {
    if (!result || e.scaled !== result.scaled) {
      throw new TrainingException(
        TrainingErrorCode.Cmi5Rule,
        `training space: a quiz reports the score the LMS graded (${result ? result.scaled : 'not graded yet'}), not ${String(e.scaled)}`,
      );
    }
  }
}

async function markAuSatisfied(q: Query, cred: SessionCredential, moveOn: string): Promise<void> {
  await q(
    `UPDATE training_registration_aus SET satisfied = satisfied OR waived OR CASE $3
       WHEN 'NotApplicable' THEN true WHEN 'Passed' THEN passed WHEN 'Completed' THEN completed
       WHEN 'CompletedAndPassed' THEN completed AND passed ELSE completed OR passed END
     WHERE registration = $1 AND au_index = $2`,
    [cred.registration, cred.auIndex, moveOn],
  );
}

function endedOf(r: { terminated_at: Date | null; abandoned_at: Date | null; expires_at: Date | string }) {
  if (r.abandoned_at) return 'abandoned' as const;
  if (r.terminated_at) return 'terminated' as const;
  if (new Date(r.expires_at).getTime() <= Date.now()) return 'expired' as const;
  return undefined;
}

function forbidden(message: string): TrainingException {
  return new TrainingException(TrainingErrorCode.Forbidden, message);
}

function addExtras(s: Statement, extras: Record<string, string>): Statement {
  if (Object.keys(extras).length === 0) return s;
  const ctx = s.context as { extensions: Record<string, unknown> };
  return { ...s, context: { ...ctx, extensions: { ...ctx.extensions, ...extras } } };
}

interface Snapshot {
  session: ProgressRow;
  au: Record<string, unknown> | undefined;
  registration: { satisfied_at: Date | null; satisfied_blocks: string[] };
}

async function snapshot(q: Query, cred: SessionCredential): Promise<Snapshot> {
  // One round trip for the session (locked), its AU in the registration and the registration's satisfaction.
  const [row] = await q<ProgressRow & Record<string, unknown> & Snapshot['registration']>(
    `SELECT s.initialized, s.terminated_at, s.abandoned_at, s.completed, s.passed, s.failed, s.statement_ids,
       s.last_statement_at, s.expires_at, s.native_result, r.satisfied_at, r.satisfied_blocks,
       a.au_index IS NOT NULL AS au_exists, a.completed AS au_completed, a.passed AS au_passed, a.failed AS au_failed,
       a.satisfied AS au_satisfied, a.score_scaled, a.progress, a.duration_ms, a.last_activity_at
     FROM training_launch_sessions s JOIN training_registrations r ON r.id = s.registration
     LEFT JOIN training_registration_aus a ON a.registration = s.registration AND a.au_index = s.au_index
     WHERE s.id = $1 FOR UPDATE OF s`,
    [cred.sessionId],
  );
  if (!row) throw forbidden(`AU session ${cred.sessionId} no longer exists`);
  const au = row.au_exists
    ? {
        completed: row.au_completed,
        passed: row.au_passed,
        failed: row.au_failed,
        satisfied: row.au_satisfied,
        score_scaled: row.score_scaled,
        progress: row.progress,
        duration_ms: row.duration_ms,
        last_activity_at: row.last_activity_at,
      }
    : undefined;
  return { session: row, au, registration: { satisfied_at: row.satisfied_at, satisfied_blocks: row.satisfied_blocks } };
}

/** Puts back what a refused or failed write had recorded (the LRS stored nothing of it). */
async function restore(store: Store, cred: SessionCredential, s: Snapshot): Promise<void> {
  await store.transaction(async (q) => {
    await q(
      `UPDATE training_launch_sessions SET initialized = $2, terminated_at = $3, completed = $4, passed = $5,
         failed = $6, statement_ids = $7::uuid[], last_statement_at = $8 WHERE id = $1`,
      [
        cred.sessionId,
        s.session.initialized,
        s.session.terminated_at,
        s.session.completed,
        s.session.passed,
        s.session.failed,
        s.session.statement_ids,
        s.session.last_statement_at,
      ],
    );
    if (s.au) {
      await q(
        `UPDATE training_registration_aus SET completed = $3, passed = $4, failed = $5, satisfied = $6,
           score_scaled = $7, progress = $8, duration_ms = $9, last_activity_at = $10
         WHERE registration = $1 AND au_index = $2`,
        [
          cred.registration,
          cred.auIndex,
          s.au.completed,
          s.au.passed,
          s.au.failed,
          s.au.satisfied,
          s.au.score_scaled,
          s.au.progress,
          s.au.duration_ms,
          s.au.last_activity_at,
        ],
      );
    }
    await q('UPDATE training_registrations SET satisfied_at = $2, satisfied_blocks = $3 WHERE id = $1', [
      cred.registration,
      s.registration.satisfied_at,
      s.registration.satisfied_blocks,
    ]);
  });
}
