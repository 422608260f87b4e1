import type { Store } from '@ent-observatory/store';
import type { DirectoryScope, Level } from './model.js';
import { scopeSql } from './scope.js';

export interface ClassSummary {
  id: string;
  uai: string;
  name: string;
  level: Level | '';
  schoolYear: string;
  kind: 'class' | 'group';
  pupils: number;
  teachers: number;
}

export interface ClassMember {
  memberId: string;
  role: 'pupil' | 'teacher';
}

const CLASS_SELECT = `SELECT c.id, c.uai, c.name, c.level, c.school_year AS "schoolYear", c.kind,
       count(m.member_id) FILTER (WHERE m.role = 'pupil')::int AS pupils,
       count(m.member_id) FILTER (WHERE m.role = 'teacher')::int AS teachers
  FROM school_classes c
  JOIN establishments e ON e.uai = c.uai
  LEFT JOIN class_members m ON m.class_id = c.id`;

/** Classes and groups of an establishment (all school years, latest first); [] outside the scope. */
export async function classesOf(
  store: Store,
  uai: string,
  scope?: DirectoryScope,
  schoolYear?: string,
): Promise<ClassSummary[]> {
  const params: unknown[] = [uai.toUpperCase()];
  const year = schoolYear === undefined ? 'TRUE' : `c.school_year = $${params.push(schoolYear)}`;
  return store.query<ClassSummary>(
    `${CLASS_SELECT} WHERE c.uai = $1 AND ${year} AND ${scopeSql(scope, params)}
     GROUP BY c.id ORDER BY c.school_year DESC, c.kind, c.name`,
    params,
  );
}

/** Members of a class or group (pseudonymous ids), teachers first; [] when unknown or outside the scope. */
export async function classMembers(store: Store, classId: string, scope?: DirectoryScope): Promise<ClassMember[]> {
  const params: unknown[] = [classId];
  return store.query<ClassMember>(
    `SELECT m.member_id AS "memberId", m.role
     FROM class_members m JOIN school_classes c ON c.id = m.class_id JOIN establishments e ON e.uai = c.uai
     WHERE m.class_id = $1 AND ${scopeSql(scope, params)}
     ORDER BY m.role DESC, m.member_id`,
    params,
  );
}
