import { randomUUID } from 'node:crypto';
import {
  type Actor,
  ENT_ACTIVITY_TYPES,
  ENT_CONTEXT_EXTENSIONS as CX,
  ENT_PROFILE_ID,
  ENT_RESULT_EXTENSIONS as RX,
  ENT_VERBS,
} from '@ent-observatory/xapi';
import { LMS_IRI } from './course-repository.js';
import type { ContextExtras, Statement } from './lms-statements.js';

/**
 * A teacher's assignment seen as the ENT profile's homework (docs/xapi-profile.md, "Follow-up statements"): the
 * training space records it as an ENT's cahier de textes would, so the follow-up counts it like any homework.
 */
export interface Homework {
  /** The assignment (a training session of the class). */
  assignmentId: string;
  title: string;
  classId: string;
  uai: string;
  due: Date;
  subject: string;
  /** ISO 8601 duration, when the parcours gives one. */
  expectedDuration?: string | undefined;
  /** The LMS id of what was assigned (the course, or one AU): where the homework is done. */
  target: string;
}

/** The homework's activity id: one per assignment, reused by every pupil's hand-in and mark. */
export function homeworkIdOf(assignmentId: string): string {
  return `${LMS_IRI}/assignments/${assignmentId}`;
}

function homeworkObject(h: Homework) {
  return {
    objectType: 'Activity',
    id: homeworkIdOf(h.assignmentId),
    definition: { type: ENT_ACTIVITY_TYPES.homework, name: { 'fr-FR': h.title } },
  };
}

function contextOf(h: Homework, extensions: Record<string, unknown>, instructor?: Actor) {
  return {
    ...(instructor ? { instructor } : {}),
    contextActivities: {
      category: [{ objectType: 'Activity', id: ENT_PROFILE_ID }],
      other: [{ objectType: 'Activity', id: h.target }],
    },
    extensions: {
      [CX.uai]: h.uai,
      [CX.class]: h.classId,
      [CX.due]: h.due.toISOString(),
      ...(h.subject ? { [CX.subject]: h.subject } : {}),
      ...extensions,
    },
  };
}

/** "assigned": the teacher set the homework for their whole class (the actor is the teacher, §"who the actor is"). */
export function assignedStatement(h: Homework, teacher: Actor, at: Date): Statement {
  return {
    id: randomUUID(),
    timestamp: at.toISOString(),
    actor: teacher,
    verb: { id: ENT_VERBS.assigned, display: { 'fr-FR': 'a donné' } },
    object: homeworkObject(h),
    context: contextOf(h, {
      [CX.profile]: 'ENSEIGNANT',
      ...(h.expectedDuration ? { [CX.expectedDuration]: h.expectedDuration } : {}),
    }),
  };
}

/**
 * A pupil's hand-in: "submitted" (on time or not against the due date), then "scored" when their work reported a
 * score (0–1), with the assigning teacher as instructor. `pupil`: the ENT profile's extensions that make the
 * pupil's pseudonym the roster's (profile ELEVE, person).
 */
export function handInStatements(
  h: Homework,
  learner: Actor,
  pupil: ContextExtras,
  at: Date,
  scoreScaled: number | null,
  teacher: Actor | undefined,
): Statement[] {
  const submitted: Statement = {
    id: randomUUID(),
    timestamp: at.toISOString(),
    actor: learner,
    verb: { id: ENT_VERBS.submitted, display: { 'fr-FR': 'a rendu' } },
    object: homeworkObject(h),
    result: { completion: true, extensions: { [RX.onTime]: at.getTime() <= h.due.getTime() } },
    context: contextOf(h, pupil),
  };
  if (scoreScaled === null) return [submitted];
  const scored: Statement = {
    id: randomUUID(),
    timestamp: new Date(at.getTime() + 1).toISOString(),
    actor: learner,
    verb: { id: ENT_VERBS.scored, display: { 'fr-FR': 'a obtenu' } },
    object: homeworkObject(h),
    result: { score: { scaled: Math.round(scoreScaled * 10_000) / 10_000 }, completion: true },
    context: contextOf(h, pupil, teacher),
  };
  return [submitted, scored];
}

const PARIS_MINUTE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** 23:59 in Paris on a calendar day: when homework "for that day" is due (winter or summer time). */
export function endOfParisDay(day: string): Date {
  for (const offset of ['+01:00', '+02:00']) {
    const d = new Date(`${day}T23:59:00${offset}`);
    if (PARIS_MINUTE.format(d) === `${day}, 23:59`) return d;
  }
  throw new RangeError(`not a calendar day: ${day}`);
}
