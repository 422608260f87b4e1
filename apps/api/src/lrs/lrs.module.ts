import { Module } from '@nestjs/common';
import { AttachmentRepository, DocumentsService, ErasureService, StatementRepository } from '@ent-observatory/lrs';
import { MetricsModule } from '../metrics/metrics.module.js';
import { AboutController } from './about.controller.js';
import { ActivitiesController } from './activities.controller.js';
import { ActivitiesService } from './activities.service.js';
import { AgentsController } from './agents.controller.js';
import { AgentsService } from './agents.service.js';
import { DocumentsController } from './documents.controller.js';
import { ErasureController } from './erasure.controller.js';
import { LRS_ENGINE_PROVIDERS } from './engine.providers.js';
import { OpenApiController } from './openapi.controller.js';
import { CredentialsService } from './credentials.service.js';
import { LrsCredentialExtensions } from './credential-extensions.js';
import { LrsExceptionFilter } from './lrs-exception.filter.js';
import { LrsAuthGuard } from './lrs-auth.guard.js';
import { StatementQueryService } from './statement-query.service.js';
import { StatementsController } from './statements.controller.js';
import { StatementPreparer } from './statement-preparer.js';
import { StatementsService } from './statements.service.js';
import { WriterPresenceService } from './writer-presence.service.js';

@Module({
  imports: [MetricsModule],
  controllers: [
    StatementsController,
    AboutController,
    DocumentsController,
    AgentsController,
    ActivitiesController,
    ErasureController,
    OpenApiController,
  ],
  providers: [
    ...LRS_ENGINE_PROVIDERS,
    CredentialsService,
    LrsCredentialExtensions,
    LrsAuthGuard,
    LrsExceptionFilter,
    StatementPreparer,
    StatementsService,
    StatementQueryService,
    AgentsService,
    ActivitiesService,
    WriterPresenceService,
  ],
  exports: [
    WriterPresenceService,
    StatementRepository,
    AttachmentRepository,
    CredentialsService,
    ErasureService,
    LrsCredentialExtensions,
    StatementsService,
    DocumentsService,
  ],
})
export class LrsModule {}
