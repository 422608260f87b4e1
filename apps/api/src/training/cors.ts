import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * AUs are often served from another origin than the LMS (cmi5 §14.1 allows fully qualified AU URLs anywhere), and
 * call the fetch URL and the LRS from the learner's browser. Those routes answer cross-origin requests; they use
 * no cookie (the AU authenticates with its auth token), so any origin may call them.
 */
const CROSS_ORIGIN = /^\/(xapi\/|formation\/api\/fetch\/|formation\/contenus\/)/;

const ALLOWED_HEADERS =
  'Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match, X-Experience-API-Hash';
const EXPOSED_HEADERS =
  'ETag, Last-Modified, Content-Type, X-Experience-API-Version, X-Experience-API-Consistent-Through';

function crossOrigin(req: FastifyRequest): boolean {
  return CROSS_ORIGIN.test(req.url) && req.headers.origin !== undefined;
}

export function registerTrainingCors(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (req, reply) => {
    if (!crossOrigin(req)) return;
    void reply.header('Access-Control-Allow-Origin', '*').header('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (req.method === 'OPTIONS') {
      return reply
        .header('Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, DELETE, OPTIONS')
        .header('Access-Control-Allow-Headers', ALLOWED_HEADERS)
        .header('Access-Control-Max-Age', '600')
        .status(204)
        .send();
    }
  });
}
