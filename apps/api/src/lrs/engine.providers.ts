import type { Provider } from '@nestjs/common';
import {
  AttachmentRepository,
  DocumentsService,
  ErasureService,
  StatementReader,
  StatementRepository,
} from '@ent-observatory/lrs';
import type { Store } from '@ent-observatory/store';
import type { Warehouse } from '@ent-observatory/warehouse';
import type { Logger } from 'pino';
import { bumpDataGeneration } from '../common/data-generation.js';
import { ENV, LOGGER, STORE, WAREHOUSE } from '../common/tokens.js';
import type { Env } from '../config/env.js';
import { EnrichmentService } from '../enrichment/enrichment.service.js';
import { MetricsService } from '../metrics/metrics.service.js';

/**
 * The LRS engine (libs/lrs) knows nothing of Nest: its classes are provided here, each under its own class as token,
 * from the app's stores, settings, logger and metrics. Nest calls the lifecycle hooks of factory-made instances too:
 * StatementRepository's onModuleInit recovers the journal before the LRS answers, its onApplicationShutdown
 * flushes it at stop.
 */
export const LRS_ENGINE_PROVIDERS: Provider[] = [
  {
    provide: StatementReader,
    useFactory: (warehouse: Warehouse) => new StatementReader(warehouse),
    inject: [WAREHOUSE],
  },
  {
    provide: StatementRepository,
    useFactory: (
      warehouse: Warehouse,
      env: Env,
      logger: Logger,
      metrics: MetricsService,
      reader: StatementReader,
      enrichment: EnrichmentService,
    ) => new StatementRepository(warehouse, env, logger, metrics, reader, enrichment, bumpDataGeneration),
    inject: [WAREHOUSE, ENV, LOGGER, MetricsService, StatementReader, EnrichmentService],
  },
  {
    provide: AttachmentRepository,
    useFactory: (store: Store, warehouse: Warehouse, statements: StatementRepository) =>
      new AttachmentRepository(store, warehouse, statements),
    inject: [STORE, WAREHOUSE, StatementRepository],
  },
  {
    provide: DocumentsService,
    useFactory: (store: Store) => new DocumentsService(store),
    inject: [STORE],
  },
  {
    provide: ErasureService,
    useFactory: (
      warehouse: Warehouse,
      store: Store,
      statements: StatementRepository,
      attachments: AttachmentRepository,
      reader: StatementReader,
      logger: Logger,
    ) => new ErasureService(warehouse, store, statements, attachments, reader, logger, bumpDataGeneration),
    inject: [WAREHOUSE, STORE, StatementRepository, AttachmentRepository, StatementReader, LOGGER],
  },
];
