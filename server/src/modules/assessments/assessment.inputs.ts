import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import { LocalDate } from '../../graphql/scalars';
import { AssessmentMethod, Confidence } from './assessment.enums';
import { HarmScores, LikelihoodScores, OrganisationalPositionScores } from './assessment.types';

@InputType()
export class AssessmentScoresInput {
  @Field(() => AssessmentMethod) method!: AssessmentMethod;
  @Field(() => HarmScores) harm!: HarmScores;
  @Field(() => LikelihoodScores) likelihood!: LikelihoodScores;
  @Field(() => OrganisationalPositionScores) organisationalPosition!: OrganisationalPositionScores;
  @Field(() => Confidence) confidence!: Confidence;
  @Field(() => String, { description: 'Required: why these scores.' }) rationale!: string;
  @Field(() => LocalDate, { nullable: true }) reviewDue?: string | null;
}

@InputType()
export class CreateAssessmentInput extends AssessmentScoresInput {
  @Field(() => ID) threatId!: string;
  @Field(() => ID, { nullable: true, description: 'Assess one criminal activity; omit to assess the whole threat.' })
  criminalActivityId?: string | null;
}

@InputType()
export class ReviseAssessmentInput extends AssessmentScoresInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
}

@InputType()
export class AssessmentDecisionInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => String, { nullable: true, description: 'Required when returning.' }) reason?: string | null;
}

@InputType()
export class PublishAssessmentModelInput {
  @Field(() => GraphQLJSON, { description: 'The whole model: scale, weights, confidence factors, priority bands, review period.' })
  definition!: unknown;
  @Field(() => String, { nullable: true }) note?: string | null;
}
