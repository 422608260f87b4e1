import { type Actor, actorIfi, isObject } from '@ent-observatory/xapi';
import { durationMs } from './duration.js';
import { CATEGORY_CMI5, CATEGORY_MOVEON, EXT, type LaunchMode, VERB } from './vocabulary.js';

/** What an AU session knows when its AU posts statements. */
export interface SessionFacts {
  sessionId: string;
  registration: string;
  actor: Actor;
  /** The AU's LMS activity id: the object of its cmi5 defined statements. */
  activityId: string;
  launchMode: LaunchMode;
  masteryScore: number | undefined;
  contextTemplate: Record<string, unknown>;
}

/** What the AU said so far in this session, and what the registration already holds for this AU. */
export interface SessionProgress {
  initialized: boolean;
  terminated: boolean;
  abandoned: boolean;
  completed: boolean;
  passed: boolean;
  failed: boolean;
  registrationCompleted: boolean;
  registrationPassed: boolean;
  /** Ids of statements already accepted in this session (a retried POST is not a second verb). */
  acceptedIds: ReadonlySet<string>;
}

/** The cmi5 defined verbs an AU may send (the others are the LMS's: launched, abandoned, waived, satisfied). */
export type AuVerb = 'initialized' | 'completed' | 'passed' | 'failed' | 'terminated';

/** What one accepted statement changes. */
export interface StatementEffect {
  id: string;
  /** The cmi5 defined verb, or undefined for a cmi5 allowed statement. */
  verb: AuVerb | undefined;
  durationMs: number | undefined;
  scaled: number | undefined;
  progress: number | undefined;
  timestamp: string | undefined;
  /** Already accepted in this session: neither checked nor counted again. */
  replay: boolean;
}

/** A statement the LMS refuses, with the rule of the cmi5 specification it breaks. */
export class Cmi5RuleViolation extends Error {
  constructor(
    readonly rule: string,
    readonly detail: string,
    readonly index: number,
  ) {
    super(`cmi5 ${rule}: ${detail}`);
  }
}

const AU_VERBS: Record<string, AuVerb> = {
  [VERB.initialized]: 'initialized',
  [VERB.completed]: 'completed',
  [VERB.passed]: 'passed',
  [VERB.failed]: 'failed',
  [VERB.terminated]: 'terminated',
};

type Obj = Record<string, unknown>;

/**
 * Checks a batch of AU statements against the statement rules of cmi5 §6.3, §7.1, §9 and §10.2 in order, each
 * against the session as the ones before it left it. Returns the effects and the progress after the batch, or
 * throws the first violation: the LMS rejects the whole request (§6.3 "SHOULD reject"), so nothing is recorded.
 */
export function checkAuStatements(
  statements: readonly Obj[],
  facts: SessionFacts,
  start: SessionProgress,
): { effects: StatementEffect[]; progress: SessionProgress } {
  const progress: SessionProgress = { ...start, acceptedIds: new Set(start.acceptedIds) };
  const seen = progress.acceptedIds as Set<string>;
  const effects = statements.map((st, i) => {
    const id = typeof st.id === 'string' ? st.id.toLowerCase() : undefined;
    if (id !== undefined && start.acceptedIds.has(id)) return replayEffect(id);
    const fail = (rule: string, detail: string) => new Cmi5RuleViolation(rule, detail, i);
    const effect = checkOne(st, facts, progress, fail);
    seen.add(effect.id);
    return effect;
  });
  return { effects, progress };
}

function replayEffect(id: string): StatementEffect {
  return {
    id,
    verb: undefined,
    durationMs: undefined,
    scaled: undefined,
    progress: undefined,
    timestamp: undefined,
    replay: true,
  };
}

type Fail = (rule: string, detail: string) => Cmi5RuleViolation;

function checkOne(st: Obj, facts: SessionFacts, p: SessionProgress, fail: Fail): StatementEffect {
  if (typeof st.id !== 'string') throw fail('§9.1', 'the AU MUST assign a statement id (UUID) to every statement');
  const verbId = isObject(st.verb) ? st.verb.id : undefined;
  if (verbId === VERB.voided) throw fail('§6.3', 'an AU may not void statements');
  if (p.abandoned) throw fail('§9.3.6', 'this session was abandoned: no statement may be recorded for it any more');
  if (p.terminated)
    throw fail('§9.3.8', 'this session is terminated: the LMS rejects statements sent after "terminated"');
  if (typeof st.timestamp !== 'string') throw fail('§9.7', 'every statement MUST include a timestamp');
  checkIdentity(st, facts, fail);
  const context = st.context as Obj;
  const categories = activityIds(context, 'category');
  const defined = categories.includes(CATEGORY_CMI5);
  const verb = defined ? AU_VERBS[String(verbId)] : undefined;
  if (!p.initialized && !(defined && verb === 'initialized')) {
    throw fail('§9.3', 'the first statement of a session MUST be the "initialized" statement');
  }
  const result = isObject(st.result) ? st.result : undefined;
  if (!defined) {
    if (categories.includes(CATEGORY_MOVEON)) {
      throw fail('§9.6.2.2', 'only cmi5 defined statements with success or completion carry the moveOn category');
    }
    return effectOf(st, undefined, result);
  }
  if (!verb) {
    throw fail(
      '§9.3',
      `an AU's cmi5 defined statements use initialized, completed, passed, failed or terminated, not ${String(verbId)}`,
    );
  }
  checkDefined(st, verb, facts, p, result, categories, fail);
  applyVerb(p, verb);
  return effectOf(st, verb, result);
}

function checkIdentity(st: Obj, facts: SessionFacts, fail: Fail): void {
  const actor = st.actor as Actor;
  if (!isObject(st.actor) || actorIfi(actor) !== actorIfi(facts.actor)) {
    throw fail('§8.1.3', 'the actor MUST be the one of the launch URL');
  }
  const context = isObject(st.context) ? st.context : undefined;
  if (!context)
    throw fail('§9.6', 'the statement has no context; the AU MUST use the contextTemplate of LMS.LaunchData');
  if (context.registration !== facts.registration) {
    throw fail('§9.6.1', `context.registration MUST be the registration of the launch (${facts.registration})`);
  }
  const extensions = isObject(context.extensions) ? context.extensions : {};
  if (extensions[EXT.sessionId] !== facts.sessionId) {
    throw fail('§9.6.3.1', `the context MUST carry this session's id in the extension ${EXT.sessionId}`);
  }
  checkTemplate(context, facts.contextTemplate, fail);
}

/** The context MUST contain every value of the contextTemplate (§10.2.1): activities by id, extensions by value. */
function checkTemplate(context: Obj, template: Obj, fail: Fail): void {
  const templateActivities = isObject(template.contextActivities) ? template.contextActivities : {};
  for (const [list, expected] of Object.entries(templateActivities)) {
    const ids = activityIds(context, list);
    for (const a of Array.isArray(expected) ? expected : []) {
      if (isObject(a) && !ids.includes(String(a.id))) {
        throw fail(
          '§10.2.1',
          `context.contextActivities.${list} MUST include ${String(a.id)} from the contextTemplate`,
        );
      }
    }
  }
  const templateExtensions = isObject(template.extensions) ? template.extensions : {};
  const extensions = isObject(context.extensions) ? context.extensions : {};
  for (const [key, value] of Object.entries(templateExtensions)) {
    if (JSON.stringify(extensions[key]) !== JSON.stringify(value)) {
      throw fail('§10.2.1', `context extension ${key} MUST keep the contextTemplate's value`);
    }
  }
}

function checkDefined(
  st: Obj,
  verb: AuVerb,
  facts: SessionFacts,
  p: SessionProgress,
  result: Obj | undefined,
  categories: string[],
  fail: Fail,
): void {
  const actor = st.actor as Obj;
  if ((actor.objectType !== undefined && actor.objectType !== 'Agent') || !isObject(actor.account)) {
    throw fail('§9.2', 'the actor of cmi5 defined statements MUST be an Agent identified by an account');
  }
  const objectId = isObject(st.object) ? st.object.id : undefined;
  if (objectId !== facts.activityId) {
    throw fail('§9.4', `the object of cmi5 defined statements MUST be the AU's activityId (${facts.activityId})`);
  }
  if (facts.launchMode !== 'Normal' && (verb === 'completed' || verb === 'passed' || verb === 'failed')) {
    throw fail(
      '§10.2.2',
      `in ${facts.launchMode} mode an AU MUST NOT record "${verb}" (only initialized and terminated)`,
    );
  }
  checkOrder(verb, p, fail);
  checkResult(verb, result, facts, st, categories, fail);
}

function checkOrder(verb: AuVerb, p: SessionProgress, fail: Fail): void {
  const duplicate =
    (verb === 'initialized' && p.initialized) ||
    (verb === 'completed' && p.completed) ||
    (verb === 'passed' && p.passed) ||
    (verb === 'failed' && p.failed);
  if (duplicate) throw fail('§9.3', `"${verb}" was already sent in this session: verbs MUST NOT be duplicated`);
  if ((verb === 'passed' && p.failed) || (verb === 'failed' && p.passed)) {
    throw fail('§9.3', 'a session MUST NOT use both "passed" and "failed"');
  }
  if (verb === 'completed' && p.registrationCompleted) {
    throw fail('§9.3.3', 'this AU is already completed in this registration: zero or one "completed" per registration');
  }
  if (verb === 'passed' && p.registrationPassed) {
    throw fail('§9.3.4', 'this AU is already passed in this registration: zero or one "passed" per registration');
  }
  if (verb === 'failed' && p.registrationPassed) {
    throw fail('§9.3', '"failed" MUST NOT follow "passed" in a registration');
  }
}

function checkResult(
  verb: AuVerb,
  result: Obj | undefined,
  facts: SessionFacts,
  st: Obj,
  categories: string[],
  fail: Fail,
): void {
  const r = result ?? {};
  const needsDuration = verb !== 'initialized';
  if (needsDuration && typeof r.duration !== 'string') {
    throw fail('§9.5.4.1', `the AU MUST include result.duration in "${verb}" statements`);
  }
  if (verb === 'completed' ? r.completion !== true : r.completion !== undefined) {
    throw fail(
      '§9.5.3',
      verb === 'completed'
        ? '"completed" MUST have result.completion true'
        : `"${verb}" MUST NOT include result.completion`,
    );
  }
  if (verb === 'passed' && r.success !== true) throw fail('§9.5.2', '"passed" MUST have result.success true');
  if (verb === 'failed' && r.success !== false) throw fail('§9.5.2', '"failed" MUST have result.success false');
  if (verb !== 'passed' && verb !== 'failed' && r.success !== undefined) {
    throw fail('§9.5.2', `"${verb}" MUST NOT include result.success`);
  }
  const judged = r.success !== undefined || r.completion !== undefined;
  if (judged !== categories.includes(CATEGORY_MOVEON)) {
    throw fail(
      '§9.6.2.2',
      judged
        ? `"${verb}" has success or completion: it MUST carry the moveOn category ${CATEGORY_MOVEON}`
        : `"${verb}" MUST NOT carry the moveOn category`,
    );
  }
  checkScore(verb, r, facts, st, fail);
}

function checkScore(verb: AuVerb, r: Obj, facts: SessionFacts, st: Obj, fail: Fail): void {
  if (r.score === undefined) return;
  if (verb !== 'passed' && verb !== 'failed') throw fail('§9.5.1', `"${verb}" MUST NOT include a score`);
  const score = isObject(r.score) ? r.score : {};
  if (score.raw !== undefined && (score.min === undefined || score.max === undefined)) {
    throw fail('§9.5.1', 'a raw score MUST come with its min and max');
  }
  if (facts.masteryScore === undefined) return;
  const scaled = typeof score.scaled === 'number' ? score.scaled : undefined;
  if (scaled !== undefined && verb === 'passed' && scaled < facts.masteryScore) {
    throw fail('§9.3.4', `"passed" with scaled score ${scaled} is below the masteryScore ${facts.masteryScore}`);
  }
  if (scaled !== undefined && verb === 'failed' && scaled >= facts.masteryScore) {
    throw fail('§9.3.5', `"failed" with scaled score ${scaled} is not below the masteryScore ${facts.masteryScore}`);
  }
  const extensions = isObject((st.context as Obj).extensions) ? ((st.context as Obj).extensions as Obj) : {};
  if (extensions[EXT.masteryScore] !== facts.masteryScore) {
    throw fail(
      '§9.6.3.2',
      `a scored "${verb}" MUST carry the masteryScore ${facts.masteryScore} in ${EXT.masteryScore}`,
    );
  }
}

function applyVerb(p: SessionProgress, verb: AuVerb): void {
  switch (verb) {
    case 'initialized':
      p.initialized = true;
      break;
    case 'terminated':
      p.terminated = true;
      break;
    case 'completed':
      p.completed = true;
      p.registrationCompleted = true;
      break;
    case 'passed':
      p.passed = true;
      p.registrationPassed = true;
      break;
    case 'failed':
      p.failed = true;
      break;
  }
}

function effectOf(st: Obj, verb: AuVerb | undefined, result: Obj | undefined): StatementEffect {
  const score = result && isObject(result.score) ? result.score : undefined;
  const extensions = result && isObject(result.extensions) ? result.extensions : {};
  const progress = extensions[EXT.progress];
  return {
    id: String(st.id).toLowerCase(),
    verb,
    durationMs: typeof result?.duration === 'string' ? durationMs(result.duration) : undefined,
    scaled: typeof score?.scaled === 'number' ? score.scaled : undefined,
    progress: typeof progress === 'number' && Number.isInteger(progress) ? progress : undefined,
    timestamp: typeof st.timestamp === 'string' ? st.timestamp : undefined,
    replay: false,
  };
}

function activityIds(context: unknown, list: string): string[] {
  if (!isObject(context) || !isObject(context.contextActivities)) return [];
  const value = context.contextActivities[list];
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.filter(isObject).map((a) => String(a.id));
}
