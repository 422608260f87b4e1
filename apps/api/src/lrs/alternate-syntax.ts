import { type IncomingMessage, type RequestListener, type Server, type ServerResponse, createServer } from 'node:http';
import { LrsErrorCode, LrsException, decodeUtf8, httpStatusOf, strictForm } from '@ent-observatory/lrs';
import { XAPI_VERSION_HEADER } from './xapi-version.js';

/** Form parameters the LRS treats as headers (Communication 1.3); the others are query parameters. */
const HEADER_PARAMS = [
  'authorization',
  'x-experience-api-version',
  'content-type',
  'content-length',
  'if-match',
  'if-none-match',
];
const METHODS = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);

/** Bodies of rewritten requests (the `content` form parameter), read by body.ts instead of the consumed stream. */
const alternateBodies = new WeakMap<IncomingMessage, Buffer>();

export function alternateBody(req: IncomingMessage): Buffer | undefined {
  return alternateBodies.get(req);
}

function bad(message: string): LrsException {
  return new LrsException(LrsErrorCode.InvalidParameter, `alternate request syntax: ${message}`);
}

function readAll(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        reject(
          new LrsException(
            LrsErrorCode.PayloadTooLarge,
            `the body is larger than ${maxBytes} bytes (XAPI_MAX_BODY_BYTES)`,
          ),
        );
      } else chunks.push(chunk);
    });
    req.once('error', reject);
    req.once('end', () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * Rewrites `POST /xapi/...?method=X` with a form body (Communication 1.3) into the request it stands for: method X,
 * the header form parameters as headers, `content` as the body, the other form parameters as the query string.
 * The body is read as a form when the request says application/x-www-form-urlencoded or gives no Content-Type (the
 * client only SHOULD* send it); `content` without a Content-Type form parameter is taken as application/json, the
 * type of every xAPI resource but documents. Removed in xAPI 2.0.0, so refused when the (form or header) version is 2.0.
 */
async function rewrite(req: IncomingMessage, url: URL, maxBytes: number): Promise<IncomingMessage> {
  const method = url.searchParams.get('method')?.toUpperCase() ?? '';
  const others = [...url.searchParams.keys()].filter((k) => k !== 'method');
  if (others.length > 0) {
    throw bad(`only method may be in the query string; send ${others.join(', ')} as form parameters`);
  }
  if (!METHODS.has(method)) throw bad(`method must be one of ${[...METHODS].join(', ')}, got "${method}"`);
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type && type !== 'application/x-www-form-urlencoded') {
    throw bad(`the body must be application/x-www-form-urlencoded, got "${type}"`);
  }
  const form = strictForm(decodeUtf8(await readAll(req, maxBytes), 'the form body'), 'the form body');
  const headers: IncomingMessage['headers'] = { ...req.headers, 'content-type': 'application/json' };
  const query = new URLSearchParams();
  let content = '';
  for (const [name, value] of form) {
    const lower = name.toLowerCase();
    if (lower === 'content') content = value;
    else if (HEADER_PARAMS.includes(lower)) headers[lower] = value;
    else query.append(name, value);
  }
  const version = headers[XAPI_VERSION_HEADER.toLowerCase()];
  if (typeof version === 'string' && version.trim().startsWith('2.')) {
    throw bad('it was removed in xAPI 2.0.0; send a regular request (or X-Experience-API-Version 1.0.3)');
  }
  const body = Buffer.from(content, 'utf8');
  headers['content-length'] = String(body.length);
  delete headers['transfer-encoding'];
  // The request is rewritten in place (its own body stream has been read): the body readers take `content` from
  // alternateBodies instead.
  req.method = method;
  req.url = `${url.pathname}${query.size > 0 ? `?${query.toString()}` : ''}`;
  req.headers = headers;
  alternateBodies.set(req, body);
  return req;
}

function sendError(res: ServerResponse, e: unknown): void {
  const error =
    e instanceof LrsException
      ? e
      : new LrsException(LrsErrorCode.InvalidParameter, 'alternate request syntax: unreadable request');
  res.writeHead(httpStatusOf(error.code), {
    'content-type': 'application/json; charset=utf-8',
    [XAPI_VERSION_HEADER]: '1.0.3',
  });
  res.end(JSON.stringify({ error: error.code, message: error.message, details: error.details }));
}

/**
 * The HTTP server of the app (Fastify's serverFactory): the alternate request syntax must be undone before
 * routing, since it changes the method. Applies to every xAPI resource.
 */
export function alternateSyntaxServer(maxBytes: number) {
  return (handler: RequestListener): Server =>
    createServer((req, res) => {
      // Without a query string there is no method parameter: most requests are not parsed here at all.
      if (!req.url?.includes('?')) {
        handler(req, res);
        return;
      }
      const url = new URL(req.url, 'http://lrs');
      if (!url.pathname.startsWith('/xapi/') || !url.searchParams.has('method')) {
        handler(req, res);
        return;
      }
      if (req.method !== 'POST') {
        req.resume();
        sendError(
          res,
          bad(`it is issued as POST (with ?method=${url.searchParams.get('method') ?? ''}), not ${req.method ?? ''}`),
        );
        return;
      }
      rewrite(req, url, maxBytes).then(
        (rewritten) => handler(rewritten, res),
        (e: unknown) => sendError(res, e),
      );
    });
}
