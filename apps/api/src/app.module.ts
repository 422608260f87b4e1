import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
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
import { TrainingModule } from './training/training.module.js';

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
          introspection: true,
          // A refused operation answers 401/403 (AccessGuard sets extensions.http), not 200 with an error inside.
          preserveHttpStatusForExecutionErrors: false,
          includeStacktraceInErrorResponses: false,
        }),
        AuthModule,
        EnrichmentModule,
        LrsModule,
        AdminModule,
        DirectoryModule,
        ObservatoryModule,
        TrainingModule,
      ],
      controllers: [HealthController],
    };
  }
}
