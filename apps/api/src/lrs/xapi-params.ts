import {
  type Agent,
  checkTimestamp,
  isIri,
  isUuid,
  stringProblem,
  timestampToMillis,
  unstorableProblems,
  validateAgent,
} from '@ent-observatory/xapi';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LrsErrorCode, LrsException, strictForm } from '@ent-observatory/lrs';
import { XAPI_VERSION_HEADER, negotiateVersion } from './xapi-version.js';

/** Negotiates the request's xAPI version and puts it on the response (errors included, through the filter). */
export function beginXapi(req: FastifyRequest, res: FastifyReply) {
  const version = negotiateVersion(req.headers);
  res.header(XAPI_VERSION_HEADER, version);
  return version;
}

/**
 * The query parameters of a request, refusing any not in `allowed` and any given twice: a misspelt parameter
 * would otherwise silently widen what a request reads or deletes. Decoded strictly (percent-encoded UTF-8 only), and
 * refused when they hold what the stores cannot keep (NUL, lone surrogates): parameters name documents in PostgreSQL.
 */
export function queryParams(req: FastifyRequest, allowed: readonly string[]): Record<string, string | undefined> {
  const raw = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
  const pairs = strictForm(raw, 'the query string');
  const names = pairs.map(([name]) => name);
  const unknown = [...new Set(names.filter((k) => !allowed.includes(k)))];
  if (unknown.length > 0) {
    throw new LrsException(
      LrsErrorCode.InvalidParameter,
      `unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; this resource takes ${allowed.join(', ')}`,
    );
  }
  const params: Record<string, string | undefined> = {};
  for (const [name, value] of pairs) {
    if (params[name] !== undefined)
      throw new LrsException(LrsErrorCode.InvalidParameter, `give the ${name} parameter once`);
    const why = stringProblem(value, { nul: true });
    if (why) throw new LrsException(LrsErrorCode.InvalidParameter, `the ${name} parameter ${why}`);
    params[name] = value;
  }
  return params;
}

export function required(params: Record<string, string | undefined>, name: string): string {
  const v = params[name];
  if (v === undefined || v === '')
    throw new LrsException(LrsErrorCode.InvalidParameter, `the ${name} parameter is required`);
  return v;
}

/** An Agent given as JSON in a query parameter (`agent`), validated as the Data part says. */
export function parseAgent(text: string, name = 'agent'): Agent {
  let agent: unknown;
  try {
    agent = JSON.parse(text);
  } catch (e) {
    throw new LrsException(
      LrsErrorCode.InvalidParameter,
      `the ${name} parameter must be an Agent as JSON, such as {"mbox":"mailto:eleve@example.fr"}: ${(e as Error).message}`,
    );
  }
  return asAgent(agent, name);
}

/** A value that must be an Agent (exactly one identifier): 400 listing every problem otherwise. */
export function asAgent(value: unknown, name = 'agent'): Agent {
  const problems = [...validateAgent(value, name), ...unstorableProblems(value, name, { nul: true })];
  if (problems.length > 0) {
    throw new LrsException(LrsErrorCode.InvalidParameter, `${name} is not a valid Agent`, problems);
  }
  return value as Agent;
}

export function parseActivityId(text: string, name = 'activityId'): string {
  if (!isIri(text))
    throw new LrsException(LrsErrorCode.InvalidParameter, `${name} must be an absolute IRI, got "${text}"`);
  return text;
}

export function parseRegistration(text: string | undefined): string {
  if (text === undefined) return '';
  if (!isUuid(text))
    throw new LrsException(LrsErrorCode.InvalidParameter, `registration must be a UUID, got "${text}"`);
  return text.toLowerCase();
}

/** A `since` timestamp (ISO 8601, with an offset in 2.0.0 as in statements). */
export function parseSince(text: string | undefined, requireOffset: boolean): Date | undefined {
  if (text === undefined) return undefined;
  const check = checkTimestamp(text, requireOffset);
  if (check !== 'ok') {
    throw new LrsException(
      LrsErrorCode.InvalidParameter,
      `since must be an ISO 8601 timestamp such as 2026-01-05T08:00:00Z, got "${text}" (${check})`,
    );
  }
  return new Date(timestampToMillis(text));
}
