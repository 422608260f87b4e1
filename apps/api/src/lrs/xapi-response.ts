import type { FastifyReply } from 'fastify';
import { etagOf } from '@ent-observatory/lrs';

/** A JSON answer with its length and ETag, and its body only for GET (HEAD answers the same headers, no body). */
export function sendJson(res: FastifyReply, value: unknown, withBody: boolean, status = 200): void {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  void res
    .status(status)
    .header('Content-Type', 'application/json; charset=utf-8')
    .header('ETag', etagOf(json))
    .header('Content-Length', json.length)
    .send(withBody ? json : undefined);
}
