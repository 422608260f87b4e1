import { Inject, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsModule } from '../metrics/metrics.module.js';
import { AboutController } from './about.controller.js';
import { CredentialsService } from './credentials.service.js';
import { LrsExceptionFilter } from './lrs-exception.filter.js';
import { LrsAuthGuard } from './lrs-auth.guard.js';
import { StatementRepository } from './statement.repository.js';
import { StatementsController } from './statements.controller.js';
import { StatementsService } from './statements.service.js';
import { CONSISTENT_THROUGH_HEADER } from './xapi-version.js';

@Module({
  imports: [MetricsModule],
  controllers: [StatementsController, AboutController],
  providers: [CredentialsService, LrsAuthGuard, LrsExceptionFilter, StatementRepository, StatementsService],
  exports: [StatementRepository],
})
export class LrsModule implements NestModule {
  constructor(@Inject(StatementRepository) private readonly repo: StatementRepository) {}

  /** Consistent-Through on every statements response, including those refused before the controller (401, 403). */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((_req: Request, res: Response, next: NextFunction) => {
        res.setHeader(CONSISTENT_THROUGH_HEADER, this.repo.consistentThrough().toISOString());
        next();
      })
      .forRoutes('xapi/statements');
  }
}
