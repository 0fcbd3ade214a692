import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../graphql/node';
import { SharedRecord } from '../../shared/shared-record';
import { EvidenceRating, PracticeStage } from './practice.enums';

@ObjectType({ implements: [Node, SharedRecord], description: 'An entry in the innovative practice register: what was tried, by whom, and how well it works.' })
export class PracticeEntry extends SharedRecord {
  partnerIds!: string[];

  @Field(() => String) title!: string;
  @Field(() => String, { description: 'What the practice sets out to achieve.' }) aim!: string;
  @Field(() => String) description!: string;
  @Field(() => [String], { description: 'Lower-case topics, e.g. "county lines", "cuckooing".' }) topics!: string[];
  @Field(() => PracticeStage) stage!: PracticeStage;
  @Field(() => EvidenceRating) evidenceRating!: EvidenceRating;
  @Field(() => String, { description: 'Who to ask about it (name, team, email or phone).' }) contact!: string;
}

@ObjectType({ implements: Node, description: "Another organisation's user vouching for a practice entry." })
export class PracticeEndorsement extends Node {
  dbId!: string;
  entryId!: string;
  userId!: string;
  organisationId!: string;

  @Field(() => String, { nullable: true }) comment!: string | null;
  @Field(() => Date) at!: Date;
}
