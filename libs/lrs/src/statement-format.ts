import { type StoredStatement, isObject } from '@ent-observatory/xapi';
import type { StatementFormat } from './statement-query.js';

type Json = Record<string, unknown>;
type Pick = (map: Json) => Json;

const IFI_KEYS = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;
const INTERACTION_LISTS = ['choices', 'scale', 'source', 'target', 'steps'] as const;
const CONTEXT_ACTIVITY_KEYS = ['parent', 'grouping', 'category', 'other'] as const;

/** Accept-Language ranges by preference (RFC 9110 12.5.4): tag, quality; q=0 means "not this one". */
export function acceptedLanguages(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.tag !== '' && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((r) => r.tag);
}

/** Keeps one entry of a language map: the best accepted language (prefix ranges match), else the first entry. */
function languagePicker(accepted: string[]): Pick {
  return (map) => {
    const keys = Object.keys(map);
    const chosen =
      accepted
        .map((range) =>
          range === '*'
            ? keys[0]
            : (keys.find((k) => k.toLowerCase() === range) ??
              keys.find((k) => k.toLowerCase().startsWith(`${range}-`)) ??
              keys.find((k) => range.startsWith(`${k.toLowerCase()}-`))),
        )
        .find((k) => k !== undefined) ?? keys[0];
    return chosen === undefined ? {} : { [chosen]: map[chosen] };
  };
}

function idsActor(actor: unknown): unknown {
  if (!isObject(actor)) return actor;
  const out: Json = {};
  if (actor.objectType !== undefined) out.objectType = actor.objectType;
  const ifi = IFI_KEYS.find((k) => actor[k] !== undefined);
  if (ifi !== undefined) out[ifi] = actor[ifi];
  else if (Array.isArray(actor.member)) out.member = actor.member.map(idsActor);
  return out;
}

/** An Activity is identified by its id alone (objectType "Activity" is the default, so not needed to identify it). */
function idsActivity(activity: unknown): unknown {
  return isObject(activity) ? { id: activity.id } : activity;
}

/** xAPI 2.0.0 contextAgents / contextGroups: the Agent or Group inside each reduced to what identifies it. */
function idsContextActors(list: unknown, key: 'agent' | 'group'): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((entry: unknown) =>
    isObject(entry) && entry[key] !== undefined ? { ...entry, [key]: idsActor(entry[key]) } : entry,
  );
}

function mapContextActivities(context: Json, f: (a: unknown) => unknown): Json {
  if (!isObject(context.contextActivities)) return context;
  const ca: Json = { ...context.contextActivities };
  for (const key of CONTEXT_ACTIVITY_KEYS) {
    const v = ca[key];
    if (v !== undefined) ca[key] = Array.isArray(v) ? v.map(f) : f(v);
  }
  return { ...context, contextActivities: ca };
}

function idsObject(object: Json): Json {
  if (object.objectType === 'Agent' || object.objectType === 'Group') return idsActor(object) as Json;
  if (object.objectType === 'StatementRef') return object;
  if (object.objectType === 'SubStatement') return idsStatement(object);
  return idsActivity(object) as Json;
}

function idsStatement(s: Json): Json {
  const out: Json = { ...s, actor: idsActor(s.actor), object: isObject(s.object) ? idsObject(s.object) : s.object };
  if (isObject(s.verb)) out.verb = { id: s.verb.id };
  if (s.authority !== undefined) out.authority = idsActor(s.authority);
  if (isObject(s.context)) {
    const context = mapContextActivities(s.context, idsActivity);
    if (context.instructor !== undefined) context.instructor = idsActor(context.instructor);
    if (context.team !== undefined) context.team = idsActor(context.team);
    if (context.contextAgents !== undefined) context.contextAgents = idsContextActors(context.contextAgents, 'agent');
    if (context.contextGroups !== undefined) context.contextGroups = idsContextActors(context.contextGroups, 'group');
    out.context = context;
  }
  return out;
}

function canonicalActivity(activity: unknown, pick: Pick): unknown {
  if (!isObject(activity) || !isObject(activity.definition)) return activity;
  const d: Json = { ...activity.definition };
  if (isObject(d.name)) d.name = pick(d.name);
  if (isObject(d.description)) d.description = pick(d.description);
  for (const list of INTERACTION_LISTS) {
    const components = d[list];
    if (Array.isArray(components)) {
      d[list] = components.map((c: unknown) =>
        isObject(c) && isObject(c.description) ? { ...c, description: pick(c.description) } : c,
      );
    }
  }
  return { ...activity, definition: d };
}

function canonicalStatement(s: Json, pick: Pick): Json {
  const out: Json = { ...s };
  if (isObject(s.verb) && isObject(s.verb.display)) out.verb = { ...s.verb, display: pick(s.verb.display) };
  if (isObject(s.object)) {
    const o = s.object;
    if (o.objectType === 'SubStatement') out.object = canonicalStatement(o, pick);
    else if (o.objectType === undefined || o.objectType === 'Activity') out.object = canonicalActivity(o, pick);
  }
  if (isObject(s.context)) out.context = mapContextActivities(s.context, (a) => canonicalActivity(a, pick));
  return out;
}

/**
 * A stored statement in the requested format (Communication 2.1.3): exact as received, ids with only what
 * identifies Agents, Groups, Activities and Verbs, canonical with one language per language map (Accept-Language).
 */
export function formatStatement(
  s: StoredStatement,
  format: StatementFormat,
  acceptLanguage: string | undefined,
): StoredStatement {
  const json = s as unknown as Json;
  if (format === 'ids') return idsStatement(json) as unknown as StoredStatement;
  if (format === 'canonical') {
    return canonicalStatement(json, languagePicker(acceptedLanguages(acceptLanguage))) as unknown as StoredStatement;
  }
  return s;
}
