import type { FastifyReply, FastifyRequest } from 'fastify';
import { LrsErrorCode, LrsException, type Part, boundaryOf, parseJson, parseMultipart } from '@ent-observatory/lrs';
import { readBodyBytes } from './body.js';

/**
 * A statements request body: application/json still unparsed (it may be parsed on a preparation thread), or
 * statements already parsed (multipart/mixed with its attachment parts, or the training space's own writes).
 * Without parts, attachments can only point to their content (fileUrl).
 */
export type StatementsBody = { json: Buffer } | { body: unknown; parts?: Part[] };

/**
 * Reads application/json, or multipart/mixed whose first part is the application/json statements (1.5.2). Any other
 * Content-Type (multipart/form-data, text/plain…) is a bad request here, 400 rather than 415: the Statement resource
 * must refuse it so (Data 2.4.11, XAPI-00127).
 */
export async function readStatementsBody(
  req: FastifyRequest,
  reply: FastifyReply,
  maxBytes: number,
): Promise<StatementsBody> {
  const contentType = req.headers['content-type'] ?? '';
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') {
    return { json: await readBodyBytes(req, reply, maxBytes, 'send fewer statements per request') };
  }
  if (type !== 'multipart/mixed') {
    throw new LrsException(
      LrsErrorCode.InvalidContentType,
      `statements are sent as application/json, or as multipart/mixed with attachment contents; got "${type || 'no Content-Type'}"`,
    );
  }
  const boundary = boundaryOf(contentType);
  const [first, ...parts] = parseMultipart(
    await readBodyBytes(req, reply, maxBytes, 'send fewer statements or smaller attachments per request'),
    boundary,
  );
  const firstType = first?.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (first === undefined || firstType !== 'application/json') {
    throw new LrsException(
      LrsErrorCode.InvalidParameter,
      'multipart/mixed body: the first part must be the statements, with Content-Type application/json',
    );
  }
  return { body: parseJson(first.body, 'the statements part'), parts };
}
