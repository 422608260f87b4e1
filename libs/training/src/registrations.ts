import type { Query, Store } from '@ent-observatory/store';
import { type Actor, actorIfi } from '@ent-observatory/xapi';
import type { AuOutcome } from './move-on.js';

export interface Registration {
  id: string;
  courseId: string;
  actor: Actor;
  userId: string | null;
  satisfiedAt: Date | null;
  satisfiedBlocks: string[];
}

interface RegistrationRow {
  id: string;
  course_id: string;
  actor: Actor | string;
  user_id: string | null;
  satisfied_at: Date | string | null;
  satisfied_blocks: string[];
}

export function toRegistration(r: RegistrationRow): Registration {
  return {
    id: r.id,
    courseId: r.course_id,
    actor: typeof r.actor === 'string' ? (JSON.parse(r.actor) as Actor) : r.actor,
    userId: r.user_id,
    satisfiedAt: r.satisfied_at === null ? null : new Date(r.satisfied_at),
    satisfiedBlocks: r.satisfied_blocks ?? [],
  };
}

export const REGISTRATION_COLUMNS = 'id, course_id, actor, user_id, satisfied_at, satisfied_blocks';

/** One AU in one registration, as stored. */
export interface RegistrationAu extends AuOutcome {
  auIndex: number;
  failed: boolean;
  satisfied: boolean;
  scoreScaled: number | null;
  progress: number | null;
  durationMs: number;
  launches: number;
  lastActivityAt: Date | null;
}

interface RegistrationAuRow {
  au_index: number;
  completed: boolean;
  passed: boolean;
  failed: boolean;
  waived: boolean;
  satisfied: boolean;
  score_scaled: number | null;
  progress: number | null;
  duration_ms: string | number;
  launches: number;
  last_activity_at: Date | string | null;
}

function toRegistrationAu(r: RegistrationAuRow): RegistrationAu {
  return {
    auIndex: r.au_index,
    completed: r.completed,
    passed: r.passed,
    failed: r.failed,
    waived: r.waived,
    satisfied: r.satisfied,
    scoreScaled: r.score_scaled,
    progress: r.progress,
    durationMs: Number(r.duration_ms),
    launches: r.launches,
    lastActivityAt: r.last_activity_at === null ? null : new Date(r.last_activity_at),
  };
}

/** SQL of registrations and their AUs, usable inside a transaction (`q`) or alone. */
export class RegistrationRepository {
  constructor(private readonly store: Store) {}

  async find(id: string, q: Query = this.store.query): Promise<Registration | undefined> {
    const [row] = await q<RegistrationRow>(`SELECT ${REGISTRATION_COLUMNS} FROM training_registrations WHERE id = $1`, [
      id,
    ]);
    return row && toRegistration(row);
  }

  async findForUpdate(id: string, q: Query): Promise<Registration | undefined> {
    const [row] = await q<RegistrationRow>(
      `SELECT ${REGISTRATION_COLUMNS} FROM training_registrations WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row && toRegistration(row);
  }

  /** Creates the registration; false when the id exists already. */
  async create(
    r: { id: string; courseId: string; actor: Actor; userId: string | null },
    q: Query = this.store.query,
  ): Promise<boolean> {
    const rows = await q(
      `INSERT INTO training_registrations (id, course_id, actor, actor_ifi, user_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO NOTHING RETURNING 1`,
      [r.id, r.courseId, JSON.stringify(r.actor), actorIfi(r.actor), r.userId],
    );
    return rows.length === 1;
  }

  async aus(registration: string, q: Query = this.store.query): Promise<Map<number, RegistrationAu>> {
    const rows = await q<RegistrationAuRow>(
      `SELECT au_index, completed, passed, failed, waived, satisfied, score_scaled, progress, duration_ms, launches,
         last_activity_at FROM training_registration_aus WHERE registration = $1`,
      [registration],
    );
    return new Map(rows.map((r) => [r.au_index, toRegistrationAu(r)]));
  }

  async markSatisfied(
    registration: string,
    blocks: string[],
    course: boolean,
    q: Query = this.store.query,
  ): Promise<void> {
    await q(
      `UPDATE training_registrations SET satisfied_blocks = satisfied_blocks || $2::text[],
         satisfied_at = CASE WHEN $3 AND satisfied_at IS NULL THEN now() ELSE satisfied_at END WHERE id = $1`,
      [registration, blocks, course],
    );
  }

  /** Records a launch of an AU (the grid's "last activity" and launch count). */
  async recordLaunch(registration: string, auIndex: number, at: Date, q: Query = this.store.query): Promise<void> {
    await q(
      `INSERT INTO training_registration_aus (registration, au_index, launches, first_launch_at, last_activity_at)
       VALUES ($1, $2, 1, $3, $3)
       ON CONFLICT (registration, au_index) DO UPDATE SET launches = training_registration_aus.launches + 1,
         first_launch_at = COALESCE(training_registration_aus.first_launch_at, $3), last_activity_at = $3`,
      [registration, auIndex, at],
    );
  }

  /** Applies what AU statements changed for one AU of a registration. */
  async applyAu(
    registration: string,
    auIndex: number,
    change: {
      completed: boolean;
      passed: boolean;
      failed: boolean;
      waived?: { reason: string } | undefined;
      satisfied: boolean;
      scoreScaled: number | undefined;
      progress: number | undefined;
      addDurationMs: number;
      at: Date;
    },
    q: Query,
  ): Promise<void> {
    await q(
      `INSERT INTO training_registration_aus (registration, au_index, completed, passed, failed, waived, waive_reason,
         satisfied, score_scaled, progress, duration_ms, last_activity_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (registration, au_index) DO UPDATE SET
         completed = training_registration_aus.completed OR $3, passed = training_registration_aus.passed OR $4,
         failed = training_registration_aus.failed OR $5, waived = training_registration_aus.waived OR $6,
         waive_reason = COALESCE($7, training_registration_aus.waive_reason),
         satisfied = training_registration_aus.satisfied OR $8,
         score_scaled = COALESCE($9, training_registration_aus.score_scaled),
         progress = COALESCE($10, training_registration_aus.progress),
         duration_ms = training_registration_aus.duration_ms + $11,
         last_activity_at = GREATEST(training_registration_aus.last_activity_at, $12)`,
      [
        registration,
        auIndex,
        change.completed,
        change.passed,
        change.failed,
        change.waived !== undefined,
        change.waived?.reason ?? null,
        change.satisfied,
        change.scoreScaled ?? null,
        change.progress ?? null,
        Math.round(change.addDurationMs),
        change.at,
      ],
    );
  }
}
