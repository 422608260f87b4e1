import { Inject } from '@nestjs/common';
import { Int, Query, Resolver } from '@nestjs/graphql';
import { Arg, Formats } from '../common/input/index.js';
import { Cost } from '../graphql-limits/cost.js';
import { Allow } from '../auth/access.js';
import { StatementActivity } from './models/statement-activity.model.js';
import { StatementActivityService } from './statement-activity.service.js';

/** Volume of stored statements, all sources together: national and admin users. */
@Resolver(() => StatementActivity)
export class StatementActivityResolver {
  constructor(@Inject(StatementActivityService) private readonly service: StatementActivityService) {}

  @Query(() => StatementActivity, { description: 'Statements stored per day over the last `days` days' })
  @Allow(['admin', 'national'])
  @Cost(10)
  async statementActivity(
    @Arg('days', Formats.int(1, 366), { type: () => Int, defaultValue: 30 }) days: number,
  ): Promise<StatementActivity> {
    return this.service.lastDays(days);
  }
}
