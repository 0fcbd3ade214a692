import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { ConnectionArgs, SortDirection } from '../../graphql/connection';
import { ProtectiveMarking } from '../identity/identity.enums';
import { AnalyticalProduct, AnalyticalRequestOrderField, AnalyticalRequestPriority, AnalyticalRequestStatus, DeclineReason } from './analytical-request.enums';

/*
 * Choices and texts are nullable in the schema so that a missing one is answered by the service
 * (BAD_USER_INPUT naming the field) rather than by a schema error naming none.
 */

@InputType({ description: 'A request for analysis: give the threat or the plan it supports, not both.' })
export class CreateAnalyticalRequestInput {
  @Field(() => String, { nullable: true, description: 'Required: what you need to know.' }) question?: string | null;
  @Field(() => AnalyticalProduct, { nullable: true, description: 'Required.' }) productType?: AnalyticalProduct | null;
  @Field(() => AnalyticalRequestPriority, { nullable: true, description: 'Required.' }) priority?: AnalyticalRequestPriority | null;
  @Field(() => String, { nullable: true, description: 'Required: YYYY-MM-DD, today or later.' }) dueOn?: string | null;
  @Field(() => ID, { nullable: true, description: 'The threat the analysis supports.' }) threatId?: string | null;
  @Field(() => ID, { nullable: true, description: 'The 4P plan the analysis supports.' }) planId?: string | null;
  @Field(() => ProtectiveMarking, { nullable: true, description: 'Required; at most your clearance.' }) protectiveMarking?: ProtectiveMarking | null;
}

@InputType({ description: 'A move on a request that needs nothing more: accepting, starting, delivering.' })
export class AnalyticalRequestStepInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
}

@InputType()
export class DeclineAnalyticalRequestInput extends AnalyticalRequestStepInput {
  @Field(() => DeclineReason, { nullable: true, description: 'Required.' }) reason?: DeclineReason | null;
  @Field(() => String, { nullable: true, description: 'Required: the decline in words, for the requester.' }) explanation?: string | null;
}

@InputType()
export class AssignAnalyticalRequestInput extends AnalyticalRequestStepInput {
  @Field(() => ID, { description: 'An analyst of the regional unit.' }) analystId!: string;
}

@InputType({ description: 'Narrows analytical requests; all given conditions must hold.' })
export class AnalyticalRequestFilter {
  @Field(() => [AnalyticalRequestStatus], { nullable: true }) status?: AnalyticalRequestStatus[];
  @Field(() => Boolean, { nullable: true, description: 'Only those assigned to you.' }) assignedToMe?: boolean;
}

@InputType()
export class AnalyticalRequestOrder {
  @Field(() => AnalyticalRequestOrderField) field!: AnalyticalRequestOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction!: SortDirection;
}

@ArgsType()
export class AnalyticalRequestsArgs extends ConnectionArgs {
  @Field(() => AnalyticalRequestFilter, { nullable: true }) filter?: AnalyticalRequestFilter | null;
  @Field(() => [AnalyticalRequestOrder], { nullable: true, description: 'Default: soonest due first.' }) orderBy?: AnalyticalRequestOrder[] | null;
}
