import { Global, Module } from '@nestjs/common';
import { createPseudonymKey } from '@ent-observatory/xapi';
import type { Logger } from 'pino';
import { ENV, LOGGER } from '../common/tokens.js';
import type { Env } from '../config/env.js';
import { DirectorySnapshotService } from './directory-snapshot.service.js';
import { EnrichmentService, PSEUDONYM_KEY } from './enrichment.service.js';
import { resolvePseudonymizationKey } from './pseudonymization-key.js';

/** Enrichment at ingest: the directory snapshot and the pseudonymisation key, for the LRS and directory imports. */
@Global()
@Module({
  providers: [
    DirectorySnapshotService,
    EnrichmentService,
    {
      provide: PSEUDONYM_KEY,
      inject: [ENV, LOGGER],
      useFactory: (env: Env, logger: Logger) => createPseudonymKey(resolvePseudonymizationKey(env, logger)),
    },
  ],
  exports: [DirectorySnapshotService, EnrichmentService, PSEUDONYM_KEY],
})
export class EnrichmentModule {}
