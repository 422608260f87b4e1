import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrorCode, ApiException } from '../common/api-error.js';
import { ENV } from '../common/tokens.js';
import type { Env } from '../config/env.js';
import { MetricsService } from './metrics.service.js';
import { Public } from '../auth/access.js';

/**
 * Prometheus scrape endpoint on the application's port. Counts only, no personal data, but they describe the load
 * and the traffic: it answers only with `Authorization: Bearer <METRICS_TOKEN>`, and not at all when /metrics is
 * served on its own port (METRICS_PORT) or no token is set (docs/security.md, "/metrics").
 */
@Controller('metrics')
@Public()
export class MetricsController {
  constructor(
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  @Get()
  async scrape(@Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    if (this.env.METRICS_PORT !== undefined || this.env.METRICS_TOKEN === undefined) {
      throw new ApiException(
        ApiErrorCode.NotFound,
        this.env.METRICS_PORT !== undefined
          ? '/metrics is served on its own port (METRICS_PORT)'
          : '/metrics is off: set METRICS_TOKEN (then scrape with Authorization: Bearer <token>) or METRICS_PORT',
      );
    }
    if (!bearerMatches(req.headers.authorization, this.env.METRICS_TOKEN)) {
      throw new ApiException(ApiErrorCode.Unauthenticated, 'send Authorization: Bearer <METRICS_TOKEN>', {
        'WWW-Authenticate': 'Bearer realm="metrics"',
      });
    }
    void res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}

/** Whether an Authorization header carries this bearer token (compared in constant time). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const sent = Buffer.from(/^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}
