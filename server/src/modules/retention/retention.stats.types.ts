import { ArgsType, Field, InputType, Int, ObjectType } from 'type-graphql';
import { LocalDate } from '../../graphql/scalars';
import { RetainedRecordKind } from './retention.enums';

@InputType({ description: 'The period the figures count reviews falling due, decisions and disposals in: between these days (UTC), both included; open-ended when omitted.' })
export class RetentionStatsFilter {
  @Field(() => LocalDate, { nullable: true }) from?: string | null;
  @Field(() => LocalDate, { nullable: true }) to?: string | null;
}

@ArgsType()
export class RetentionStatsArgs {
  @Field(() => RetentionStatsFilter, { nullable: true }) filter?: RetentionStatsFilter | null;
}

@ObjectType({ description: "One kind of record of one organisation: its retention reviews due and overdue, the decisions made in the period, and its tombstones." })
export class RetentionStatsRow {
  organisationId!: string;
  @Field(() => RetainedRecordKind) kind!: RetainedRecordKind;
  @Field(() => Int, { description: 'Records whose review date has passed (before today) and that are still held.' }) overdue!: number;
  @Field(() => Int, { description: 'Records whose review falls due within the period.' }) dueInPeriod!: number;
  @Field(() => Int, { description: 'Decisions to keep a record, made within the period.' }) retained!: number;
  @Field(() => Int, { description: 'Records disposed of within the period (tombstones dated in it).' }) disposed!: number;
  @Field(() => Int, { description: 'Tombstones kept, whenever the records were disposed of.' }) tombstones!: number;
}

@ObjectType({
  description:
    "Retention reviews (MoPI) in figures: your organisation's records (a regional unit's auditor: the region's), by kind and owning organisation, among those you may read; decisions and tombstones as their owners and auditors see them.",
})
export class RetentionStats {
  @Field(() => [RetentionStatsRow], { description: 'One row per kind and organisation with anything to count, ordered by organisation and kind.' }) rows!: RetentionStatsRow[];
}
