import { Field, ID, InputType, Int } from 'type-graphql';
import { LocalDate } from '../../graphql/scalars';

@InputType()
export class RetainRecordInput {
  @Field(() => ID, { description: 'A person, intelligence report, threat or safeguarding referral your organisation owns.' }) id!: string;
  @Field(() => String, { description: 'Why the record is still needed for a policing purpose. Required.' }) reason!: string;
  @Field(() => LocalDate, { nullable: true, description: "Required: after today, and no later than the record's review period from today." })
  nextReviewOn?: string | null;
  @Field(() => Int, { nullable: true, description: 'The version you reviewed; a newer one is a CONFLICT.' }) expectedVersion?: number | null;
}

@InputType()
export class DisposeRecordInput {
  @Field(() => ID, { description: 'A person, intelligence report, threat or safeguarding referral your organisation owns.' }) id!: string;
  @Field(() => String, { description: 'Why the record is no longer needed (kept on the tombstone: name no one in it). Required.' }) reason!: string;
}
