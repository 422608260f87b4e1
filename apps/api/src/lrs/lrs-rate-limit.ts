import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LrsErrorCode, httpStatusOf } from '@ent-observatory/lrs';
import { RateLimiter } from '../common/rate-limiter.js';
import type { Env } from '../config/env.js';
import { parseBasic } from './lrs-auth.guard.js';
import { XAPI_VERSION_HEADER, responseVersion } from './xapi-version.js';

/** Failed authentications tolerated per client address before it must wait (guessing secrets). */
const AUTH_FAILURES_PER_MINUTE = 20;

/**
 * Rate limits in front of the xAPI resources, before any body is read or any secret verified: per credential key
 * (LRS_RATE_LIMIT requests/s, bursts of twice that, counted on authenticated requests), and per client address for
 * failed authentications. Answers
 * 429 with Retry-After in the LRS's error format.
 */
export function registerLrsRateLimit(fastify: FastifyInstance, env: Env): void {
  const perKey = env.LRS_RATE_LIMIT > 0 ? new RateLimiter(env.LRS_RATE_LIMIT * 2, env.LRS_RATE_LIMIT) : null;
  const failures = new RateLimiter(AUTH_FAILURES_PER_MINUTE, AUTH_FAILURES_PER_MINUTE / 60);

  fastify.addHook('onRequest', async (req, reply) => {
    if (!isXapiRoute(req)) return;
    const failureWait = failures.retryAfter(req.ip);
    if (failureWait > 0) {
      return tooMany(req, reply, failureWait, `too many failed authentications from ${req.ip}`);
    }
    const wait = perKey?.retryAfter(bucketOf(req)) ?? 0;
    if (wait > 0) return tooMany(req, reply, wait, `more than ${env.LRS_RATE_LIMIT} requests per second`);
  });
  fastify.addHook('onResponse', async (req, reply) => {
    if (!isXapiRoute(req)) return;
    // A key's quota is spent only by requests that proved they hold it: anyone can name a key (authorities are
    // public), so a guessed-secret flood is charged to its address instead.
    if (reply.statusCode === 401 && req.headers.authorization) failures.take(req.ip);
    else perKey?.take(bucketOf(req));
  });
}

/** Whether a request was routed to an xAPI resource (on the decoded, matched route: /%78api is /xapi too). */
export function isXapiRoute(req: FastifyRequest): boolean {
  return (req.routeOptions.url ?? req.url).startsWith('/xapi/');
}

function bucketOf(req: FastifyRequest): string {
  return parseBasic(req.headers.authorization)?.key ?? `ip:${req.ip}`;
}

function tooMany(req: FastifyRequest, reply: FastifyReply, seconds: number, why: string): FastifyReply {
  return reply
    .status(httpStatusOf(LrsErrorCode.TooManyRequests))
    .header('Retry-After', String(seconds))
    .header(XAPI_VERSION_HEADER, responseVersion(req.headers))
    .send({ error: LrsErrorCode.TooManyRequests, message: `${why}: retry in ${seconds} s`, details: [] });
}
