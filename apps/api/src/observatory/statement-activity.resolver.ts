import { Inject } from '@nestjs/common';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { badInput } from '../common/graphql-errors.js';
import { Allow } from '../auth/access.js';
import { StatementActivity } from './models/statement-activity.model.js';
import { StatementActivityService } from './statement-activity.service.js';

/** Volume of stored statements, all sources together: national and admin users. */
@Resolver(() => StatementActivity)
export class StatementActivityResolver {
  constructor(@Inject(StatementActivityService) private readonly service: StatementActivityService) {}

  @Query(() => StatementActivity, { description: 'Statements stored per day over the last `days` days' })
  @Allow(['admin', 'national'])
  async statementActivity(
    @Args('days', { type: () => Int, defaultValue: 30 }) days: number,
  ): Promise<StatementActivity> {
    if (days < 1 || days > 366) {
      throw badInput('days must be between 1 and 366');
    }
    return this.service.lastDays(days);
  }
}
