import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { LocalDate } from '../../graphql/scalars';
import { DisruptionLevel, DisruptionStatus } from '../disruptions/disruption.enums';
import { Strand } from '../plans/plan.enums';
import { ReferralType, Urgency } from '../referrals/referral.enums';
import { CrimeCategory, SubjectType, ThreatStatus } from '../threats/threat.enums';
import { DisruptionStatsDimension, InsightKind, ReferralStatsDimension, ThreatStatsDimension } from './reporting.enums';

@InputType({ description: 'Which disruptions the figures cover; all given conditions must hold.' })
export class DisruptionStatsFilter {
  @Field(() => LocalDate, { nullable: true, description: 'Disruptions dated on or after this day.' }) from?: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'Disruptions dated on or before this day.' }) to?: string | null;
  @Field(() => [String], { nullable: true, description: 'Reporting years, e.g. ["2025/26"] (1 April 2025 to 31 March 2026).' }) fiscalYears?: string[] | null;
  @Field(() => [ID], { nullable: true, description: 'Claiming organisations.' }) organisationIds?: string[] | null;
  @Field(() => [ID], { nullable: true }) threatIds?: string[] | null;
  @Field(() => [DisruptionLevel], { nullable: true, description: 'Agreed level once validated, claimed level before.' }) levels?: DisruptionLevel[] | null;
  @Field(() => [Strand], { nullable: true, description: 'Agreed strand once validated, claimed strand before.' }) strands?: Strand[] | null;
  @Field(() => [CrimeCategory], { nullable: true, description: 'Category of the criminal activity disrupted.' }) categories?: CrimeCategory[] | null;
  @Field(() => [DisruptionStatus], {
    nullable: true,
    description: 'Statuses counted in rows and totals. Default [VALIDATED]: only validated disruptions count in any figure.',
  })
  statuses?: DisruptionStatus[] | null;
}

@ArgsType()
export class DisruptionStatsArgs {
  @Field(() => DisruptionStatsFilter, { nullable: true }) filter?: DisruptionStatsFilter | null;
  @Field(() => [DisruptionStatsDimension], { description: 'How rows are broken down; [] gives one row for the whole selection.' })
  groupBy!: DisruptionStatsDimension[];
}

@InputType({ description: 'Which threats the figures cover; all given conditions must hold.' })
export class ThreatStatsFilter {
  @Field(() => [ThreatStatus], { nullable: true, description: 'Default: every status.' }) statuses?: ThreatStatus[] | null;
  @Field(() => [SubjectType], { nullable: true }) subjectTypes?: SubjectType[] | null;
  @Field(() => [ID], { nullable: true }) leadOrganisationIds?: string[] | null;
  @Field(() => [CrimeCategory], { nullable: true, description: 'Threats with at least one activity in these categories.' }) categories?: CrimeCategory[] | null;
}

@ArgsType()
export class ThreatStatsArgs {
  @Field(() => ThreatStatsFilter, { nullable: true }) filter?: ThreatStatsFilter | null;
  @Field(() => [ThreatStatsDimension]) groupBy!: ThreatStatsDimension[];
}

@InputType({ description: 'Which referrals the figures cover (by submission date, UTC); all given conditions must hold.' })
export class ReferralStatsFilter {
  @Field(() => LocalDate, { nullable: true, description: 'Submitted on or after this day.' }) from?: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'Submitted on or before this day.' }) to?: string | null;
  @Field(() => [String], { nullable: true, description: 'Reporting years of submission, e.g. ["2025/26"].' }) fiscalYears?: string[] | null;
  @Field(() => [ReferralType], { nullable: true }) referralTypes?: ReferralType[] | null;
  @Field(() => [Urgency], { nullable: true }) urgencies?: Urgency[] | null;
}

@ArgsType()
export class ReferralStatsArgs {
  @Field(() => ReferralStatsFilter, { nullable: true }) filter?: ReferralStatsFilter | null;
  @Field(() => [ReferralStatsDimension]) groupBy!: ReferralStatsDimension[];
}

@ArgsType()
export class InsightsArgs {
  @Field(() => [InsightKind], { nullable: true, description: 'Default: every kind you may see.' }) kinds?: InsightKind[] | null;
  @Field(() => Int, { defaultValue: 90, description: 'NO_RECENT_DISRUPTION: days without a validated disruption (1 to 3650).' })
  noDisruptionDays!: number;
  @Field(() => Int, { defaultValue: 20, description: 'At most this many items of each kind (1 to 100); counts give the totals.' })
  limit!: number;
}
