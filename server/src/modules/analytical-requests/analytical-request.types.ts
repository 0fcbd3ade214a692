import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../graphql/node';
import { SharedRecord } from '../../shared/shared-record';
import { AnalyticalProduct, AnalyticalRequestPriority, AnalyticalRequestStatus, DeclineReason } from './analytical-request.enums';

@ObjectType({
  implements: [Node, SharedRecord],
  description:
    "A request for analysis made to the regional unit's analysts: the product asked for, the threat or plan it supports, its priority and due date, " +
    'and what became of it. Owned by the requesting organisation and read by the regional unit.',
})
export class AnalyticalRequest extends SharedRecord {
  threatId!: string | null;
  planId!: string | null;
  assignedAnalystId!: string | null;

  @Field(() => String, { description: 'The request reference, e.g. AR-2026-K7Q4MX8P (random: it counts nothing).' }) reference!: string;
  @Field(() => String, { description: 'What the requester needs to know.' }) question!: string;
  @Field(() => AnalyticalProduct) productType!: AnalyticalProduct;
  @Field(() => AnalyticalRequestPriority) priority!: AnalyticalRequestPriority;
  @Field(() => String, { description: 'The date the product is needed by (YYYY-MM-DD).' }) dueOn!: string;
  @Field(() => AnalyticalRequestStatus) status!: AnalyticalRequestStatus;
  @Field(() => DeclineReason, { nullable: true, description: 'Why it was declined; null unless DECLINED.' }) declineReason!: DeclineReason | null;
  @Field(() => String, { nullable: true, description: 'The decline in words; null unless DECLINED.' }) declineExplanation!: string | null;
  @Field(() => Date, { nullable: true }) acceptedAt!: Date | null;
  @Field(() => Date, { nullable: true }) declinedAt!: Date | null;
  @Field(() => Date, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => Boolean, { nullable: true, description: 'Delivered on or before the due date; null until delivered.' }) deliveredOnTime!: boolean | null;
}
