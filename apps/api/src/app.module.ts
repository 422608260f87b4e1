import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { Store } from '@ent-observatory/store';
import type { Warehouse } from '@ent-observatory/warehouse';
import type { Logger } from 'pino';
import type { Env } from './config/env.js';
import { openRelational, openWarehouse } from './common/stores.js';
import { ENV, LOGGER, STORE, WAREHOUSE } from './common/tokens.js';
import { AdminModule } from './admin/admin.module.js';
import { AuthModule } from './auth/auth.module.js';
import { DirectoryModule } from './directory/directory.module.js';
import { EnrichmentModule } from './enrichment/enrichment.module.js';
import { HealthController } from './health/health.controller.js';
import { LrsModule } from './lrs/lrs.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ObservatoryModule } from './observatory/observatory.module.js';
import { ApiExceptionFilter, formatGraphQLError } from './common/api-exception.filter.js';
import { GraphqlLimitsModule } from './graphql-limits/graphql-limits.module.js';
import { FrameSourcesModule } from './common/security-headers.js';
import { TrainingModule } from './training/training.module.js';
import { FollowUpModule } from './follow-up/follow-up.module.js';

/** The process-wide resources: configuration, logger, and both stores opened and migrated before serving. */
@Global()
@Module({})
class CoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
    @Inject(STORE) private readonly store: Store,
  ) {}

  static forRoot(env: Env, logger: Logger): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: ENV, useValue: env },
        { provide: LOGGER, useValue: logger },
        {
          provide: WAREHOUSE,
          useFactory: async () => {
            const { warehouse, applied } = await openWarehouse(env);
            logger.info({ mode: warehouse.mode, location: warehouse.location, applied }, 'ClickHouse ready');
            return warehouse;
          },
        },
        {
          provide: STORE,
          useFactory: async () => {
            const { store, applied } = await openRelational(env);
            logger.info({ mode: store.mode, location: store.location, applied }, 'PostgreSQL ready');
            return store;
          },
        },
      ],
      exports: [ENV, LOGGER, WAREHOUSE, STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.warehouse.client.close();
    await this.store.close();
  }
}

@Module({})
export class AppModule {
  static forRoot(env: Env, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(env, logger),
        MetricsModule,
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          // Introspection is allowed per caller by GraphqlLimitsPlugin (GRAPHQL_INTROSPECTION).
          introspection: true,
          // A refused operation answers 401/403 (AccessGuard sets extensions.http), not 200 with an error inside.
          preserveHttpStatusForExecutionErrors: false,
          includeStacktraceInErrorResponses: false,
          // Documents are checked by the gate (graphql-gate.ts) before Apollo; hash-only persisted queries would
          // skip that check, and our clients do not use them.
          persistedQueries: false,
          parseOptions: { maxTokens: env.GRAPHQL_MAX_TOKENS },
          formatError: formatGraphQLError(logger),
        }),
        GraphqlLimitsModule,
        FrameSourcesModule,
        AuthModule,
        EnrichmentModule,
        LrsModule,
        AdminModule,
        DirectoryModule,
        ObservatoryModule,
        FollowUpModule,
        TrainingModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: ApiExceptionFilter }],
    };
  }
}
