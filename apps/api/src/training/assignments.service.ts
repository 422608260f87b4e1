import { Inject, Injectable } from '@nestjs/common';
import { classInfo, classesById } from '@ent-observatory/follow-up';
import type { Store } from '@ent-observatory/store';
import {
  Assignments,
  type AssignmentSummary,
  CourseRepository,
  type NewAssignment,
  TrainingErrorCode,
  TrainingException,
  activitiesOf,
} from '@ent-observatory/training';
import { SUBJECTS } from '@ent-observatory/xapi';
import type { Principal } from '../auth/access.js';
import { STORE } from '../common/tokens.js';
import type { AssignmentOptionsModel } from './models.js';

function grants(p: Principal, role: Principal['roles'][number]['role']): string[] {
  return p.roles.filter((g) => g.role === role).map((g) => g.scope);
}

/**
 * Teachers → pupils (docs/training-api.md, "Assignments to a class"), scoped like the follow-up: a teacher assigns
 * to and follows the classes they are granted; a head of school follows the assignments of their establishment's
 * classes. Nobody else, admins included (pupils' work is the follow-up's, not the training space's).
 */
@Injectable()
export class AssignmentsService {
  constructor(
    @Inject(STORE) private readonly store: Store,
    @Inject(CourseRepository) private readonly courses: CourseRepository,
    @Inject(Assignments) private readonly assignments: Assignments,
  ) {}

  async options(p: Principal): Promise<AssignmentOptionsModel> {
    const classes = await classesById(this.store, grants(p, 'teacher'));
    const parcours = await this.courses.list({ publishedOnly: true });
    return {
      classes: classes.map((c) => ({ id: c.id, name: c.name, establishmentName: c.establishmentName })),
      parcours: parcours.map((c) => ({
        id: c.id,
        title: c.title,
        hours: c.hoursRemote + c.hoursOnsite,
        activities: activitiesOf(c).map(({ auIndex, title, module, kind }) => ({ auIndex, title, module, kind })),
      })),
      subjects: Object.entries(SUBJECTS).map(([code, label]) => ({ code, label })),
    };
  }

  async assign(p: Principal, input: NewAssignment): Promise<string> {
    if (!grants(p, 'teacher').includes(input.classId)) {
      throw new TrainingException(
        TrainingErrorCode.Forbidden,
        `classId: "${input.classId}" is not one of your classes`,
      );
    }
    return this.assignments.assign(input, p.userId);
  }

  async listForClass(p: Principal, classId: string): Promise<AssignmentSummary[]> {
    const cls = await classInfo(this.store, classId);
    if (!cls) throw new TrainingException(TrainingErrorCode.NotFound, `classId: no class "${classId}" in the roster`);
    if (!grants(p, 'teacher').includes(cls.id) && !grants(p, 'establishment').includes(cls.uai)) {
      throw new TrainingException(TrainingErrorCode.Forbidden, `classId: "${classId}" is not one of your classes`);
    }
    return this.assignments.listForClass(classId);
  }
}
