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

/** An Agent or Group's IFI, and those of a Group's members. */
function actorKeys(actor: unknown): string[] {
  if (!isObject(actor)) return [];
  const keys: string[] = [];
  const a = actor as unknown as Actor;
  if (a.mbox !== undefined || a.mbox_sha1sum !== undefined || a.openid !== undefined || a.account !== undefined) {
    keys.push(actorIfi(a));
  }
  if (Array.isArray(actor.member)) for (const m of actor.member) keys.push(...actorKeys(m));
  return keys;
}

function isAgentOrGroup(o: Json): boolean {
  return o.objectType === 'Agent' || o.objectType === 'Group';
}

function contextActivityIds(context: unknown): string[] {
  if (!isObject(context) || !isObject(context.contextActivities)) return [];
  const ids: string[] = [];
  for (const value of Object.values(context.contextActivities)) {
    for (const a of Array.isArray(value) ? value : [value]) if (isObject(a) && typeof a.id === 'string') ids.push(a.id);
  }
  return ids;
}

function contextAgents(context: unknown): string[] {
  if (!isObject(context)) return [];
  return [...actorKeys(context.instructor), ...actorKeys(context.team)];
}

/** An Authority's identity; a two-member OAuth Group has no IFI of its own: its members' IFIs, sorted. */
export function authorityKey(authority: Actor): string {
  const ifi = actorIfi(authority);
  return ifi !== 'anonymous-group' ? ifi : actorKeys(authority).sort().join(',');
}

/** The query keys of a stored statement, without duplicates. */
export function statementQueryKeys(s: StoredStatement): string[] {
  const keys = new Set<string>();
  const add = (prefix: string, values: string[]) => values.forEach((v) => keys.add(prefix + v));
  const object = s.object as unknown as Json;
  add(QUERY_KEY.agent, actorKeys(s.actor));
  add(QUERY_KEY.verb, [s.verb.id]);
  if (isAgentOrGroup(object)) add(QUERY_KEY.agent, actorKeys(object));
  else if (object.objectType === undefined || object.objectType === 'Activity') {
    add(QUERY_KEY.activity, [String(object.id)]);
  }
  add(QUERY_KEY.relatedAgent, [...actorKeys(s.authority), ...contextAgents(s.context)]);
  add(QUERY_KEY.authority, [authorityKey(s.authority)]);
  add(QUERY_KEY.relatedActivity, contextActivityIds(s.context));
  if (object.objectType === 'SubStatement') {
    const sub = object;
    const subObject = isObject(sub.object) ? sub.object : {};
    add(QUERY_KEY.relatedAgent, [...actorKeys(sub.actor), ...contextAgents(sub.context)]);
    if (isAgentOrGroup(subObject)) add(QUERY_KEY.relatedAgent, actorKeys(subObject));
    else if (typeof subObject.id === 'string' && subObject.objectType !== 'StatementRef') {
      add(QUERY_KEY.relatedActivity, [subObject.id]);
    }
    add(QUERY_KEY.relatedActivity, contextActivityIds(sub.context));
  }
  if (s.context?.registration) add(QUERY_KEY.registration, [s.context.registration.toLowerCase()]);
  add(
    QUERY_KEY.attachment,
    (s.attachments ?? []).map((a) => a.sha2.toLowerCase()),
  );
  return [...keys];
}
