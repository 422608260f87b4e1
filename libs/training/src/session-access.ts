import { actorIfi, isObject } from '@ent-observatory/xapi';
import type { SessionCredential } from './cmi5-session.js';
import { LAUNCH_DATA_STATE_ID, LEARNER_PREFERENCES_PROFILE_ID } from './vocabulary.js';

/** An xAPI request as the access rules of an AU session see it. */
export interface XapiRequest {
  method: string;
  /** The matched route, e.g. `/xapi/activities/state`. */
  route: string;
  query: Record<string, unknown>;
}

/** Why an AU session may not make a request (the LRS answers 403 with it). */
export class SessionAccessDenied extends Error {}

/**
 * What an auth token lets its AU do on /xapi (§8.2, §10, §11): read and write as its own actor in its own
 * registration, never touch LMS.LaunchData but read it, never read another learner. Returns query parameters to
 * add (a statement query is narrowed to the session's actor and registration); throws SessionAccessDenied.
 */
export function authorizeSessionRequest(cred: SessionCredential, req: XapiRequest): Record<string, string> {
  const read = req.method === 'GET' || req.method === 'HEAD';
  const deny = (why: string): never => {
    throw new SessionAccessDenied(`AU session ${cred.sessionId}: ${why}`);
  };
  if (cred.ended && !read) deny(`the session is ${cred.ended}: its auth token no longer writes`);
  switch (req.route) {
    case '/xapi/statements':
      return read ? narrowQuery(cred, req.query, deny) : {};
    case '/xapi/activities/state':
      sameAgent(cred, req.query.agent, deny);
      if (req.query.registration !== cred.registration) {
        deny(`State requests must name this session's registration (${cred.registration})`);
      }
      if (req.query.stateId === LAUNCH_DATA_STATE_ID && !read)
        deny('the AU MUST NOT modify or delete LMS.LaunchData (cmi5 §10.2.1)');
      if (req.query.stateId === undefined && !read) deny('the AU may not delete all State documents at once');
      return {};
    case '/xapi/agents/profile':
      sameAgent(cred, req.query.agent, deny);
      if (req.query.profileId === LEARNER_PREFERENCES_PROFILE_ID && req.method === 'DELETE') {
        deny('the learner preferences are kept by the LMS (cmi5 §11)');
      }
      return {};
    case '/xapi/agents':
      sameAgent(cred, req.query.agent, deny);
      return {};
    case '/xapi/activities/profile':
    case '/xapi/activities':
    case '/xapi/about':
      return {};
    default:
      return deny(`${req.route} is not open to AU sessions`);
  }
}

/** Whether an AU session may read a statement by id: its own actor's, in its own registration. */
export function sessionCanRead(cred: SessionCredential, statement: Record<string, unknown>): boolean {
  const context = isObject(statement.context) ? statement.context : {};
  return (
    isObject(statement.actor) &&
    actorIfi(statement.actor) === actorIfi(cred.actor) &&
    context.registration === cred.registration
  );
}

function narrowQuery(
  cred: SessionCredential,
  query: Record<string, unknown>,
  deny: (why: string) => never,
): Record<string, string> {
  if (query.statementId !== undefined || query.voidedStatementId !== undefined || query.more !== undefined) return {};
  const add: Record<string, string> = {};
  if (query.agent === undefined) add.agent = JSON.stringify(cred.actor);
  else sameAgent(cred, query.agent, deny);
  if (query.registration === undefined) add.registration = cred.registration;
  else if (query.registration !== cred.registration)
    deny(`statement queries are limited to registration ${cred.registration}`);
  return add;
}

function sameAgent(cred: SessionCredential, agent: unknown, deny: (why: string) => never): void {
  let parsed: unknown;
  try {
    parsed = typeof agent === 'string' ? JSON.parse(agent) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!isObject(parsed) || actorIfi(parsed) !== actorIfi(cred.actor)) {
    deny('the agent parameter must be the launch actor (cmi5 §8.1.3, §11)');
  }
}
