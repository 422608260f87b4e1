import { randomUUID } from 'node:crypto';
import type { Actor } from '@ent-observatory/xapi';
import { type AuNode, type BlockNode, type CourseStructure, textOf } from './course-structure.js';
import { isoDuration } from './duration.js';
import {
  ACTIVITY_TYPE,
  CATEGORY_CMI5,
  CATEGORY_MOVEON,
  type Cmi5Verb,
  EXT,
  type LaunchMode,
  LEARNER_PREFERENCES_PROFILE_ID,
  VERB,
  VERB_DISPLAY,
} from './vocabulary.js';

export type Statement = Record<string, unknown>;

/** Extra context the training space adds for its own learners (the ENT profile's uai and class). */
export type ContextExtras = Record<string, string>;

/** The contextTemplate of LMS.LaunchData (§10.2.1): the session id and the AU's publisher id in grouping. */
export function contextTemplateOf(au: AuNode, sessionId: string, extras: ContextExtras = {}): Record<string, unknown> {
  return {
    contextActivities: { grouping: [{ objectType: 'Activity', id: au.publisherId }] },
    extensions: { [EXT.sessionId]: sessionId, ...extras },
  };
}

export interface LaunchDataInput {
  au: AuNode;
  contextTemplate: Record<string, unknown>;
  launchMode: LaunchMode;
  returnUrl?: string | undefined;
  /** Agreed with the AU provider outside the course structure (§10.2.7.2). */
  alternateEntitlementKey?: string | undefined;
}

/** The LMS.LaunchData State document (§10.2), written before the launch. */
export function launchDataOf(input: LaunchDataInput): Record<string, unknown> {
  const { au } = input;
  const data: Record<string, unknown> = {
    contextTemplate: input.contextTemplate,
    launchMode: input.launchMode,
    moveOn: au.moveOn,
  };
  if (au.launchParameters !== undefined) data.launchParameters = au.launchParameters;
  if (au.masteryScore !== undefined) data.masteryScore = au.masteryScore;
  if (input.returnUrl !== undefined) data.returnURL = input.returnUrl;
  if (au.entitlementKey !== undefined || input.alternateEntitlementKey !== undefined) {
    const key: Record<string, string> = { courseStructure: au.entitlementKey ?? '' };
    if (input.alternateEntitlementKey !== undefined) key.alternate = input.alternateEntitlementKey;
    data.entitlementKey = key;
  }
  return data;
}

/** The learner preferences of §11, as the training space writes them for a learner who has none. */
export const DEFAULT_LEARNER_PREFERENCES = {
  id: LEARNER_PREFERENCES_PROFILE_ID,
  content: { languagePreference: 'fr-FR,fr', audioPreference: 'on' },
};

/** The launch URL (§8.1): the AU's url with the five launch parameters merged into its query string. */
export function launchUrlOf(
  auUrl: string,
  params: { endpoint: string; fetch: string; actor: Actor; registration: string; activityId: string },
): string {
  const url = new URL(auUrl);
  url.searchParams.set('endpoint', params.endpoint);
  url.searchParams.set('fetch', params.fetch);
  url.searchParams.set('actor', JSON.stringify(params.actor));
  url.searchParams.set('registration', params.registration);
  url.searchParams.set('activityId', params.activityId);
  return url.toString();
}

interface Base {
  actor: Actor;
  registration: string;
  sessionId: string;
  timestamp?: Date;
}

function verb(v: Cmi5Verb) {
  return { id: VERB[v], display: { 'en-US': VERB_DISPLAY[v] } };
}

function auObject(au: AuNode) {
  const definition: Record<string, unknown> = {
    name: Object.fromEntries(au.title.map((l) => [l.lang || 'und', l.text])),
  };
  if (au.activityType) definition.type = au.activityType;
  return { objectType: 'Activity', id: au.lmsId, definition };
}

function context(b: Base, grouping: string, extensions: Record<string, unknown>, moveOn = false, extra = {}) {
  return {
    registration: b.registration,
    contextActivities: {
      category: [
        { objectType: 'Activity', id: CATEGORY_CMI5 },
        ...(moveOn ? [{ objectType: 'Activity', id: CATEGORY_MOVEON }] : []),
      ],
      grouping: [{ objectType: 'Activity', id: grouping }],
    },
    extensions: { [EXT.sessionId]: b.sessionId, ...extra, ...extensions },
  };
}

function statement(b: Base, v: Cmi5Verb, object: unknown, ctx: unknown, result?: unknown): Statement {
  const s: Statement = {
    id: randomUUID(),
    timestamp: (b.timestamp ?? new Date()).toISOString(),
    actor: b.actor,
    verb: verb(v),
    object,
    context: ctx,
  };
  if (result !== undefined) s.result = result;
  return s;
}

/** "launched" (§9.3.1) with the extensions of §9.6.3: launchMode, launchURL, moveOn, masteryScore, parameters. */
export function launchedStatement(
  b: Base & { au: AuNode; launchMode: LaunchMode; launchUrl: string; extras?: ContextExtras },
): Statement {
  const ext: Record<string, unknown> = {
    [EXT.launchMode]: b.launchMode,
    [EXT.launchUrl]: b.launchUrl,
    [EXT.moveOn]: b.au.moveOn,
  };
  if (b.au.masteryScore !== undefined) ext[EXT.masteryScore] = b.au.masteryScore;
  if (b.au.launchParameters !== undefined) ext[EXT.launchParameters] = b.au.launchParameters;
  return statement(b, 'launched', auObject(b.au), context(b, b.au.publisherId, ext, false, b.extras));
}

/** "abandoned" (§9.3.6): the session ended abnormally; duration from launch to the AU's last statement. */
export function abandonedStatement(b: Base & { au: AuNode; durationMs: number; extras?: ContextExtras }): Statement {
  return statement(b, 'abandoned', auObject(b.au), context(b, b.au.publisherId, {}, false, b.extras), {
    duration: isoDuration(b.durationMs),
  });
}

/** "waived" (§9.3.7): success and completion true, a reason, its own session id. */
export function waivedStatement(b: Base & { au: AuNode; reason: string; extras?: ContextExtras }): Statement {
  return statement(b, 'waived', auObject(b.au), context(b, b.au.publisherId, {}, true, b.extras), {
    success: true,
    completion: true,
    extensions: { [EXT.reason]: b.reason },
  });
}

/** "satisfied" (§9.3.9) for a block or the course: its LMS id as object, its publisher id in grouping. */
export function satisfiedStatement(
  b: Base & { target: BlockNode | CourseStructure['course']; kind: 'block' | 'course'; extras?: ContextExtras },
): Statement {
  const object = {
    objectType: 'Activity',
    id: b.target.lmsId,
    definition: {
      type: b.kind === 'block' ? ACTIVITY_TYPE.block : ACTIVITY_TYPE.course,
      name: { [b.target.title[0]?.lang || 'und']: textOf(b.target.title) },
    },
  };
  return statement(b, 'satisfied', object, context(b, b.target.publisherId, {}, false, b.extras));
}
