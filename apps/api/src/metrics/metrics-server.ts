import { type Server, createServer } from 'node:http';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { ENV, LOGGER } from '../common/tokens.js';
import type { Env } from '../config/env.js';
import { bearerMatches } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/**
 * /metrics on its own port (METRICS_PORT, bound to METRICS_HOST, 127.0.0.1 by default), for a Prometheus on the
 * same host or private network, never exposed with the application's port; METRICS_TOKEN, when set, is required
 * there too.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | undefined;

  constructor(
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(ENV) private readonly env: Env,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.env.METRICS_PORT;
    if (port === undefined) return;
    const token = this.env.METRICS_TOKEN;
    this.server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('only GET /metrics here\n');
      } else if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
        res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="metrics"' }).end();
      } else {
        this.metrics.registry.metrics().then(
          (text) => res.writeHead(200, { 'Content-Type': this.metrics.registry.contentType }).end(text),
          (e: unknown) => {
            this.logger.error({ err: e }, 'metrics could not be collected');
            res.writeHead(500).end();
          },
        );
      }
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.env.METRICS_HOST, () => resolve());
    });
    this.logger.info({ host: this.env.METRICS_HOST, port: this.port() }, '/metrics served on its own port');
  }

  /** The port actually bound (METRICS_PORT). */
  port(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
