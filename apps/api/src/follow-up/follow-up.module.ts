import { Module } from '@nestjs/common';
import { FollowUpResolver } from './follow-up.resolver.js';
import { FollowUpService } from './follow-up.service.js';

/** Teachers' follow-up of their pupils: class and pupil pages, alerts (docs/follow-up-api.md). */
@Module({ providers: [FollowUpResolver, FollowUpService] })
export class FollowUpModule {}
