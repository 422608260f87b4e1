import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { lockJournal } from '@ent-observatory/lrs';
import { AppModule } from './app.module.js';
import type { Env } from './config/env.js';
import { PinoNestLogger } from './common/logger.js';
import { IMPORT_MAX_BYTES } from './admin/import.controller.js';
import { isXapiRoute, registerLrsRateLimit } from './lrs/lrs-rate-limit.js';
import { sessionTokenOf } from './auth/session.service.js';
import { alternateSyntaxServer } from './lrs/alternate-syntax.js';
import { answerClientError } from './common/client-error.js';
import { ApiErrorCode, ApiException } from './common/api-error.js';
import { FrameSources, contentSecurityPolicy, securityHeaders } from './common/security-headers.js';
import { registerGraphqlGate } from './graphql-limits/graphql-gate.js';
import { GraphqlLimitMetrics } from './graphql-limits/graphql-limit-metrics.js';
import { registerTrainingCors } from './training/cors.js';
import { isTrainingUpload } from './training/uploads.js';

const REPO_ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));

/** The built single-page apps and the URL prefix each is served at. */
export const WEB_APPS = [
  { prefix: '/formation/', dir: join(REPO_ROOT, 'apps/training/dist') },
  { prefix: '/', dir: join(REPO_ROOT, 'apps/dashboard/dist') },
];

/** Paths that belong to the API: never answered with a web app's index.html. */
const API_PATH = /^\/(xapi|graphql|health|metrics|auth|admin|formation\/api|formation\/contenus)(\/|\?|$)/;

/**
 * Builds the application on Fastify (measured here: Nest on Fastify answers ~27k trivial requests/s, on Express 5
 * ~3k, and the LRS must take thousands of single-statement POSTs per second). Stores are opened and migrated
 * before the first request.
 */
export async function createApp(env: Env, logger: Logger): Promise<NestFastifyApplication> {
  lockJournal(env.DATA_DIR);
  const adapter = new FastifyAdapter({
    exposeHeadRoutes: false,
    bodyLimit: env.GRAPHQL_MAX_BODY_BYTES,
    // Behind a reverse proxy: client address and https from X-Forwarded-* (rate limits, Secure cookies).
    trustProxy: env.TRUST_PROXY,
    serverFactory: alternateSyntaxServer(env.XAPI_MAX_BODY_BYTES),
    clientErrorHandler: answerClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env, logger), adapter, {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  parseBodies(fastify, env);
  registerGraphqlGate(fastify, env, logger, {
    schema: () => app.get(GraphQLSchemaHost).schema,
    refused: (reason) => app.get(GraphqlLimitMetrics).refused.inc({ reason }),
  });
  app.useSecurityHeaders(securityHeaders(env));
  // Nobody without a session makes the server hold an upload in memory (AccessGuard checks the role after).
  fastify.addHook('onRequest', async (request, reply) => {
    const upload = request.routeOptions.url === '/admin/imports' || isTrainingUpload(request);
    if (upload && !sessionTokenOf(request) && !request.headers.authorization) {
      return reply.status(401).send({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'sign in first' });
    }
  });
  registerLrsRateLimit(fastify, env);
  registerTrainingCors(fastify);
  let decorated = false;
  for (const web of WEB_APPS) decorated = (await serveSpa(app, fastify, web, !decorated, logger, env)) || decorated;
  app.enableShutdownHooks();
  return app;
}

/**
 * xAPI resources read their bodies themselves (precise 400/413/415 errors in the xAPI format), so Fastify hands
 * them the stream unread; directory imports get the raw file; everything else (GraphQL, sign-in) gets JSON, and
 * only UTF-8 JSON: a decoder that replaced bad bytes with U+FFFD would run something other than what was sent.
 */
function parseBodies(fastify: FastifyInstance, env: Env): void {
  const json = fastify.getDefaultJsonParser('error', 'ignore');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (request, payload, done) => {
    if (isXapiRoute(request)) return done(null, undefined);
    const training = isTrainingUpload(request);
    const raw = training || (request.routeOptions.url ?? request.url).startsWith('/admin/imports');
    const limit = training ? env.TRAINING_MAX_PACKAGE_BYTES : raw ? IMPORT_MAX_BYTES : env.GRAPHQL_MAX_BODY_BYTES;
    readBody(payload, limit, (error, body) => {
      if (error || !body) return done(error, undefined);
      if (raw) return done(null, body);
      let text: string;
      try {
        text = UTF8.decode(body);
      } catch {
        return done(new ApiException(ApiErrorCode.BadRequest, 'the request body is not valid UTF-8'), undefined);
      }
      void json(request, text, done);
    });
  });
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
/**
 * An oversized body is read to its end and dropped, then answered 413: answering while the client still sends
 * makes the server close the connection, and the client sees a reset instead of the answer. Beyond this many
 * times the limit the client is not a browser uploading by mistake; it gets the 413 at once.
 */
const DRAIN_FACTOR = 32;

function readBody(
  payload: NodeJS.ReadableStream,
  limit: number,
  callback: (error: Error | null, body?: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let answered = false;
  const answer = (error: Error | null, body?: Buffer) => {
    if (answered) return;
    answered = true;
    callback(error, body);
  };
  const tooLarge = () =>
    new ApiException(ApiErrorCode.PayloadTooLarge, `the request body is over ${limit} bytes: send less per request`);
  payload.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
    else if (size > limit * DRAIN_FACTOR) answer(tooLarge());
  });
  payload.on('error', (e: Error) => answer(e));
  payload.on('end', () => answer(size > limit ? tooLarge() : null, Buffer.concat(chunks)));
}

/** Static files of a built SPA, and its index.html for client-side routes. */
async function serveSpa(
  app: NestFastifyApplication,
  fastify: FastifyInstance,
  { prefix, dir }: { prefix: string; dir: string },
  decorateReply: boolean,
  logger: Logger,
  env: Env,
): Promise<boolean> {
  if (!existsSync(join(dir, 'index.html'))) {
    logger.warn({ dir }, `web app for ${prefix} is not built (npm run build:web); ${prefix} will answer 404`);
    return false;
  }
  // wildcard: false registers one route per built file, so other paths reach the fallback below; reply.sendFile
  // is added once, by the first app registered.
  await app.register(fastifyStatic, { root: dir, prefix, wildcard: false, decorateReply, index: false });
  fastify.get(`${prefix}*`, (request, reply) => {
    const url = request.url;
    if (API_PATH.test(url) || (prefix === '/' && url.startsWith('/formation'))) return reply.callNotFound();
    // The training space may frame the imported content trainers configured (docs/security.md, "Headers").
    if (prefix === '/formation/') {
      void reply.header('Content-Security-Policy', contentSecurityPolicy(env, app.get(FrameSources).origins()));
    }
    return reply.sendFile('index.html', dir);
  });
  if (prefix !== '/') fastify.get(prefix.slice(0, -1), (_request, reply) => reply.redirect(prefix));
  return true;
}
