import { actorIfi, checkTimestamp, isIri, isObject, isUuid, timestampToMillis } from '@ent-observatory/xapi';
import { LrsErrorCode, LrsException } from './lrs.exception.js';

/** The most statements one page returns; `limit=0` and larger limits mean this (Communication 2.1.3). */
export const MAX_PAGE_SIZE = 1000;

export type StatementFormat = 'ids' | 'exact' | 'canonical';

/** A parsed statement query: every filter of Communication 2.1.3, normalised (what a `more` cursor carries). */
export interface StatementQuery {
  /** IFI string (libs/xapi actorIfi) of the agent filter. */
  agent?: string;
  verb?: string;
  activity?: string;
  registration?: string;
  relatedAgents: boolean;
  relatedActivities: boolean;
  /** Exclusive lower bound on stored, epoch ms. */
  since?: number;
  /** Inclusive upper bound on stored, epoch ms. */
  until?: number;
  limit: number;
  ascending: boolean;
  format: StatementFormat;
  attachments: boolean;
}

const QUERY_PARAMS = new Set([
  'agent',
  'verb',
  'activity',
  'registration',
  'related_activities',
  'related_agents',
  'since',
  'until',
  'limit',
  'format',
  'attachments',
  'ascending',
]);

/** Parameters allowed beside statementId / voidedStatementId. */
const SINGLE_PARAMS = new Set(['attachments', 'format']);

type Params = Record<string, unknown>;

function bad(message: string): LrsException {
  return new LrsException(LrsErrorCode.InvalidParameter, message);
}

/** One string value per parameter: a repeated parameter is ambiguous. */
function single(params: Params, name: string): string | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw bad(`give the ${name} parameter once`);
  return v;
}

function bool(params: Params, name: string): boolean {
  const v = single(params, name);
  if (v === undefined) return false;
  if (v !== 'true' && v !== 'false') throw bad(`${name} must be true or false, got "${v}"`);
  return v === 'true';
}

function timestamp(params: Params, name: string): number | undefined {
  const v = single(params, name);
  if (v === undefined) return undefined;
  if (checkTimestamp(v, true) !== 'ok') {
    throw bad(`${name} must be an ISO 8601 timestamp with a time zone (e.g. 2026-01-05T08:00:00Z), got "${v}"`);
  }
  // `stored` has millisecond precision: stored > 12.0005 ⇔ stored > 12, stored ≤ 12.0005 ⇔ stored ≤ 12.
  return Math.floor(timestampToMillis(v));
}

export function parseFormat(params: Params): StatementFormat {
  const v = single(params, 'format') ?? 'exact';
  if (v !== 'ids' && v !== 'exact' && v !== 'canonical') {
    throw bad(`format must be ids, exact or canonical, got "${v}"`);
  }
  return v;
}

/** The agent parameter: a JSON Agent or Identified Group with exactly one IFI. */
function agentFilter(params: Params): string | undefined {
  const v = single(params, 'agent');
  if (v === undefined) return undefined;
  let agent: unknown;
  try {
    agent = JSON.parse(v);
  } catch {
    throw bad('agent must be a JSON Agent or Identified Group, e.g. {"mbox":"mailto:a@b.fr"}; it is not valid JSON');
  }
  if (!isObject(agent)) throw bad('agent must be a JSON object (an Agent or Identified Group)');
  const ifis = ['mbox', 'mbox_sha1sum', 'openid', 'account'].filter((k) => agent[k] !== undefined);
  if (ifis.length !== 1) {
    throw bad(`agent must have exactly one identifier (mbox, mbox_sha1sum, openid or account), it has ${ifis.length}`);
  }
  const { mbox, mbox_sha1sum: sha1, openid, account } = agent;
  const valid =
    (mbox === undefined || (typeof mbox === 'string' && /^mailto:[^\s@]+@[^\s@]+$/i.test(mbox))) &&
    (sha1 === undefined || (typeof sha1 === 'string' && /^[0-9a-f]{40}$/i.test(sha1))) &&
    (openid === undefined || (typeof openid === 'string' && isIri(openid))) &&
    (account === undefined ||
      (isObject(account) && typeof account.homePage === 'string' && typeof account.name === 'string'));
  if (!valid) throw bad(`agent has a malformed ${ifis[0]}`);
  return actorIfi(agent);
}

function iri(params: Params, name: string): string | undefined {
  const v = single(params, name);
  if (v !== undefined && !isIri(v)) throw bad(`${name} must be an IRI, got "${v}"`);
  return v;
}

function limit(params: Params): number {
  const v = single(params, 'limit');
  if (v === undefined) return MAX_PAGE_SIZE;
  if (!/^\d+$/.test(v)) throw bad(`limit must be a non-negative integer, got "${v}"`);
  const n = Number(v);
  return n === 0 || n > MAX_PAGE_SIZE ? MAX_PAGE_SIZE : n;
}

/** Parses the query string of GET /xapi/statements without statementId/voidedStatementId (400 on any problem). */
export function parseStatementQuery(params: Params): StatementQuery {
  const unknown = Object.keys(params).filter((k) => !QUERY_PARAMS.has(k));
  if (unknown.length > 0) {
    throw bad(`unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} for statement queries`);
  }
  const registration = single(params, 'registration');
  if (registration !== undefined && !isUuid(registration)) {
    throw bad(`registration must be a UUID, got "${registration}"`);
  }
  const query: StatementQuery = {
    agent: agentFilter(params),
    verb: iri(params, 'verb'),
    activity: iri(params, 'activity'),
    registration: registration?.toLowerCase(),
    relatedAgents: bool(params, 'related_agents'),
    relatedActivities: bool(params, 'related_activities'),
    since: timestamp(params, 'since'),
    until: timestamp(params, 'until'),
    limit: limit(params),
    ascending: bool(params, 'ascending'),
    format: parseFormat(params),
    attachments: bool(params, 'attachments'),
  };
  return query;
}

/** The options of GET ?statementId= / ?voidedStatementId= (Communication 2.1.3: only attachments and format). */
export function parseSingleOptions(params: Params, idParam: string): { format: StatementFormat; attachments: boolean } {
  const others = Object.keys(params).filter((k) => k !== idParam && !SINGLE_PARAMS.has(k));
  if (others.length > 0)
    throw bad(`with ${idParam} only attachments and format may be given, not ${others.join(', ')}`);
  return { format: parseFormat(params), attachments: bool(params, 'attachments') };
}
