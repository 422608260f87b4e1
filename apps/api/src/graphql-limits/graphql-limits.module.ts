import { Global, Module } from '@nestjs/common';
import { ENV } from '../common/tokens.js';
import type { Env } from '../config/env.js';
import { FairLimiter } from './fair-limiter.js';
import { GraphqlLimitMetrics } from './graphql-limit-metrics.js';
import { GraphqlLimitsPlugin } from './graphql-limits.plugin.js';
import { VIEW_LIMITER, ViewConcurrencyInterceptor } from './view-concurrency.interceptor.js';

/**
 * The GraphQL limits (docs/security.md): the cost and introspection plugin, and the view limiter that @ViewCost
 * resolvers run under. Global, so that any feature module's resolvers can declare @ViewCost.
 */
@Global()
@Module({
  providers: [
    {
      provide: VIEW_LIMITER,
      inject: [ENV],
      useFactory: (env: Env) =>
        new FairLimiter(env.VIEW_CONCURRENCY, env.VIEW_CONCURRENCY_PER_USER, env.VIEW_QUEUE_PER_USER),
    },
    ViewConcurrencyInterceptor,
    GraphqlLimitMetrics,
    GraphqlLimitsPlugin,
  ],
  exports: [VIEW_LIMITER, ViewConcurrencyInterceptor, GraphqlLimitMetrics],
})
export class GraphqlLimitsModule {}
