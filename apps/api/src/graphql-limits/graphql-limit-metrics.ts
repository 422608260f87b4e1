import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service.js';
import { FairLimiter } from './fair-limiter.js';
import { VIEW_LIMITER } from './view-concurrency.interceptor.js';

/** What the GraphQL limits refuse and how busy the view limiter is, in /metrics. */
@Injectable()
export class GraphqlLimitMetrics {
  readonly refused: Counter<'reason'>;

  constructor(@Inject(MetricsService) metrics: MetricsService, @Inject(VIEW_LIMITER) limiter: FairLimiter) {
    const registers = [metrics.registry];
    this.refused = new Counter({
      name: 'graphql_requests_refused_total',
      help: 'GraphQL requests refused before execution, by reason (tokens, depth/aliases, fields, cost, introspection)',
      labelNames: ['reason'] as const,
      registers,
    });
    new Gauge({
      name: 'graphql_views_running',
      help: 'Expensive views (@ViewCost) running now',
      registers,
      collect() {
        this.set(limiter.counts().running);
      },
    });
    new Gauge({
      name: 'graphql_views_waiting',
      help: 'Expensive views waiting for a slot (VIEW_CONCURRENCY, VIEW_CONCURRENCY_PER_USER)',
      registers,
      collect() {
        this.set(limiter.counts().waiting);
      },
    });
  }
}
