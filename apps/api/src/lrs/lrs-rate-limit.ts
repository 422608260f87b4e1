import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RateLimiter } from '../common/rate-limiter.js';
import type { Env } from '../config/env.js';
import { parseBasic } from './lrs-auth.guard.js';
import { LrsErrorCode, httpStatusOf } from './lrs.exception.js';
import { XAPI_VERSION_HEADER, responseVersion } from './xapi-version.js';

/** Failed authentications tolerated per client address before it must wait (guessing secrets). */
const AUTH_FAILURES_PER_MINUTE = 20;

/**
 * Rate limits in front of the xAPI resources, before any body is read or any secret verified: per credential key
 * (LRS_RATE_LIMIT requests/s, bursts of twice that), and per client address for failed authentications. Answers
 * 429 with Retry-After in the LRS's error format.
 */
export function registerLrsRateLimit(fastify: FastifyInstance, env: Env): void {
  const perKey = env.LRS_RATE_LIMIT > 0 ? new RateLimiter(env.LRS_RATE_LIMIT * 2, env.LRS_RATE_LIMIT) : null;
  const failures = new RateLimiter(AUTH_FAILURES_PER_MINUTE, AUTH_FAILURES_PER_MINUTE / 60);
  const isXapi = (req: FastifyRequest) => req.url.startsWith('/xapi/');

  fastify.addHook('onRequest', async (req, reply) => {
    if (!isXapi(req)) return;
    const failureWait = failures.retryAfter(req.ip);
    if (failureWait > 0) {
      return tooMany(req, reply, failureWait, `too many failed authentications from ${req.ip}`);
    }
    const wait = perKey?.take(parseBasic(req.headers.authorization)?.key ?? `ip:${req.ip}`) ?? 0;
    if (wait > 0) return tooMany(req, reply, wait, `more than ${env.LRS_RATE_LIMIT} requests per second`);
  });
  fastify.addHook('onResponse', async (req, reply) => {
    if (isXapi(req) && reply.statusCode === 401 && req.headers.authorization) failures.take(req.ip);
  });
}

function tooMany(req: FastifyRequest, reply: FastifyReply, seconds: number, why: string): FastifyReply {
  return reply
    .status(httpStatusOf(LrsErrorCode.TooManyRequests))
    .header('Retry-After', String(seconds))
    .header(XAPI_VERSION_HEADER, responseVersion(req.headers))
    .send({ error: LrsErrorCode.TooManyRequests, message: `${why}: retry in ${seconds} s`, details: [] });
}
