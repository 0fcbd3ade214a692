import { ArgsType, Field, InputType, Int, ObjectType } from 'type-graphql';
import { LocalDate } from '../../graphql/scalars';

@InputType({ description: 'Which requests the figures count: those made between these days (UTC), both included.' })
export class AnalyticalRequestStatsFilter {
  @Field(() => LocalDate, { nullable: true, description: 'Requests made on or after this day.' }) from?: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'Requests made on or before this day.' }) to?: string | null;
}

@ArgsType()
export class AnalyticalRequestStatsArgs {
  @Field(() => AnalyticalRequestStatsFilter, { nullable: true }) filter?: AnalyticalRequestStatsFilter | null;
}

@ObjectType('AnalyticalDemandCounts', { description: 'The counts every breakdown of demand carries.' })
export class DemandCounts {
  @Field(() => Int, { description: 'Requests made.' }) requested!: number;
  @Field(() => Int, { description: 'Delivered so far.' }) delivered!: number;
  @Field(() => Int, { description: 'Delivered on or before the due date.' }) deliveredOnTime!: number;
  @Field(() => Int, { description: 'Declined, for any reason.' }) declined!: number;
  @Field(() => Int, { description: 'Declined for lack of capacity: demand the unit could not meet.' }) declinedForLackOfCapacity!: number;
  @Field(() => Int, { description: 'Not yet delivered or declined.' }) open!: number;
  @Field(() => Int, { description: 'Open and past the due date (by the database clock).' }) overdue!: number;
}

@ObjectType({ description: 'Demand in one calendar month: the requests made in it, and what has become of them.' })
export class AnalyticalDemandMonth extends DemandCounts {
  @Field(() => String, { description: 'The month the requests were made, YYYY-MM.' }) month!: string;
}

@ObjectType({ description: "One analyst's share of the requests counted: what waits, what is in hand, what was delivered." })
export class AnalystWorkload {
  analystId!: string;
  @Field(() => Int, { description: 'Assigned and accepted, not yet started.' }) waiting!: number;
  @Field(() => Int) inProgress!: number;
  @Field(() => Int) delivered!: number;
  @Field(() => Int) deliveredOnTime!: number;
  @Field(() => Int, { description: 'Open and past the due date.' }) overdue!: number;
}

@ObjectType({ description: 'Analytical demand against capacity: the requests you may read, by month, in total, and by assigned analyst.' })
export class AnalyticalRequestStats {
  @Field(() => DemandCounts, { description: 'Demand over the whole period.' }) totals!: DemandCounts;
  @Field(() => [AnalyticalDemandMonth], { description: 'Months with requests, oldest first.' }) months!: AnalyticalDemandMonth[];
  @Field(() => [AnalystWorkload], { description: 'Analysts with requests assigned, most open work first.' }) analystWorkload!: AnalystWorkload[];
}
