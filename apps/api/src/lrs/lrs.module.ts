import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { AboutController } from './about.controller.js';
import { AttachmentRepository } from './attachment.repository.js';
import { CredentialsService } from './credentials.service.js';
import { LrsExceptionFilter } from './lrs-exception.filter.js';
import { LrsAuthGuard } from './lrs-auth.guard.js';
import { StatementQueryService } from './statement-query.service.js';
import { StatementReader } from './statement-reader.js';
import { StatementRepository } from './statement.repository.js';
import { StatementsController } from './statements.controller.js';
import { StatementsService } from './statements.service.js';

@Module({
  imports: [MetricsModule],
  controllers: [StatementsController, AboutController],
  providers: [
    CredentialsService,
    LrsAuthGuard,
    LrsExceptionFilter,
    StatementReader,
    StatementRepository,
    StatementsService,
    StatementQueryService,
    AttachmentRepository,
  ],
  exports: [StatementRepository, AttachmentRepository],
})
export class LrsModule {}
