import { type Statement, followUpKind, followUpProblem, validateStatement } from '@ent-observatory/xapi';
import { actorOfUser } from './actors.js';
import {
  type Homework,
  assignedStatement,
  endOfParisDay,
  handInStatements,
  homeworkIdOf,
} from './homework-statements.js';

const CX = 'https://ent-observatory.fr/xapi/extensions/';
const homework: Homework = {
  assignmentId: '0b7c2a4e-8d1b-4c55-9a77-2b1f0e6d9c10',
  title: 'Quiz des fractions',
  classId: '0352167R:2026-2027:6e A',
  uai: '0352167R',
  due: endOfParisDay('2026-12-18'),
  subject: 'mathematiques',
  expectedDuration: 'PT30M',
  target: 'https://ent-observatory.fr/xapi/formation/courses/fractions/aus/1',
};
const teacher = actorOfUser('11111111-1111-4111-8111-111111111111');
const pupil = actorOfUser('22222222-2222-4222-8222-222222222222');
const pupilContext = { [`${CX}profile`]: 'ELEVE', [`${CX}person`]: 'fid-hugo' };

describe('the homework statements of a teacher’s assignment', () => {
  it('makes a due day 23:59 in Paris, winter and summer time', () => {
    expect(endOfParisDay('2026-12-18').toISOString()).toBe('2026-12-18T22:59:00.000Z');
    expect(endOfParisDay('2027-06-10').toISOString()).toBe('2027-06-10T21:59:00.000Z');
    expect(() => endOfParisDay('2026-02-30')).toThrow(RangeError);
  });

  it('records "assigned" as the teacher, for the class, with due date, subject and expected duration', () => {
    const s = assignedStatement(homework, teacher, new Date('2026-12-06T09:00:00Z'));
    expect(validateStatement(s, { version: '1.0.3' })).toEqual([]);
    expect(followUpKind(s as unknown as Statement)).toBe('assigned');
    expect(followUpProblem(s as unknown as Statement)).toBe('');
    expect(s).toMatchObject({
      actor: teacher,
      object: { id: homeworkIdOf(homework.assignmentId) },
      context: {
        extensions: {
          [`${CX}class`]: homework.classId,
          [`${CX}due`]: '2026-12-18T22:59:00.000Z',
          [`${CX}subject`]: 'mathematiques',
          [`${CX}expected-duration`]: 'PT30M',
          [`${CX}profile`]: 'ENSEIGNANT',
        },
      },
    });
  });

  it('hands in on time or late against the due date-time, and marks only a scored piece of work', () => {
    const onTime = handInStatements(homework, pupil, pupilContext, new Date('2026-12-18T22:58:00Z'), 0.75, teacher);
    const late = handInStatements(homework, pupil, pupilContext, new Date('2026-12-18T23:00:00Z'), null, teacher);
    for (const s of [...onTime, ...late]) {
      expect(validateStatement(s, { version: '1.0.3' })).toEqual([]);
      expect(followUpProblem(s as unknown as Statement)).toBe('');
    }
    expect(onTime.map((s) => followUpKind(s as unknown as Statement))).toEqual(['submitted', 'scored']);
    expect(onTime[0]).toMatchObject({ result: { extensions: { [`${CX}on-time`]: true } } });
    expect(onTime[1]).toMatchObject({ result: { score: { scaled: 0.75 } }, context: { instructor: teacher } });
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({
      actor: pupil,
      result: { extensions: { [`${CX}on-time`]: false } },
      context: { extensions: { [`${CX}person`]: 'fid-hugo', [`${CX}profile`]: 'ELEVE' } },
    });
  });
});
