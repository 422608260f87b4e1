import { checkTimestamp, isDuration, isLanguageTag, isMediaType, isSha2Hex, isUuid } from './formats.js';
import { type Json, type Problem, Problems, isObject } from './problems.js';
import { VOIDED_VERB } from './types.js';
import { checkActivity, checkActivityList } from './validate-activity.js';
import {
  IFI_KEYS,
  type ValidationOptions,
  checkActor,
  checkAgent,
  checkExtensions,
  checkGroup,
  checkGroupOnly,
  checkIri,
  checkIrl,
  checkLanguageMap,
} from './validate-common.js';

const STATEMENT_KEYS = new Set([
  'id',
  'actor',
  'verb',
  'object',
  'result',
  'context',
  'timestamp',
  'stored',
  'authority',
  'version',
  'attachments',
]);
const SUBSTATEMENT_KEYS = new Set([
  'objectType',
  'actor',
  'verb',
  'object',
  'result',
  'context',
  'timestamp',
  'attachments',
]);
const VERB_KEYS = new Set(['id', 'display']);
const RESULT_KEYS = new Set(['score', 'success', 'completion', 'response', 'duration', 'extensions']);
const SCORE_KEYS = new Set(['scaled', 'raw', 'min', 'max']);
const CONTEXT_KEYS_103 = [
  'registration',
  'instructor',
  'team',
  'contextActivities',
  'revision',
  'platform',
  'language',
  'statement',
  'extensions',
];
const CONTEXT_KEYS = {
  '1.0.3': new Set(CONTEXT_KEYS_103),
  '2.0.0': new Set([...CONTEXT_KEYS_103, 'contextAgents', 'contextGroups']),
};
const CONTEXT_ACTIVITY_KEYS = new Set(['parent', 'grouping', 'category', 'other']);
const ATTACHMENT_KEYS = new Set(['usageType', 'display', 'description', 'contentType', 'length', 'sha2', 'fileUrl']);
const STATEMENT_REF_KEYS = new Set(['objectType', 'id']);
const CONTEXT_AGENT_KEYS = new Set(['objectType', 'agent', 'relevantTypes']);
const CONTEXT_GROUP_KEYS = new Set(['objectType', 'group', 'relevantTypes']);

/**
 * Validates one statement against every rule of the xAPI Data part and returns all problems found
 * (an empty list means valid). `path` prefixes each problem's location, e.g. `$[3]` inside a batch.
 */
export function validateStatement(input: unknown, options: ValidationOptions, path = '$'): Problem[] {
  const p = new Problems();
  checkStatement(p, input, path, options);
  return p.list;
}

/** Validates a batch (a single statement or an array of them): the batch is valid only if every statement is. */
export function validateStatements(input: unknown, options: ValidationOptions): Problem[] {
  if (!Array.isArray(input)) return validateStatement(input, options);
  const p = new Problems();
  if (input.length === 0) p.add('$', 'must contain at least one statement');
  input.forEach((s, i) => checkStatement(p, s, `$[${i}]`, options));
  const ids = new Map<string, number>();
  input.forEach((s, i) => {
    if (!isObject(s) || typeof s.id !== 'string') return;
    const id = s.id.toLowerCase();
    const first = ids.get(id);
    if (first !== undefined) p.add(`$[${i}].id`, `repeats the id of statement $[${first}] in the same batch`);
    else ids.set(id, i);
  });
  return p.list;
}

function checkStatement(p: Problems, v: unknown, path: string, o: ValidationOptions): void {
  if (!p.object(v, path, 'a Statement')) return;
  p.onlyKnown(v, path, STATEMENT_KEYS, 'a Statement');
  if (v.id !== undefined) checkUuid(p, v.id, `${path}.id`);
  checkCore(p, v, path, o, false);
  if (v.stored !== undefined) checkTimestampValue(p, v.stored, `${path}.stored`, o);
  if (v.authority !== undefined) checkAuthority(p, v.authority, `${path}.authority`);
  if (v.version !== undefined) checkVersion(p, v.version, `${path}.version`, o);
  if (isObject(v.verb) && v.verb.id === VOIDED_VERB) {
    const obj = v.object;
    if (!isObject(obj) || obj.objectType !== 'StatementRef') {
      p.add(`${path}.object`, 'a voiding statement (verb voided) must have a StatementRef as its object');
    }
  }
}

/** What statements and sub-statements share: actor, verb, object, result, context, timestamp, attachments. */
function checkCore(p: Problems, v: Json, path: string, o: ValidationOptions, isSubStatement: boolean): void {
  for (const required of ['actor', 'verb', 'object'] as const) {
    if (v[required] === undefined) p.add(`${path}.${required}`, 'is required');
  }
  if (v.actor !== undefined) checkActor(p, v.actor, `${path}.actor`);
  if (v.verb !== undefined) checkVerb(p, v.verb, `${path}.verb`);
  if (v.object !== undefined) checkObject(p, v.object, `${path}.object`, o, isSubStatement);
  if (v.result !== undefined) checkResult(p, v.result, `${path}.result`);
  if (v.context !== undefined) checkContext(p, v.context, `${path}.context`, v.object, o);
  if (v.timestamp !== undefined) checkTimestampValue(p, v.timestamp, `${path}.timestamp`, o);
  if (v.attachments !== undefined) checkAttachments(p, v.attachments, `${path}.attachments`);
}

function checkUuid(p: Problems, v: unknown, path: string): void {
  if (p.string(v, path) && !isUuid(v)) p.add(path, `must be a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), got "${v}"`);
}

function checkVerb(p: Problems, v: unknown, path: string): void {
  if (!p.object(v, path, 'a Verb')) return;
  p.onlyKnown(v, path, VERB_KEYS, 'a Verb');
  if (v.id === undefined) p.add(`${path}.id`, 'is required');
  else checkIri(p, v.id, `${path}.id`);
  if (v.display !== undefined) checkLanguageMap(p, v.display, `${path}.display`);
}

function checkObject(p: Problems, v: unknown, path: string, o: ValidationOptions, inSubStatement: boolean): void {
  if (!p.object(v, path, 'a statement object')) return;
  switch (v.objectType) {
    case undefined:
    case 'Activity':
      return checkActivity(p, v, path);
    case 'Agent':
      return checkAgent(p, v, path, true);
    case 'Group':
      return checkGroup(p, v, path);
    case 'StatementRef':
      return checkStatementRef(p, v, path);
    case 'SubStatement':
      if (inSubStatement) {
        p.add(`${path}.objectType`, 'a SubStatement cannot have a SubStatement as its object');
        return;
      }
      p.onlyKnown(v, path, SUBSTATEMENT_KEYS, 'a SubStatement');
      return checkCore(p, v, path, o, true);
    default:
      p.add(`${path}.objectType`, 'must be Activity, Agent, Group, StatementRef or SubStatement');
  }
}

function checkStatementRef(p: Problems, v: unknown, path: string): void {
  if (!p.object(v, path, 'a StatementRef')) return;
  p.onlyKnown(v, path, STATEMENT_REF_KEYS, 'a StatementRef');
  if (v.objectType !== 'StatementRef') p.add(`${path}.objectType`, 'must be "StatementRef"');
  if (v.id === undefined) p.add(`${path}.id`, 'is required');
  else checkUuid(p, v.id, `${path}.id`);
}

function checkResult(p: Problems, v: unknown, path: string): void {
  if (!p.object(v, path, 'a Result')) return;
  p.onlyKnown(v, path, RESULT_KEYS, 'a Result');
  if (v.score !== undefined) checkScore(p, v.score, `${path}.score`);
  if (v.success !== undefined) p.boolean(v.success, `${path}.success`);
  if (v.completion !== undefined) p.boolean(v.completion, `${path}.completion`);
  if (v.response !== undefined) p.string(v.response, `${path}.response`);
  if (v.duration !== undefined && p.string(v.duration, `${path}.duration`) && !isDuration(v.duration)) {
    p.add(`${path}.duration`, `must be an ISO 8601 duration such as PT1H30M or PT4.5S, got "${v.duration}"`);
  }
  if (v.extensions !== undefined) checkExtensions(p, v.extensions, `${path}.extensions`);
}

function checkScore(p: Problems, v: unknown, path: string): void {
  if (!p.object(v, path, 'a Score')) return;
  p.onlyKnown(v, path, SCORE_KEYS, 'a Score');
  const n = (key: string): number | undefined =>
    v[key] !== undefined && p.number(v[key], `${path}.${key}`) ? v[key] : undefined;
  const scaled = n('scaled');
  const raw = n('raw');
  const min = n('min');
  const max = n('max');
  if (scaled !== undefined && (scaled < -1 || scaled > 1)) p.add(`${path}.scaled`, 'must be between -1 and 1');
  if (min !== undefined && max !== undefined && min >= max) p.add(`${path}.max`, 'must be greater than min');
  if (raw !== undefined && min !== undefined && raw < min) p.add(`${path}.raw`, 'must not be below min');
  if (raw !== undefined && max !== undefined && raw > max) p.add(`${path}.raw`, 'must not be above max');
}

function checkContext(p: Problems, v: unknown, path: string, object: unknown, o: ValidationOptions): void {
  if (!p.object(v, path, 'a Context')) return;
  p.onlyKnown(v, path, CONTEXT_KEYS[o.version], 'a Context');
  if (v.registration !== undefined) checkUuid(p, v.registration, `${path}.registration`);
  if (v.instructor !== undefined) checkActor(p, v.instructor, `${path}.instructor`);
  if (v.team !== undefined) checkGroupOnly(p, v.team, `${path}.team`);
  if (v.contextActivities !== undefined) checkContextActivities(p, v.contextActivities, `${path}.contextActivities`);
  const objectIsActivity = isObject(object) && (object.objectType === undefined || object.objectType === 'Activity');
  for (const key of ['revision', 'platform'] as const) {
    if (v[key] === undefined) continue;
    if (p.string(v[key], `${path}.${key}`) && !objectIsActivity) {
      p.add(`${path}.${key}`, 'can only be used when the statement object is an Activity');
    }
  }
  if (v.language !== undefined && p.string(v.language, `${path}.language`) && !isLanguageTag(v.language)) {
    p.add(`${path}.language`, `must be an RFC 5646 language tag, got "${v.language}"`);
  }
  if (v.statement !== undefined) checkStatementRef(p, v.statement, `${path}.statement`);
  if (v.extensions !== undefined) checkExtensions(p, v.extensions, `${path}.extensions`);
  if (v.contextAgents !== undefined) checkContextAgents(p, v.contextAgents, `${path}.contextAgents`, 'agent');
  if (v.contextGroups !== undefined) checkContextAgents(p, v.contextGroups, `${path}.contextGroups`, 'group');
}

function checkContextActivities(p: Problems, v: unknown, path: string): void {
  if (!p.object(v, path, 'a contextActivities object')) return;
  p.onlyKnown(v, path, CONTEXT_ACTIVITY_KEYS, 'contextActivities');
  for (const key in v) if (CONTEXT_ACTIVITY_KEYS.has(key)) checkActivityList(p, v[key], `${path}.${key}`);
}

function checkContextAgents(p: Problems, v: unknown, path: string, kind: 'agent' | 'group'): void {
  if (!p.array(v, path)) return;
  const objectType = kind === 'agent' ? 'contextAgent' : 'contextGroup';
  v.forEach((entry, i) => {
    const at = `${path}[${i}]`;
    if (!p.object(entry, at, `a ${objectType}`)) return;
    p.onlyKnown(entry, at, kind === 'agent' ? CONTEXT_AGENT_KEYS : CONTEXT_GROUP_KEYS, `a ${objectType}`);
    if (entry.objectType !== objectType) p.add(`${at}.objectType`, `must be "${objectType}"`);
    if (entry[kind] === undefined) p.add(`${at}.${kind}`, 'is required');
    else if (kind === 'agent') checkAgent(p, entry.agent, `${at}.agent`);
    else checkGroupOnly(p, entry.group, `${at}.group`);
    if (entry.relevantTypes === undefined) return;
    if (p.array(entry.relevantTypes, `${at}.relevantTypes`)) {
      if (entry.relevantTypes.length === 0) p.add(`${at}.relevantTypes`, 'must not be empty');
      entry.relevantTypes.forEach((t, j) => checkIri(p, t, `${at}.relevantTypes[${j}]`));
    }
  });
}

function checkTimestampValue(p: Problems, v: unknown, path: string, o: ValidationOptions): void {
  if (!p.string(v, path)) return;
  const verdict = checkTimestamp(v, o.version === '2.0.0');
  const messages = {
    ok: '',
    malformed: `must be an ISO 8601 date-time such as 2026-01-05T08:30:00.000Z, got "${v}"`,
    'invalid-date': `is not a real date or time: "${v}"`,
    'negative-zero-offset': 'must not use the -00:00 offset (unknown local offset); use Z or +00:00',
    'no-offset': 'must include a time zone offset (Z or ±hh:mm) in xAPI 2.0.0',
  };
  if (verdict !== 'ok') p.add(path, messages[verdict]);
}

/**
 * Data 2.4.9: an authority is an Agent, or, in 3-legged OAuth only, an anonymous Group of exactly two Agents: the
 * OAuth consumer (identified by account, the consumer key as name) and the user. Any other Group is refused.
 */
function checkAuthority(p: Problems, v: unknown, path: string): void {
  if (!isObject(v) || v.objectType !== 'Group') {
    checkAgent(p, v, path);
    return;
  }
  checkGroup(p, v, path);
  if (IFI_KEYS.some((k) => v[k] !== undefined)) {
    p.add(path, 'an authority Group must be anonymous (the OAuth consumer and user pair), not an identified Group');
  }
  if (!Array.isArray(v.member)) return;
  if (v.member.length !== 2) {
    p.add(
      `${path}.member`,
      `an authority Group must have exactly two Agents (OAuth consumer and user), found ${v.member.length}`,
    );
  } else if (!v.member.some((m) => isObject(m) && m.account !== undefined)) {
    p.add(`${path}.member`, 'an authority Group must hold the OAuth consumer, an Agent identified by account');
  }
}

/**
 * Data 2.4.10: 1.0.3 accepts every version starting with "1.0" ("1.0", "1.0.x"); 2.0.0 accepts those and every one
 * starting with "2.0" — a statement keeps the version it was accepted with, and 1.0.x statements still flow into a
 * 2.0.0 LRS (XAPI-00101, XAPI-00332). Anything else (0.9.5, 1.1.0, "2") is refused.
 */
function checkVersion(p: Problems, v: unknown, path: string, o: ValidationOptions): void {
  if (!p.string(v, path)) return;
  const accepted = o.version === '2.0.0' ? /^(?:1|2)\.0(?:\.\d+)?$/ : /^1\.0(?:\.\d+)?$/;
  if (!accepted.test(v)) {
    p.add(path, `must be a ${o.version === '2.0.0' ? '1.0.x or 2.0.x' : '1.0.x'} version, got "${v}"`);
  }
}

function checkAttachments(p: Problems, v: unknown, path: string): void {
  if (!p.array(v, path)) return;
  v.forEach((a, i) => {
    const at = `${path}[${i}]`;
    if (!p.object(a, at, 'an Attachment')) return;
    p.onlyKnown(a, at, ATTACHMENT_KEYS, 'an Attachment');
    for (const key of ['usageType', 'display', 'contentType', 'length', 'sha2'] as const) {
      if (a[key] === undefined) p.add(`${at}.${key}`, 'is required');
    }
    if (a.usageType !== undefined) checkIri(p, a.usageType, `${at}.usageType`);
    if (a.display !== undefined) checkLanguageMap(p, a.display, `${at}.display`);
    if (a.description !== undefined) checkLanguageMap(p, a.description, `${at}.description`);
    if (a.contentType !== undefined && p.string(a.contentType, `${at}.contentType`) && !isMediaType(a.contentType)) {
      p.add(`${at}.contentType`, `must be an Internet media type, got "${a.contentType}"`);
    }
    if (a.length !== undefined && (!Number.isInteger(a.length) || (a.length as number) < 0)) {
      p.add(`${at}.length`, 'must be a non-negative integer (bytes)');
    }
    if (a.sha2 !== undefined && p.string(a.sha2, `${at}.sha2`) && !isSha2Hex(a.sha2)) {
      p.add(`${at}.sha2`, 'must be the hex SHA-2 (224, 256, 384 or 512) of the attachment');
    }
    if (a.fileUrl !== undefined) checkIrl(p, a.fileUrl, `${at}.fileUrl`);
  });
}
