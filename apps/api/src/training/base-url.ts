import type { FastifyRequest } from 'fastify';

/**
 * The origin a client reached us at, from the request (behind a proxy, TRUST_PROXY makes Fastify read
 * X-Forwarded-Proto/Host): AUs get their endpoint, fetch URL and package files there.
 */
export function publicBaseUrl(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}
