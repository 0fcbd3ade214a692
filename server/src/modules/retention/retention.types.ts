import { Field, ID, ObjectType } from 'type-graphql';
import { LocalDate } from '../../graphql/scalars';
import { ConnectionType } from '../../graphql/connection';
import { RetainedRecordKind } from './retention.enums';
import type { RetainedType } from './retention-periods';

@ObjectType({ description: 'A record holding personal data whose retention review is due (MoPI).' })
export class RecordDueForReview {
  type!: RetainedType;
  dbId!: string;
  @Field(() => ID, { description: "The record's ID." }) recordId!: string;
  @Field(() => RetainedRecordKind) kind!: RetainedRecordKind;
  @Field(() => LocalDate, { description: 'The review was due on this day.' }) dueSince!: string;
}

@ObjectType()
export class RecordDueForReviewConnection extends ConnectionType(RecordDueForReview) {}

@ObjectType({ description: 'A decision to keep a record for now, with the reason and the next review.' })
export class RetentionReview {
  dbId!: string;
  reviewedById!: string;
  @Field(() => Date) reviewedAt!: Date;
  @Field(() => String) reason!: string;
  @Field(() => LocalDate) nextReviewOn!: string;
}

@ObjectType({
  description:
    'What is kept of a disposed record: its kind, ID, owner, when, by whom and why; none of its content. Seen by the owning organisation and auditors.',
})
export class DisposedRecord {
  dbId!: string;
  organisationId!: string;
  disposedById!: string;
  @Field(() => ID, { description: "The disposed record's ID (audit events and history still name it)." }) recordId!: string;
  @Field(() => RetainedRecordKind) kind!: RetainedRecordKind;
  @Field(() => ID, { nullable: true, description: 'The threat it was disposed of with (a plan, disruption or analytical request); null when reviewed itself.' })
  disposedWithId!: string | null;
  @Field(() => LocalDate) disposedOn!: string;
  @Field(() => Date) disposedAt!: Date;
  @Field(() => String) reason!: string;
}
