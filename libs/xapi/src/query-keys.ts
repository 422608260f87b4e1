import { actorIfi } from './analytics.js';
import { isObject } from './problems.js';
import type { Actor, StoredStatement } from './types.js';

/**
 * Prefixes of the statement query keys (Communication 2.1.3): one key per way a statement can match a filter, so
 * that the LRS finds matching statements in one ordered lookup table (`statement_keys`) instead of scanning.
 */
export const QUERY_KEY = {
  /** agent=: the Actor, or an Agent/Group Object (Groups match their members too). */
  agent: 'a:',
  /** related_agents=true adds: Authority, Instructor, Team, and all of these inside a SubStatement. */
  relatedAgent: 'A:',
  verb: 'v:',
  /** activity=: the Object when it is an Activity. */
  activity: 'o:',
  /** related_activities=true adds: context Activities, and the Object and context Activities of a SubStatement. */
  relatedActivity: 'O:',
  registration: 'r:',
  /** The Authority: what a statements/read/mine credential may read. */
  authority: 'w:',
  /** sha2 of each attachment: which attachment contents statements still reference. */
  attachment: 'h:',
} as const;

type Json = Record<string, unknown>;

/** An Agent or Group's IFI, and those of a Group's members, each as `prefix` + IFI into `out`. */
function addActorKeys(out: string[], prefix: string, actor: unknown): void {
  if (!isObject(actor)) return;
  const a = actor as unknown as Actor;
  if (a.mbox !== undefined || a.mbox_sha1sum !== undefined || a.openid !== undefined || a.account !== undefined) {
    out.push(prefix + actorIfi(a));
  }
  if (Array.isArray(actor.member)) for (const m of actor.member) addActorKeys(out, prefix, m);
}

/** An Agent or Group's IFI, and those of a Group's members. */
function actorKeys(actor: unknown): string[] {
  const keys: string[] = [];
  addActorKeys(keys, '', actor);
  return keys;
}

function isAgentOrGroup(o: Json): boolean {
  return o.objectType === 'Agent' || o.objectType === 'Group';
}

function addContextActivities(out: string[], prefix: string, context: unknown): void {
  if (!isObject(context) || !isObject(context.contextActivities)) return;
  for (const value of Object.values(context.contextActivities)) {
    if (Array.isArray(value)) {
      for (const a of value) if (isObject(a) && typeof a.id === 'string') out.push(prefix + a.id);
    } else if (isObject(value) && typeof value.id === 'string') out.push(prefix + value.id);
  }
}

function addContextAgents(out: string[], prefix: string, context: unknown): void {
  if (!isObject(context)) return;
  addActorKeys(out, prefix, context.instructor);
  addActorKeys(out, prefix, context.team);
}

/** An Authority's identity; a two-member OAuth Group has no IFI of its own: its members' IFIs, sorted. */
export function authorityKey(authority: Actor): string {
  const ifi = actorIfi(authority);
  return ifi !== 'anonymous-group' ? ifi : actorKeys(authority).sort().join(',');
}

/** The query keys of a stored statement, without duplicates. */
export function statementQueryKeys(s: StoredStatement): string[] {
  // One array, deduplicated once at the end (in first-seen order): a Set and an array per kind of key cost more than
  // the rest of the row (bench/ingest-profile.mjs).
  const keys: string[] = [];
  const object = s.object as unknown as Json;
  addActorKeys(keys, QUERY_KEY.agent, s.actor);
  keys.push(QUERY_KEY.verb + s.verb.id);
  if (isAgentOrGroup(object)) addActorKeys(keys, QUERY_KEY.agent, object);
  else if (object.objectType === undefined || object.objectType === 'Activity') {
    keys.push(QUERY_KEY.activity + String(object.id));
  }
  addActorKeys(keys, QUERY_KEY.relatedAgent, s.authority);
  addContextAgents(keys, QUERY_KEY.relatedAgent, s.context);
  keys.push(QUERY_KEY.authority + authorityKey(s.authority));
  addContextActivities(keys, QUERY_KEY.relatedActivity, s.context);
  if (object.objectType === 'SubStatement') {
    const sub = object;
    const subObject = isObject(sub.object) ? sub.object : {};
    addActorKeys(keys, QUERY_KEY.relatedAgent, sub.actor);
    addContextAgents(keys, QUERY_KEY.relatedAgent, sub.context);
    if (isAgentOrGroup(subObject)) addActorKeys(keys, QUERY_KEY.relatedAgent, subObject);
    else if (typeof subObject.id === 'string' && subObject.objectType !== 'StatementRef') {
      keys.push(QUERY_KEY.relatedActivity + subObject.id);
    }
    addContextActivities(keys, QUERY_KEY.relatedActivity, sub.context);
  }
  if (s.context?.registration) keys.push(QUERY_KEY.registration + s.context.registration.toLowerCase());
  for (const a of s.attachments ?? []) keys.push(QUERY_KEY.attachment + a.sha2.toLowerCase());
  if (keys.length > 16) return [...new Set(keys)];
  for (let i = 1; i < keys.length; i++) if (keys.indexOf(keys[i] as string) < i) return [...new Set(keys)];
  return keys;
}
