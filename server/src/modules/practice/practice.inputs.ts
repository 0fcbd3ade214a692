import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { ConnectionArgs, SortDirection } from '../../graphql/connection';
import { SharingInput } from '../threats/threat.inputs';
import { EvidenceRating, PracticeOrderField, PracticeStage } from './practice.enums';

@InputType()
export class CreatePracticeInput {
  @Field(() => String) title!: string;
  @Field(() => String) aim!: string;
  @Field(() => String) description!: string;
  @Field(() => [String], { description: 'At least one; stored lower-case.' }) topics!: string[];
  @Field(() => [ID], { nullable: true, description: 'Organisations that worked on it with you.' }) partnerIds?: string[] | null;
  @Field(() => PracticeStage) stage!: PracticeStage;
  @Field(() => EvidenceRating) evidenceRating!: EvidenceRating;
  @Field(() => String) contact!: string;
  @Field(() => SharingInput) access!: SharingInput;
}

@InputType({ description: 'Changes to a practice entry; only the fields given change.' })
export class UpdatePracticeInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) aim?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [String], { nullable: true }) topics?: string[] | null;
  @Field(() => [ID], { nullable: true }) partnerIds?: string[] | null;
  @Field(() => PracticeStage, { nullable: true }) stage?: PracticeStage | null;
  @Field(() => EvidenceRating, { nullable: true }) evidenceRating?: EvidenceRating | null;
  @Field(() => String, { nullable: true }) contact?: string | null;
  @Field(() => SharingInput, { nullable: true }) access?: SharingInput | null;
}

@InputType()
export class EndorsePracticeInput {
  @Field(() => ID, { description: 'The practice entry.' }) id!: string;
  @Field(() => String, { nullable: true, description: 'Why you endorse it, e.g. how it worked for you.' }) comment?: string | null;
}

@InputType()
export class WithdrawEndorsementInput {
  @Field(() => ID, { description: 'The practice entry you endorsed.' }) id!: string;
}

@InputType({ description: 'Narrows the practice register; all given conditions must hold.' })
export class PracticeFilter {
  @Field(() => String, {
    nullable: true,
    description: 'Words in the title, aim, description or topics (web-search syntax: "quoted phrases", or, -excluded).',
  })
  text?: string;
  @Field(() => [String], { nullable: true, description: 'Entries with any of these topics.' }) topics?: string[];
  @Field(() => [PracticeStage], { nullable: true }) stage?: PracticeStage[];
  @Field(() => [EvidenceRating], { nullable: true }) evidenceRating?: EvidenceRating[];
  @Field(() => [ID], { nullable: true, description: 'Entries by, or in partnership with, any of these organisations.' }) organisationIds?: string[];
}

@InputType()
export class PracticeOrder {
  @Field(() => PracticeOrderField) field!: PracticeOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.DESC }) direction!: SortDirection;
}

@ArgsType()
export class PracticesArgs extends ConnectionArgs {
  @Field(() => PracticeFilter, { nullable: true }) filter?: PracticeFilter | null;
  @Field(() => [PracticeOrder], { nullable: true, description: 'Default: best match first when filter.text is given, else most recently updated.' })
  orderBy?: PracticeOrder[] | null;
}
