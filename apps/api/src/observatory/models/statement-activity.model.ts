import { Field, Float, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Statements stored on one day (Europe/Paris calendar day)' })
export class DayCount {
  @Field({ description: 'The day, YYYY-MM-DD' })
  day!: string;

  @Field(() => Float)
  statements!: number;
}

@ObjectType({ description: 'How many statements the LRS has stored' })
export class StatementActivity {
  @Field(() => Float, { description: 'All statements stored, ever' })
  total!: number;

  @Field(() => Float, { description: 'Statements stored during the days of perDay' })
  inPeriod!: number;

  @Field(() => [DayCount], { description: 'One entry per day, oldest first, days without statements included' })
  perDay!: DayCount[];
}
