import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../../graphql/node';
import { LocalDate } from '../../graphql/scalars';
import { SharedRecord } from '../../shared/shared-record';
import { Role } from '../identity/identity.enums';
import { Strand, Tactic } from '../plans/plan.enums';
import { DisruptionLevel, DisruptionStatus, ValidationDecision } from './disruption.enums';

@ObjectType({ description: "A validator's decision on a submitted disruption." })
export class DisruptionValidation {
  validatorId!: string;
  @Field(() => ValidationDecision) decision!: ValidationDecision;
  @Field(() => DisruptionLevel, { nullable: true, description: 'The level the validator agreed; null unless VALIDATED.' })
  levelAgreed!: DisruptionLevel | null;
  @Field(() => Strand, { nullable: true, description: 'The strand the validator agreed; null unless VALIDATED.' })
  strandAgreed!: Strand | null;
  @Field(() => String, { nullable: true, description: 'Why: required when the agreed level or strand differs from the claim, and when returning or rejecting.' })
  reasons!: string | null;
  @Field(() => Date) at!: Date;
}

@ObjectType({ implements: [Node, SharedRecord], description: "An event that dismantled, frustrated or undermined a threat's ability to cause harm, recorded against the national standard." })
export class Disruption extends SharedRecord {
  threatId!: string;
  criminalActivityId!: string | null;
  planActionId!: string | null;
  claimingOrganisationId!: string;
  contributorIds!: string[];
  possibleDuplicateOfId!: string | null;
  supersedesId!: string | null;
  supersededById!: string | null;

  @Field(() => LocalDate, { description: 'When the disruption happened.' }) date!: string;
  @Field(() => Strand, { description: 'The strand claimed.' }) strand!: Strand;
  @Field(() => DisruptionLevel, { description: 'The level claimed.' }) level!: DisruptionLevel;
  @Field(() => Tactic) tactic!: Tactic;
  @Field(() => String) description!: string;
  @Field(() => String, { description: "How the group's ability to cause harm was dismantled, frustrated or undermined." })
  impactNarrative!: string;
  @Field(() => [String], { description: 'References to the evidence (crime numbers, seizure or court references); at least one.' })
  evidenceRefs!: string[];
  @Field(() => DisruptionStatus) status!: DisruptionStatus;
  @Field(() => Date, { nullable: true, description: 'When the claim was first submitted.' }) submittedAt!: Date | null;
  @Field(() => Boolean, { description: 'First reported more than the configured number of days (disruptionRules.lateAfterDays) after its date.' })
  isLate!: boolean;
  @Field(() => String, { nullable: true, description: 'Why it was returned, rejected or superseded.' }) statusReason!: string | null;
  @Field(() => DisruptionValidation, { nullable: true, description: 'The latest decision on the claim; null until one is made.' })
  validation!: DisruptionValidation | null;
  @Field(() => Boolean, { description: 'VALIDATED at an agreed level that counts (MAJOR, MODERATE or MINOR): the only disruptions in any figure.' })
  countsAsDisruption!: boolean;
}

@ObjectType({ description: 'A national disruption level and whether it counts.' })
export class DisruptionLevelDefinition {
  @Field(() => DisruptionLevel) level!: DisruptionLevel;
  @Field(() => String) definition!: string;
  @Field(() => Boolean, { description: 'Whether a validated disruption at this level counts in figures.' }) counts!: boolean;
}

@ObjectType({ description: 'The disruption recording rules in force (configuration).' })
export class DisruptionRulesInfo {
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => [DisruptionLevelDefinition]) levels!: DisruptionLevelDefinition[];
  @Field(() => Int, { description: 'A record first submitted more than this many days after its date is flagged late.' }) lateAfterDays!: number;
  @Field(() => [Role], { description: 'Besides DISRUPTION_VALIDATOR, a validator of a MAJOR claim or MAJOR agreed level needs one of these roles.' })
  majorClaimValidatorRoles!: Role[];
}

@ObjectType()
export class DisruptionLevelCount {
  @Field(() => DisruptionLevel) level!: DisruptionLevel;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: "A threat's validated disruptions in figures: only VALIDATED disruptions are counted." })
export class DisruptionSummary {
  @Field(() => Int, { description: 'VALIDATED disruptions, at any agreed level.' }) validatedCount!: number;
  @Field(() => Int, { description: 'VALIDATED disruptions at an agreed level that counts (MAJOR, MODERATE, MINOR).' }) countingCount!: number;
  @Field(() => LocalDate, { nullable: true, description: 'The date of the latest VALIDATED disruption.' }) lastValidatedDate!: string | null;
  @Field(() => [DisruptionLevelCount], { description: 'VALIDATED disruptions by agreed level, every level listed.' }) byLevel!: DisruptionLevelCount[];
}
