import { Module } from '@nestjs/common';
import { StatementActivityResolver } from './statement-activity.resolver.js';
import { StatementActivityService } from './statement-activity.service.js';

@Module({ providers: [StatementActivityResolver, StatementActivityService] })
export class ObservatoryModule {}
