import { GraphQLJSON } from 'graphql-scalars';
import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { Node } from '../../graphql/node';
import { LocalDate } from '../../graphql/scalars';
import { AssessmentMethod, AssessmentStatus, Confidence, PriorityBand } from './assessment.enums';

@ObjectType({ description: 'Harm factors, each on the model scale (default 0-4).' })
@InputType('HarmScoresInput')
export class HarmScores {
  @Field(() => Int) physical!: number;
  @Field(() => Int) psychological!: number;
  @Field(() => Int) financial!: number;
  @Field(() => Int) communityEnvironment!: number;
  @Field(() => Int) geographicScope!: number;
}

@ObjectType({ description: 'Likelihood factors, each on the model scale.' })
@InputType('LikelihoodScoresInput')
export class LikelihoodScores {
  @Field(() => Int) victimVulnerability!: number;
  @Field(() => Int, { description: 'How often the harm happens.' }) frequency!: number;
  @Field(() => Int, { description: 'Whether it is growing.' }) trajectory!: number;
}

@ObjectType({ description: "The partnership's position against the threat, each on the model scale." })
@InputType('OrganisationalPositionScoresInput')
export class OrganisationalPositionScores {
  @Field(() => Int) capacity!: number;
  @Field(() => Int) capability!: number;
  @Field(() => Int) opportunity!: number;
}

@ObjectType({ implements: Node, description: 'A MoRiLE-style assessment of a whole threat or of one of its criminal activities.' })
export class ThreatAssessment extends Node {
  dbId!: string;
  threatId!: string;
  criminalActivityId!: string | null;
  assessedById!: string;
  decidedById!: string | null;

  @Field(() => AssessmentMethod) method!: AssessmentMethod;
  @Field(() => HarmScores) harm!: HarmScores;
  @Field(() => LikelihoodScores) likelihood!: LikelihoodScores;
  @Field(() => OrganisationalPositionScores) organisationalPosition!: OrganisationalPositionScores;
  @Field(() => Confidence) confidence!: Confidence;
  @Field(() => String) rationale!: string;
  @Field(() => Int, { description: 'Version of the scoring model the scores were computed with.' }) modelVersion!: number;
  @Field(() => Float) harmScore!: number;
  @Field(() => Float) likelihoodScore!: number;
  @Field(() => Float) organisationalPositionScore!: number;
  @Field(() => Float) riskScore!: number;
  @Field(() => PriorityBand) priority!: PriorityBand;
  @Field(() => AssessmentStatus) status!: AssessmentStatus;
  @Field(() => String, { nullable: true, description: 'Why it was returned.' }) statusReason!: string | null;
  @Field(() => Date, { nullable: true }) decidedAt!: Date | null;
  @Field(() => LocalDate, { nullable: true }) reviewDue!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Int) version!: number;
}

@ObjectType({ description: 'A version of the assessment scoring model: scales, weights and band thresholds.' })
export class AssessmentModel {
  createdById!: string | null;
  @Field(() => Int) version!: number;
  @Field(() => GraphQLJSON) definition!: unknown;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType({ description: 'How many would move from one priority band to another.' })
export class PriorityBandMove {
  @Field(() => PriorityBand, { nullable: true, description: 'Null: a threat with no priority yet.' }) from!: PriorityBand | null;
  @Field(() => PriorityBand) to!: PriorityBand;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: "A threat whose priority the new model would change, once recomputed." })
export class ThreatPriorityChange {
  threatId!: string;
  @Field(() => PriorityBand, { nullable: true }) from!: PriorityBand | null;
  @Field(() => PriorityBand) to!: PriorityBand;
}

@ObjectType({
  description:
    'What publishing a model definition would change, counted over the approved assessments and threats you can read. Nothing is saved. ' +
    'Existing assessments keep the version they were scored with: the assessment figures say how their bands would differ if scored again; ' +
    "a threat's priority is worked out with the new model (from its assessments' stored risk scores) the next time one of its assessments is approved.",
})
export class AssessmentModelPreview {
  @Field(() => AssessmentModel, { description: 'The version in force now.' }) current!: AssessmentModel;
  @Field(() => Int) nextVersion!: number;
  @Field(() => Int, { description: 'Approved assessments in use (the latest of the whole threat and of each activity) of threats you can read.' }) approvedAssessments!: number;
  @Field(() => Int, { description: 'Of those, how many would fall in another band if scored again under the new model.' }) assessmentsChangingBand!: number;
  @Field(() => [PriorityBandMove]) assessmentMoves!: PriorityBandMove[];
  @Field(() => Int, { description: 'Threats you can read with an approved assessment.' }) assessedThreats!: number;
  @Field(() => Int, { description: 'Of those, how many would have another priority under the new model.' }) threatsChangingPriority!: number;
  @Field(() => [PriorityBandMove]) threatMoves!: PriorityBandMove[];
  @Field(() => [ThreatPriorityChange], { description: 'Up to 25 of the threats whose priority would change.' }) threatChanges!: ThreatPriorityChange[];
}
