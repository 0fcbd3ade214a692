import { Field, ID, Int, ObjectType } from 'type-graphql';
import { WithheldField } from '../../access/redaction';
import { PriorityBand } from '../assessments/assessment.enums';
import { DisruptionLevel, DisruptionStatus } from '../disruptions/disruption.enums';
import { PlanProblemCode, Strand } from '../plans/plan.enums';
import { ReferralOutcome, ReferralStatus, ReferralType, Urgency } from '../referrals/referral.enums';
import { CrimeCategory, SubjectType, ThreatStatus } from '../threats/threat.enums';
import { AgeingBucket, DisruptionStatsDimension, InsightKind } from './reporting.enums';

@ObjectType({ description: 'One group of disruptions: the keys asked for in groupBy (others null) and its counts.' })
export class DisruptionStatsRow {
  organisationId!: string | null;
  @Field(() => String, { nullable: true, description: 'Reporting year, e.g. "2025/26".' }) fiscalYear!: string | null;
  @Field(() => String, { nullable: true, description: 'Q1 (April to June) to Q4 (January to March).' }) quarter!: string | null;
  @Field(() => DisruptionLevel, { nullable: true }) level!: DisruptionLevel | null;
  @Field(() => Strand, { nullable: true }) strand!: Strand | null;
  @Field(() => CrimeCategory, { nullable: true }) category!: CrimeCategory | null;
  @Field(() => DisruptionStatus, { nullable: true }) status!: DisruptionStatus | null;
  @Field(() => Int, { description: 'Records in the group.' }) count!: number;
  @Field(() => Int, { description: 'VALIDATED records at an agreed level that counts (MAJOR, MODERATE, MINOR): the disruptions.' })
  countingCount!: number;
  @Field(() => Int, { description: 'Records flagged late (submitted long after the event).' }) lateCount!: number;
}

@ObjectType({ description: 'Validated disruptions by the level claimed and the level the validator agreed.' })
export class LevelComparison {
  @Field(() => DisruptionLevel) claimed!: DisruptionLevel;
  @Field(() => DisruptionLevel) agreed!: DisruptionLevel;
  @Field(() => Int) count!: number;
}

@ObjectType()
export class AgeingCount {
  @Field(() => AgeingBucket) bucket!: AgeingBucket;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: 'Claims SUBMITTED and not yet decided, by how long they have waited.' })
export class AwaitingValidation {
  @Field(() => Int) total!: number;
  @Field(() => Date, { nullable: true }) oldestSubmittedAt!: Date | null;
  @Field(() => [AgeingCount], { description: 'Every bucket, in order, zeros included.' }) byAge!: AgeingCount[];
}

/** The parsed request behind a DisruptionStats answer; its fields are computed when asked for. */
export interface DisruptionStatsQuery {
  groupBy: DisruptionStatsDimension[];
  from?: string;
  to?: string;
  fiscalYears: string[];
  organisationIds?: string[];
  threatIds?: string[];
  levels?: DisruptionLevel[];
  strands?: Strand[];
  categories?: CrimeCategory[];
  statuses: DisruptionStatus[];
}

@ObjectType({ description: 'Disruption figures within your access, computed in the database. Each field is computed only when asked for.' })
export class DisruptionStats {
  query!: DisruptionStatsQuery;
  /** The rows' statement, run once however many fields use it. */
  rowsPromise?: Promise<DisruptionStatsRow[]>;
}

@ObjectType({ description: 'One group of threats: the keys asked for in groupBy (others null) and the number of threats.' })
export class ThreatStatsRow {
  leadOrganisationId!: string | null;
  @Field(() => SubjectType, { nullable: true }) subjectType!: SubjectType | null;
  @Field(() => PriorityBand, { nullable: true }) priority!: PriorityBand | null;
  @Field(() => CrimeCategory, { nullable: true }) category!: CrimeCategory | null;
  @Field(() => ThreatStatus, { nullable: true }) status!: ThreatStatus | null;
  @Field(() => Int) count!: number;
}

@ObjectType()
export class ThreatStats {
  @Field(() => [ThreatStatsRow]) rows!: ThreatStatsRow[];
  @Field(() => Int, { description: 'Threats selected (each once, whatever the breakdown).' }) total!: number;
  @Field(() => [WithheldField], {
    description: 'Breakdowns you are not shown, and why: a partner sees the priority band of its own threats only, the others counted under a null band.',
  })
  withheld!: WithheldField[];
}

@ObjectType()
export class GateFailureCount {
  @Field(() => PlanProblemCode) problem!: PlanProblemCode;
  @Field(() => Int, { description: 'Plans with this problem.' }) plans!: number;
}

@ObjectType()
export class OverdueActionsCount {
  organisationId!: string;
  @Field(() => Int, { description: 'Actions still to do (PLANNED, IN_PROGRESS, BLOCKED).' }) open!: number;
  @Field(() => Int, { description: 'Open actions past their due date.' }) overdue!: number;
}

@ObjectType({ description: '4P plan figures within your access. Plans "in force" are ACTIVE or UNDER_REVIEW.' })
export class PlanStats {
  @Field(() => Int, { description: 'Threats ADOPTED or UNDER_REVIEW.' }) adoptedThreats!: number;
  @Field(() => Int, { description: 'Of those, threats with a plan in force.' }) withPlanInForce!: number;
  @Field(() => Int, { description: 'Of those, threats whose plan in force names an LRO.' }) withPlanInForceAndLro!: number;
  @Field(() => Int, { description: 'Plans in force checked by the quality gate (partners: their own plans only; the gate is withheld from them otherwise).' })
  plansChecked!: number;
  @Field(() => Int) plansFailingGate!: number;
  @Field(() => [GateFailureCount], { description: 'Every problem code, with the plans that have it (a plan can have several).' })
  gateFailures!: GateFailureCount[];
  @Field(() => [OverdueActionsCount], { description: 'Open actions of plans not closed, by owning organisation (partners: their own only).' })
  actionsByOwner!: OverdueActionsCount[];
}

@ObjectType({ description: 'One group of referrals: the keys asked for in groupBy (others null) and its counts.' })
export class ReferralStatsRow {
  referringOrganisationId!: string | null;
  receivingOrganisationId!: string | null;
  @Field(() => ReferralType, { nullable: true }) referralType!: ReferralType | null;
  @Field(() => String, { nullable: true }) fiscalYear!: string | null;
  @Field(() => String, { nullable: true }) quarter!: string | null;
  @Field(() => Urgency, { nullable: true }) urgency!: Urgency | null;
  @Field(() => ReferralStatus, { nullable: true }) status!: ReferralStatus | null;
  @Field(() => ReferralOutcome, { nullable: true }) outcome!: ReferralOutcome | null;
  @Field(() => Int) count!: number;
  @Field(() => Int) acknowledged!: number;
  @Field(() => Int, { description: 'Acknowledged by the due time for their urgency.' }) acknowledgedWithinTarget!: number;
  @Field(() => Int, { description: 'Not yet acknowledged.' }) awaitingAcknowledgement!: number;
  @Field(() => Int, { description: 'Not yet acknowledged and past the due time.' }) overdue!: number;
}

@ObjectType({ description: 'Acknowledgement against the target for one urgency.' })
export class AcknowledgementByUrgency {
  @Field(() => Urgency) urgency!: Urgency;
  @Field(() => Int, { description: 'The target in force (referralRules), in hours from submission.' }) targetHours!: number;
  @Field(() => Int) referrals!: number;
  @Field(() => Int) acknowledged!: number;
  @Field(() => Int) acknowledgedWithinTarget!: number;
  @Field(() => Int) awaitingAcknowledgement!: number;
  @Field(() => Int) overdue!: number;
}

@ObjectType()
export class OutcomeCount {
  @Field(() => ReferralOutcome) outcome!: ReferralOutcome;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: 'Safeguarding referral figures: the referrals your organisation made or received (auditors: all).' })
export class ReferralStats {
  @Field(() => [ReferralStatsRow]) rows!: ReferralStatsRow[];
  @Field(() => Int) total!: number;
  @Field(() => [AcknowledgementByUrgency], { description: 'Every urgency, RED first.' }) acknowledgementByUrgency!: AcknowledgementByUrgency[];
  @Field(() => [OutcomeCount], { description: 'Outcomes recorded, most frequent first.' }) outcomes!: OutcomeCount[];
}

/** A record a finding names, and whether reading it is a sensitive read. */
export interface NamedRecord {
  type: string;
  dbId: string;
  sensitive: boolean;
}

@ObjectType({ description: 'One finding, in plain English, with the records behind it.' })
export class Insight {
  namedRecords!: NamedRecord[];

  @Field(() => InsightKind) kind!: InsightKind;
  @Field(() => String) summary!: string;
  @Field(() => [ID], { description: 'Global IDs of the records behind the finding (fetch them with nodes, or read records).' })
  recordIds!: string[];
}

@ObjectType()
export class InsightCount {
  @Field(() => InsightKind) kind!: InsightKind;
  @Field(() => Int, { description: 'Findings of this kind (items holds at most `limit` of them).' }) total!: number;
}

@ObjectType({ description: 'A kind of insight not made for you, and why.' })
export class WithheldInsight {
  @Field(() => InsightKind) kind!: InsightKind;
  @Field(() => String) reason!: string;
}

@ObjectType({ description: 'The routine analysis a short-staffed unit does not get round to, within your access.' })
export class Insights {
  @Field(() => [Insight]) items!: Insight[];
  @Field(() => [InsightCount], { description: 'Every kind made for you, with its total.' }) counts!: InsightCount[];
  @Field(() => [WithheldInsight]) withheld!: WithheldInsight[];
}
