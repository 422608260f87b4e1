import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { MetricsService } from './metrics.service.js';
import { Public } from '../auth/access.js';

/** Prometheus scrape endpoint. Counts only, no personal data; restrict it at the network edge in production. */
@Controller('metrics')
@Public()
export class MetricsController {
  constructor(@Inject(MetricsService) private readonly metrics: MetricsService) {}

  @Get()
  async scrape(@Res() res: FastifyReply): Promise<void> {
    void res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
