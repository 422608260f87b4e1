import { Inject, Injectable } from '@nestjs/common';
import type { Store } from '@ent-observatory/store';
import { type Course, TrainingErrorCode, TrainingException } from '@ent-observatory/training';
import type { Principal } from '../auth/access.js';
import { STORE } from '../common/tokens.js';

/**
 * Who may manage what in the training space, past the role check of the guard: an admin everything; a trainer the
 * parcours granted to them (role scope) or that they created, and the sessions they train or tutor.
 */
@Injectable()
export class TrainingAccessService {
  constructor(@Inject(STORE) private readonly store: Store) {}

  isAdmin(p: Principal): boolean {
    return p.roles.some((r) => r.role === 'admin');
  }

  canManageCourse(p: Principal, course: Pick<Course, 'id' | 'createdBy'>): boolean {
    if (this.isAdmin(p)) return true;
    const trainer = p.roles.filter((r) => r.role === 'trainer');
    return trainer.length > 0 && (course.createdBy === p.userId || trainer.some((r) => r.scope === course.id));
  }

  assertCourse(p: Principal, course: Pick<Course, 'id' | 'createdBy'>): void {
    if (!this.canManageCourse(p, course)) {
      throw new TrainingException(TrainingErrorCode.Forbidden, `parcours ${course.id} is outside your scope`);
    }
  }

  /** Staff of a session: its trainers and tutors, the managers of its parcours, admins. */
  async assertSession(p: Principal, sessionId: string): Promise<{ courseId: string }> {
    const [row] = await this.store.query<{
      course_id: string;
      created_by: string | null;
      staff: boolean;
      class_id: string | null;
    }>(
      `SELECT s.course_id, c.created_by, s.class_id,
         EXISTS (SELECT 1 FROM training_session_staff t WHERE t.session_id = s.id AND t.user_id::text = $2) AS staff
       FROM training_sessions s JOIN training_courses c ON c.id = s.course_id WHERE s.id::text = $1`,
      [sessionId, p.userId],
    );
    if (!row) throw new TrainingException(TrainingErrorCode.NotFound, `no training session ${sessionId}`);
    // A teacher's assignment to a class is followed in the class follow-up: its pupils are not the trainers'.
    if (row.class_id !== null && !this.isAdmin(p)) {
      throw new TrainingException(TrainingErrorCode.Forbidden, `training session ${sessionId} is a class assignment`);
    }
    if (!row.staff && !this.canManageCourse(p, { id: row.course_id, createdBy: row.created_by })) {
      throw new TrainingException(TrainingErrorCode.Forbidden, `training session ${sessionId} is outside your scope`);
    }
    return { courseId: row.course_id };
  }

  /** A user id for created_by columns: principals from an LRS key are not accounts. */
  userIdOf(p: Principal): string | null {
    return /^[0-9a-f-]{36}$/i.test(p.userId) ? p.userId : null;
  }
}
