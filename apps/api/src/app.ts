import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import type { Env } from './config/env.js';
import { PinoNestLogger } from './common/logger.js';

const REPO_ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));

/** The built single-page apps and the URL prefix each is served at. */
export const WEB_APPS = [
  { prefix: '/formation', dir: join(REPO_ROOT, 'apps/training/dist') },
  { prefix: '/', dir: join(REPO_ROOT, 'apps/dashboard/dist') },
];

/**
 * Builds the application: stores opened and migrated, routes mounted. Nest's body parser is off: the xAPI
 * resources read their own bodies (precise 400/413/415 errors), GraphQL gets a JSON parser of its own.
 */
export async function createApp(env: Env, logger: Logger): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env, logger), {
    bodyParser: false,
    logger: new PinoNestLogger(logger),
  });
  app.use('/graphql', express.json({ limit: '1mb' }));
  app.disable('x-powered-by');
  // Express's weak ETags would be mistaken for xAPI document ETags (quoted SHA-1), which the LRS sets itself.
  app.set('etag', false);
  app.enableShutdownHooks();
  for (const web of WEB_APPS) serveSpa(app, web.prefix, web.dir, logger);
  return app;
}

/** Static files of a built SPA, and its index.html for client-side routes (never for API paths). */
function serveSpa(app: NestExpressApplication, prefix: string, dir: string, logger: Logger): void {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    logger.warn({ dir }, `web app for ${prefix} is not built (npm run build:web); ${prefix} will answer 404`);
    return;
  }
  app.use(prefix, express.static(dir, { index: false, maxAge: '1h' }));
  app.use(prefix, (req: express.Request, res: express.Response, next: express.NextFunction) => {
    const apiPath = /^\/(xapi|graphql|health|metrics)(\/|$)/.test(req.originalUrl);
    const otherApp = prefix === '/' && req.originalUrl.startsWith('/formation');
    if (req.method !== 'GET' || apiPath || otherApp) return next();
    res.sendFile(index);
  });
}
