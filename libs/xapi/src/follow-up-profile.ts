import {
  ENT_ACTIVITY_TYPES,
  ENT_CONTEXT_EXTENSIONS,
  ENT_RESULT_EXTENSIONS,
  ENT_VERBS,
  SOCLE_COMPONENTS,
  SOCLE_COMPONENT_ID_PREFIX,
} from './ent-profile.js';
import { normaliseProfile } from './enrich.js';
import { isObject } from './problems.js';
import type { Statement } from './types.js';

/**
 * The rules a follow-up statement (homework, assessment, positioning) must follow to be counted on the teachers'
 * follow-up pages (docs/xapi-profile.md, "Follow-up statements that break the profile"). A statement that breaks
 * one is stored like any other (the LRS is an LRS), left out of the follow-up figures, and counted in /metrics
 * (`ent_statements_profile_violations_total{rule}`). The same rules, in the same order, are written in SQL in
 * libs/warehouse/migrations/050_follow_up.sql (the `problem` column); test/follow-up-profile.e2e.ts checks that both
 * agree on every example.
 */
export const FOLLOW_UP_RULES = [
  'homework-without-class',
  'homework-without-due',
  'submitted-without-on-time',
  'not-a-pupil',
  'score-missing',
  'score-out-of-range',
  'level-invalid',
  'socle-component-unknown',
  'socle-without-cycle',
] as const;
export type FollowUpRule = (typeof FOLLOW_UP_RULES)[number];

/** What a follow-up statement is; '' for every other statement (visits, resources…), which no rule concerns. */
export type FollowUpKind = 'assigned' | 'submitted' | 'scored' | 'positioned' | '';

export function followUpKind(s: Statement): FollowUpKind {
  const type = isObject(s.object) && isObject(s.object.definition) ? s.object.definition.type : undefined;
  const verb = s.verb.id;
  const homework = type === ENT_ACTIVITY_TYPES.homework;
  if (verb === ENT_VERBS.assigned && homework) return 'assigned';
  if (verb === ENT_VERBS.submitted && homework) return 'submitted';
  if (verb === ENT_VERBS.scored && (homework || type === ENT_ACTIVITY_TYPES.assessment)) return 'scored';
  if (
    verb === ENT_VERBS.evaluated &&
    (type === ENT_ACTIVITY_TYPES.competence || type === ENT_ACTIVITY_TYPES.socleComponent)
  ) {
    return 'positioned';
  }
  return '';
}

/** The first follow-up rule the statement breaks, '' when it breaks none or is not a follow-up statement. */
export function followUpProblem(s: Statement): FollowUpRule | '' {
  const kind = followUpKind(s);
  if (kind === '') return '';
  const ext = s.context?.extensions ?? {};
  const resultExt = s.result?.extensions ?? {};
  if (kind === 'assigned' && text(ext[ENT_CONTEXT_EXTENSIONS.class]) === '') return 'homework-without-class';
  if ((kind === 'assigned' || kind === 'submitted') && !isDateTime(ext[ENT_CONTEXT_EXTENSIONS.due])) {
    return 'homework-without-due';
  }
  if (kind === 'submitted' && typeof resultExt[ENT_RESULT_EXTENSIONS.onTime] !== 'boolean') {
    return 'submitted-without-on-time';
  }
  if (kind !== 'assigned' && normaliseProfile(ext[ENT_CONTEXT_EXTENSIONS.profile]) !== 'ELEVE') return 'not-a-pupil';
  if (kind === 'scored') {
    const scaled = scaledScore(s);
    if (scaled === undefined) return 'score-missing';
    if (scaled < 0 || scaled > 1) return 'score-out-of-range';
  }
  if (kind === 'positioned') {
    const level = resultExt[ENT_RESULT_EXTENSIONS.competenceLevel];
    if (typeof level !== 'number' || !Number.isInteger(level) || level < 0 || level > 4) return 'level-invalid';
    const type = isObject(s.object) && isObject(s.object.definition) ? s.object.definition.type : undefined;
    if (type === ENT_ACTIVITY_TYPES.socleComponent) {
      const id = isObject(s.object) && typeof s.object.id === 'string' ? s.object.id : '';
      const code = id.startsWith(SOCLE_COMPONENT_ID_PREFIX) ? id.slice(SOCLE_COMPONENT_ID_PREFIX.length) : '';
      if (!(SOCLE_COMPONENTS as readonly string[]).includes(code)) return 'socle-component-unknown';
      const cycle = ext[ENT_CONTEXT_EXTENSIONS.cycle];
      if (typeof cycle !== 'number' || ![2, 3, 4].includes(cycle)) return 'socle-without-cycle';
    }
  }
  return '';
}

/**
 * The score on a 0–1 scale: `scaled` when given, else (raw − min) / (max − min) with min 0 by default (a mark
 * out of 20 sent as raw 13.5, max 20). undefined when neither is there.
 */
export function scaledScore(s: Statement): number | undefined {
  const score = s.result?.score;
  if (!score) return undefined;
  if (typeof score.scaled === 'number') return score.scaled;
  const min = score.min ?? 0;
  if (typeof score.raw === 'number' && typeof score.max === 'number' && score.max > min) {
    return (score.raw - min) / (score.max - min);
  }
  return undefined;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

function isDateTime(v: unknown): boolean {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) && !Number.isNaN(Date.parse(v));
}
