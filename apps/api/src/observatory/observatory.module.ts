import { Module } from '@nestjs/common';
import { LrsModule } from '../lrs/lrs.module.js';
import { ObservatoryPlaces } from './observatory-places.js';
import { ObservatoryResolver } from './observatory.resolver.js';
import { ObservatoryViewsService } from './observatory-views.service.js';
import { ObservatoryService } from './observatory.service.js';
import { StatementActivityResolver } from './statement-activity.resolver.js';
import { StatementActivityService } from './statement-activity.service.js';
import { VisitRollupsService } from './visit-rollups.service.js';

@Module({
  // StatementRepository: the LRS's Consistent-Through bounds the rollups' freshness (VisitRollupsService).
  imports: [LrsModule],
  providers: [
    StatementActivityResolver,
    StatementActivityService,
    ObservatoryResolver,
    ObservatoryService,
    ObservatoryViewsService,
    ObservatoryPlaces,
    VisitRollupsService,
  ],
})
export class ObservatoryModule {}
