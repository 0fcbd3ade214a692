import type {
  CrimeCategory, DisruptionLevel, DisruptionOrderField, DisruptionStatus, EvidenceRating, PlanActionStatus, PlanOrderField, PlanStatus, PracticeStage, PriorityBand, ProtectiveMarking,
  ReferralOutcome, Sharing, Strand, SubjectType, Tactic, ThreatOrderField, ThreatStatus,
} from '../gql/graphql';

/** Every value of a generated enum type, checked to be complete at compile time. */
const allOf =
  <T extends string>() =>
  <const A extends readonly T[]>(values: A & ([T] extends [A[number]] ? unknown : never)) =>
    values;

export const strands = allOf<Strand>()(['PURSUE', 'PREVENT', 'PROTECT', 'PREPARE']);
export const tactics = allOf<Tactic>()(['CRIME', 'BUSINESS', 'LIFESTYLE', 'TRAVEL', 'VEHICLES', 'BEHAVIOUR']);
export const priorityBands = allOf<PriorityBand>()(['HIGH', 'MEDIUM', 'LOW', 'STANDARD']);
export const threatStatuses = allOf<ThreatStatus>()(['TRIGGER_SUBMITTED', 'UNDER_ASSESSMENT', 'ASSESSED', 'ADOPTED', 'UNDER_REVIEW', 'ARCHIVED', 'REJECTED']);
export const subjectTypes = allOf<SubjectType>()(['ORGANISED_CRIME_GROUP', 'PRIORITY_INDIVIDUAL', 'VULNERABILITY']);
export const crimeCategories = allOf<CrimeCategory>()([
  'ILLEGAL_DRUGS', 'MODERN_SLAVERY_HUMAN_TRAFFICKING', 'ILLEGAL_FIREARMS', 'ORGANISED_ACQUISITIVE_CRIME', 'FRAUD', 'MONEY_LAUNDERING',
  'CYBER_CRIME', 'CHILD_SEXUAL_ABUSE', 'ORGANISED_IMMIGRATION_CRIME', 'BRIBERY_CORRUPTION_SANCTIONS_EVASION',
]);
export const threatOrderFields = allOf<ThreatOrderField>()(['RISK', 'NAME', 'URN', 'STATUS', 'IDENTIFIED_ON', 'NEXT_REVIEW_DUE', 'UPDATED_AT']);
export const disruptionLevels = allOf<DisruptionLevel>()(['MAJOR', 'MODERATE', 'MINOR', 'NONE', 'NEGATIVE']);
export const disruptionStatuses = allOf<DisruptionStatus>()(['DRAFT', 'SUBMITTED', 'VALIDATED', 'RETURNED', 'REJECTED', 'SUPERSEDED']);
export const disruptionOrderFields = allOf<DisruptionOrderField>()(['SUBMITTED_AT', 'DATE', 'UPDATED_AT']);
export const protectiveMarkings = allOf<ProtectiveMarking>()(['OFFICIAL', 'OFFICIAL_SENSITIVE', 'SECRET', 'TOP_SECRET']);
export const sharings = allOf<Sharing>()(['REGIONAL_LAW_ENFORCEMENT', 'OWNER_ONLY', 'NAMED_ORGANISATIONS', 'ALL_PARTNERS']);
export const actionStatuses = allOf<PlanActionStatus>()(['PLANNED', 'IN_PROGRESS', 'BLOCKED', 'COMPLETE', 'CANCELLED']);
export const planStatuses = allOf<PlanStatus>()(['DRAFT', 'ACTIVE', 'UNDER_REVIEW', 'CLOSED']);
export const planOrderFields = allOf<PlanOrderField>()(['UPDATED_AT', 'THREAT_NAME', 'NEXT_REVIEW_DUE']);
export const practiceStages = allOf<PracticeStage>()(['IDEA', 'PILOT', 'IMPLEMENTED', 'EVALUATED']);
export const evidenceRatings = allOf<EvidenceRating>()(['UNTESTED_NEW', 'PROMISING', 'EFFECTIVE']);
export const referralOutcomes = allOf<ReferralOutcome>()([
  'NO_FURTHER_ACTION', 'EARLY_HELP_OR_OTHER_AGENCY', 'CSC_ASSESSMENT', 'REASONABLE_GROUNDS_POSITIVE', 'REASONABLE_GROUNDS_NEGATIVE',
  'CONCLUSIVE_GROUNDS_POSITIVE', 'CONCLUSIVE_GROUNDS_NEGATIVE',
]);

/** Who may record disruption claims (the server's CLAIMANTS, server/src/access/mutation-roles.ts). */
export const claimantRoles: string[] = ['ANALYST', 'INTELLIGENCE_OFFICER', 'INVESTIGATOR', 'LRO', 'SRO', 'OCG_COORDINATOR', 'THREAT_ASSESSOR', 'PARTNER_CONTRIBUTOR'];
