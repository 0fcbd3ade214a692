/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type CrimeCategory =
  | 'BRIBERY_CORRUPTION_SANCTIONS_EVASION'
  | 'CHILD_SEXUAL_ABUSE'
  | 'CYBER_CRIME'
  | 'FRAUD'
  | 'ILLEGAL_DRUGS'
  | 'ILLEGAL_FIREARMS'
  | 'MODERN_SLAVERY_HUMAN_TRAFFICKING'
  | 'MONEY_LAUNDERING'
  | 'ORGANISED_ACQUISITIVE_CRIME'
  | 'ORGANISED_IMMIGRATION_CRIME';

/** National disruption level; only MAJOR, MODERATE and MINOR count as disruptions. */
export type DisruptionLevel =
  | 'MAJOR'
  | 'MINOR'
  | 'MODERATE'
  | 'NEGATIVE'
  | 'NONE';

/** DRAFT → SUBMITTED → VALIDATED | RETURNED | REJECTED; RETURNED is edited and resubmitted; VALIDATED → SUPERSEDED. */
export type DisruptionStatus =
  | 'DRAFT'
  | 'REJECTED'
  | 'RETURNED'
  | 'SUBMITTED'
  /** A validated record corrected by a newer one (see supersededBy); no longer counts. */
  | 'SUPERSEDED'
  /** Validated by another organisation: the only status that counts in any figure. */
  | 'VALIDATED';

/** Handling code (3x5x2). */
export type HandlingCode =
  /** May be disseminated only with the conditions stated. */
  | 'C'
  /** Lawful sharing permitted. */
  | 'P';

export type InsightKind =
  /** A criminal activity of an adopted threat that no action of its 4P plan addresses. */
  | 'ACTIVITY_WITHOUT_PLAN_ACTION'
  /** An information sharing agreement in force that expires within 60 days; agreements you may see only. */
  | 'AGREEMENT_EXPIRING'
  /** An adopted threat whose assessment review date has passed. */
  | 'ASSESSMENT_REVIEW_OVERDUE'
  /** An adopted threat with no validated disruption in the last N days (counted from adoption if none). */
  | 'NO_RECENT_DISRUPTION'
  /** A 4P plan in force whose review is overdue (the quality gate rule). */
  | 'PLAN_REVIEW_OVERDUE'
  /** Two threats that share a member but are not linked; only when you can see both and the person. */
  | 'POSSIBLE_LINK'
  /** A current threat with a single recorded criminal activity (inspection finding 3). */
  | 'SINGLE_ACTIVITY_THREAT'
  /** A current threat's criminal activity that intelligence is about but no approved assessment covers; intelligence and activities you may read only. */
  | 'UNASSESSED_INTELLIGENCE'
  /** A crime category that intelligence about a current threat or its people mentions but the threat does not list; intelligence and people you may read only. */
  | 'UNLISTED_CRIME_CATEGORY';

/** Intelligence assessment (3x5x2). */
export type IntelligenceAssessment =
  /** Known directly to the source. */
  | 'A'
  /** Known indirectly to the source but corroborated. */
  | 'B'
  /** Known indirectly to the source. */
  | 'C'
  /** Not known. */
  | 'D'
  /** Suspected to be false. */
  | 'E';

/** A named failure of the plan quality gate. */
export type PlanProblemCode =
  /** A criminal activity of the threat has no action (other than cancelled ones) addressing it. */
  | 'ACTIVITY_NOT_ADDRESSED'
  /** A strand has no objective and no recorded reason why it does not apply. */
  | 'MISSING_STRAND'
  /** No lead responsible officer is named. */
  | 'NO_LRO'
  /** Prevent or Protect applies but no partner is named for it. */
  | 'PARTNER_NOT_NAMED'
  /** The next review date has passed, or an active plan has none. */
  | 'REVIEW_OVERDUE';

/** Priority band from the assessment model, highest first. */
export type PriorityBand =
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM'
  | 'STANDARD';

/** Government Security Classifications, lowest first. */
export type ProtectiveMarking =
  | 'OFFICIAL'
  | 'OFFICIAL_SENSITIVE'
  | 'SECRET'
  | 'TOP_SECRET';

export type ReferralOutcome =
  /** NRM only. */
  | 'CONCLUSIVE_GROUNDS_NEGATIVE'
  /** NRM only. */
  | 'CONCLUSIVE_GROUNDS_POSITIVE'
  /** Accepted for a children's social care assessment. */
  | 'CSC_ASSESSMENT'
  | 'EARLY_HELP_OR_OTHER_AGENCY'
  | 'NO_FURTHER_ACTION'
  /** NRM only. */
  | 'REASONABLE_GROUNDS_NEGATIVE'
  /** NRM only. */
  | 'REASONABLE_GROUNDS_POSITIVE';

export type ReferralType =
  /** A concern raised with adult social care. */
  | 'ADULT_SAFEGUARDING_CONCERN'
  /** An anonymous MS1 notification for an adult who does not consent to an NRM referral. */
  | 'DUTY_TO_NOTIFY_MS1'
  /** A request for early help for a child or family. */
  | 'EARLY_HELP'
  /** A contact to a multi-agency safeguarding hub. */
  | 'MASH_CONTACT'
  /** A referral into the National Referral Mechanism (modern slavery); an adult must consent. */
  | 'NRM_REFERRAL'
  | 'OTHER';

/** A kind of record holding personal data, reviewed for retention (MoPI), or disposed of with one (a threat's plan, disruptions and analytical requests). */
export type RetainedRecordKind =
  /** An analytical request for a threat or its plan: disposed of with the threat. */
  | 'ANALYTICAL_REQUEST'
  /** A disruption: disposed of with its threat, never reviewed on its own. */
  | 'DISRUPTION'
  /** A threat's 4P plan: disposed of with its threat, never reviewed on its own. */
  | 'FOUR_P_PLAN'
  /** An intelligence report. */
  | 'INTELLIGENCE_REPORT'
  /** A person (nominal). */
  | 'PERSON'
  /** A safeguarding referral, with its timeline. */
  | 'SAFEGUARDING_REFERRAL'
  /** A threat (an organised crime group, its members and criminal activities). */
  | 'THREAT';

/** Source evaluation (3x5x2). */
export type SourceEvaluation =
  /** 3: not reliable. */
  | 'NOT_RELIABLE'
  /** 1: reliable. */
  | 'RELIABLE'
  /** 2: untested. */
  | 'UNTESTED';

/** A strand of the 4P approach: Pursue, Prevent, Protect, Prepare. */
export type Strand =
  | 'PREPARE'
  | 'PREVENT'
  | 'PROTECT'
  | 'PURSUE';

export type SubjectType =
  | 'ORGANISED_CRIME_GROUP'
  | 'PRIORITY_INDIVIDUAL'
  | 'VULNERABILITY';

/** Tactic group of an action or disruption. */
export type Tactic =
  | 'BEHAVIOUR'
  | 'BUSINESS'
  | 'CRIME'
  | 'LIFESTYLE'
  | 'TRAVEL'
  | 'VEHICLES';

/** RED is the most urgent; each has its own acknowledgement target (referralRules). */
export type Urgency =
  | 'AMBER'
  | 'GREEN'
  | 'RED';

export type ValidationDecision =
  | 'REJECTED'
  | 'RETURNED'
  | 'VALIDATED';

export type AnalyticalDemandQueryVariables = Exact<{
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;


export type AnalyticalDemandQuery = { analyticalRequestStats: { totals: { requested: number, delivered: number, deliveredOnTime: number, declined: number, declinedForLackOfCapacity: number, open: number, overdue: number }, months: Array<{ month: string, requested: number, delivered: number, deliveredOnTime: number, declined: number, declinedForLackOfCapacity: number, open: number, overdue: number }>, analystWorkload: Array<{ waiting: number, inProgress: number, delivered: number, deliveredOnTime: number, overdue: number, analyst: { username: string, displayName: string } }> } };

export type DisruptionsByForceByQuarterQueryVariables = Exact<{
  from?: string | null | undefined;
  to?: string | null | undefined;
  orgIds?: Array<string | number> | string | number | null | undefined;
}>;


export type DisruptionsByForceByQuarterQuery = { disruptionStats: { rows: Array<{ fiscalYear: string | null, quarter: string | null, countingCount: number, count: number, lateCount: number, organisation: { code: string } | null }> } };

export type DisruptionsExportQueryVariables = Exact<{
  from?: string | null | undefined;
  to?: string | null | undefined;
  orgIds?: Array<string | number> | string | number | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  withTotal?: boolean | null | undefined;
}>;


export type DisruptionsExportQuery = { disruptions: { totalCount?: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, date: string, status: DisruptionStatus, countsAsDisruption: boolean, strand: Strand, level: DisruptionLevel, tactic: Tactic, isLate: boolean, submittedAt: string | null, description: string, impactNarrative: string, evidenceRefs: Array<string>, protectiveMarking: ProtectiveMarking, claimingOrganisation: { code: string }, contributors: Array<{ code: string }>, threat: { urn: string, name: string }, validation: { levelAgreed: DisruptionLevel | null, strandAgreed: Strand | null, decision: ValidationDecision, at: string } | null } }> } };

export type InsightsQueryVariables = Exact<{
  limit?: number;
  noDisruptionDays?: number;
}>;


export type InsightsQuery = { insights: { counts: Array<{ kind: InsightKind, total: number }>, items: Array<{ kind: InsightKind, summary: string, records: Array<
        | { __typename: 'AnalyticalRequest' }
        | { __typename: 'CriminalActivity', category: CrimeCategory, threat: { urn: string } }
        | { __typename: 'DeconflictionInterest' }
        | { __typename: 'Disruption' }
        | { __typename: 'FourPPlan', threat: { urn: string } }
        | { __typename: 'InformationSharingAgreement', title: string, expiresOn: string }
        | { __typename: 'IntelligenceDissemination' }
        | { __typename: 'IntelligenceReport' }
        | { __typename: 'Membership' }
        | { __typename: 'Nominal' }
        | { __typename: 'Organisation' }
        | { __typename: 'PlanAction' }
        | { __typename: 'PlanEntry' }
        | { __typename: 'PlanObjective' }
        | { __typename: 'PracticeEndorsement' }
        | { __typename: 'PracticeEntry' }
        | { __typename: 'ReferralUpdate' }
        | { __typename: 'SafeguardingReferral' }
        | { __typename: 'SocThreat', urn: string, name: string }
        | { __typename: 'ThreatAssessment' }
        | { __typename: 'User' }
      > }>, withheld: Array<{ kind: InsightKind, reason: string }> } };

export type IntelligencePictureQueryVariables = Exact<{
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;


export type IntelligencePictureQuery = { intelligenceStats: { total: number, rows: Array<{ sourceEvaluation: SourceEvaluation | null, intelligenceAssessment: IntelligenceAssessment | null, handlingCode: HandlingCode | null, count: number, disseminated: number, flagged: number | null, owningOrganisation: { code: string } | null }> } };

export type PlanQualityQueryVariables = Exact<{ [key: string]: never; }>;


export type PlanQualityQuery = { planStats: { adoptedThreats: number, withPlanInForce: number, withPlanInForceAndLro: number, plansChecked: number, plansFailingGate: number, gateFailures: Array<{ problem: PlanProblemCode, plans: number }>, actionsByOwner: Array<{ open: number, overdue: number, organisation: { code: string } }> } };

export type ReferralTimelinessQueryVariables = Exact<{
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;


export type ReferralTimelinessQuery = { referralStats: { acknowledgementByUrgency: Array<{ urgency: Urgency, targetHours: number, referrals: number, acknowledged: number, acknowledgedWithinTarget: number, awaitingAcknowledgement: number, overdue: number }>, rows: Array<{ referralType: ReferralType | null, fiscalYear: string | null, quarter: string | null, count: number, acknowledged: number, acknowledgedWithinTarget: number, awaitingAcknowledgement: number, overdue: number, receivingOrganisation: { code: string } | null }>, outcomes: Array<{ outcome: ReferralOutcome, count: number }> } };

export type RetentionReviewsQueryVariables = Exact<{
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;


export type RetentionReviewsQuery = { retentionStats: { rows: Array<{ kind: RetainedRecordKind, overdue: number, dueInPeriod: number, retained: number, disposed: number, tombstones: number, organisation: { code: string } }> } };

export type ThreatPictureQueryVariables = Exact<{
  orgIds?: Array<string | number> | string | number | null | undefined;
}>;


export type ThreatPictureQuery = { threatStats: { total: number, rows: Array<{ subjectType: SubjectType | null, priority: PriorityBand | null, category: CrimeCategory | null, count: number, leadOrganisation: { code: string } | null }> } };


export const AnalyticalDemandDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AnalyticalDemand"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LocalDate"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LocalDate"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"analyticalRequestStats"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requested"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"deliveredOnTime"}},{"kind":"Field","name":{"kind":"Name","value":"declined"}},{"kind":"Field","name":{"kind":"Name","value":"declinedForLackOfCapacity"}},{"kind":"Field","name":{"kind":"Name","value":"open"}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}}]}},{"kind":"Field","name":{"kind":"Name","value":"months"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"month"}},{"kind":"Field","name":{"kind":"Name","value":"requested"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"deliveredOnTime"}},{"kind":"Field","name":{"kind":"Name","value":"declined"}},{"kind":"Field","name":{"kind":"Name","value":"declinedForLackOfCapacity"}},{"kind":"Field","name":{"kind":"Name","value":"open"}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}}]}},{"kind":"Field","name":{"kind":"Name","value":"analystWorkload"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"analyst"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"waiting"}},{"kind":"Field","name":{"kind":"Name","value":"inProgress"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"deliveredOnTime"}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}}]}}]}}]}}]} as unknown as DocumentNode<AnalyticalDemandQuery, AnalyticalDemandQueryVariables>;
export const DisruptionsByForceByQuarterDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DisruptionsByForceByQuarter"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LocalDate"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LocalDate"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orgIds"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"disruptionStats"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"organisationIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orgIds"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"ORGANISATION"},{"kind":"EnumValue","value":"FISCAL_YEAR"},{"kind":"EnumValue","value":"QUARTER"}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fiscalYear"}},{"kind":"Field","name":{"kind":"Name","value":"quarter"}},{"kind":"Field","name":{"kind":"Name","value":"countingCount"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"lateCount"}}]}}]}}]}}]} as unknown as DocumentNode<DisruptionsByForceByQuarterQuery, DisruptionsByForceByQuarterQueryVariables>;
export const DisruptionsExportDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DisruptionsExport"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LocalDate"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LocalDate"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orgIds"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"withTotal"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}},"defaultValue":{"kind":"BooleanValue","value":true}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"disruptions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"dateFrom"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"dateTo"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"claimingOrganisationIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orgIds"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ListValue","values":[{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"DATE"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"ASC"}}]}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"},"directives":[{"kind":"Directive","name":{"kind":"Name","value":"include"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"if"},"value":{"kind":"Variable","name":{"kind":"Name","value":"withTotal"}}}]}]},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"countsAsDisruption"}},{"kind":"Field","name":{"kind":"Name","value":"claimingOrganisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}},{"kind":"Field","name":{"kind":"Name","value":"contributors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}},{"kind":"Field","name":{"kind":"Name","value":"threat"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"urn"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"strand"}},{"kind":"Field","name":{"kind":"Name","value":"level"}},{"kind":"Field","name":{"kind":"Name","value":"tactic"}},{"kind":"Field","name":{"kind":"Name","value":"validation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"levelAgreed"}},{"kind":"Field","name":{"kind":"Name","value":"strandAgreed"}},{"kind":"Field","name":{"kind":"Name","value":"decision"}},{"kind":"Field","name":{"kind":"Name","value":"at"}}]}},{"kind":"Field","name":{"kind":"Name","value":"isLate"}},{"kind":"Field","name":{"kind":"Name","value":"submittedAt"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"impactNarrative"}},{"kind":"Field","name":{"kind":"Name","value":"evidenceRefs"}},{"kind":"Field","name":{"kind":"Name","value":"protectiveMarking"}}]}}]}}]}}]}}]} as unknown as DocumentNode<DisruptionsExportQuery, DisruptionsExportQueryVariables>;
export const InsightsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Insights"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},"defaultValue":{"kind":"IntValue","value":"20"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"noDisruptionDays"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},"defaultValue":{"kind":"IntValue","value":"90"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"insights"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}},{"kind":"Argument","name":{"kind":"Name","value":"noDisruptionDays"},"value":{"kind":"Variable","name":{"kind":"Name","value":"noDisruptionDays"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"counts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"total"}}]}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"records"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SocThreat"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"urn"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CriminalActivity"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"threat"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"urn"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FourPPlan"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"threat"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"urn"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InformationSharingAgreement"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"expiresOn"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"withheld"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]}}]}}]} as unknown as DocumentNode<InsightsQuery, InsightsQueryVariables>;
export const IntelligencePictureDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"IntelligencePicture"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LocalDate"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LocalDate"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"intelligenceStats"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"OWNING_ORGANISATION"},{"kind":"EnumValue","value":"SOURCE_EVALUATION"},{"kind":"EnumValue","value":"INTELLIGENCE_ASSESSMENT"},{"kind":"EnumValue","value":"HANDLING_CODE"}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owningOrganisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}},{"kind":"Field","name":{"kind":"Name","value":"sourceEvaluation"}},{"kind":"Field","name":{"kind":"Name","value":"intelligenceAssessment"}},{"kind":"Field","name":{"kind":"Name","value":"handlingCode"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"disseminated"}},{"kind":"Field","name":{"kind":"Name","value":"flagged"}}]}}]}}]}}]} as unknown as DocumentNode<IntelligencePictureQuery, IntelligencePictureQueryVariables>;
export const PlanQualityDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PlanQuality"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"planStats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"adoptedThreats"}},{"kind":"Field","name":{"kind":"Name","value":"withPlanInForce"}},{"kind":"Field","name":{"kind":"Name","value":"withPlanInForceAndLro"}},{"kind":"Field","name":{"kind":"Name","value":"plansChecked"}},{"kind":"Field","name":{"kind":"Name","value":"plansFailingGate"}},{"kind":"Field","name":{"kind":"Name","value":"gateFailures"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"problem"}},{"kind":"Field","name":{"kind":"Name","value":"plans"}}]}},{"kind":"Field","name":{"kind":"Name","value":"actionsByOwner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}},{"kind":"Field","name":{"kind":"Name","value":"open"}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}}]}}]}}]}}]} as unknown as DocumentNode<PlanQualityQuery, PlanQualityQueryVariables>;
export const ReferralTimelinessDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ReferralTimeliness"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LocalDate"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LocalDate"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"referralStats"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"REFERRAL_TYPE"},{"kind":"EnumValue","value":"RECEIVING_ORGANISATION"},{"kind":"EnumValue","value":"FISCAL_YEAR"},{"kind":"EnumValue","value":"QUARTER"}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"acknowledgementByUrgency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"urgency"}},{"kind":"Field","name":{"kind":"Name","value":"targetHours"}},{"kind":"Field","name":{"kind":"Name","value":"referrals"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledged"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgedWithinTarget"}},{"kind":"Field","name":{"kind":"Name","value":"awaitingAcknowledgement"}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"referralType"}},{"kind":"Field","name":{"kind":"Name","value":"receivingOrganisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fiscalYear"}},{"kind":"Field","name":{"kind":"Name","value":"quarter"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledged"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgedWithinTarget"}},{"kind":"Field","name":{"kind":"Name","value":"awaitingAcknowledgement"}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}}]}},{"kind":"Field","name":{"kind":"Name","value":"outcomes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}}]}}]} as unknown as DocumentNode<ReferralTimelinessQuery, ReferralTimelinessQueryVariables>;
export const RetentionReviewsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RetentionReviews"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LocalDate"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LocalDate"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retentionStats"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}},{"kind":"Field","name":{"kind":"Name","value":"dueInPeriod"}},{"kind":"Field","name":{"kind":"Name","value":"retained"}},{"kind":"Field","name":{"kind":"Name","value":"disposed"}},{"kind":"Field","name":{"kind":"Name","value":"tombstones"}}]}}]}}]}}]} as unknown as DocumentNode<RetentionReviewsQuery, RetentionReviewsQueryVariables>;
export const ThreatPictureDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ThreatPicture"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orgIds"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"threatStats"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"leadOrganisationIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orgIds"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"statuses"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"TRIGGER_SUBMITTED"},{"kind":"EnumValue","value":"UNDER_ASSESSMENT"},{"kind":"EnumValue","value":"ASSESSED"},{"kind":"EnumValue","value":"ADOPTED"},{"kind":"EnumValue","value":"UNDER_REVIEW"}]}}]}},{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"SUBJECT_TYPE"},{"kind":"EnumValue","value":"PRIORITY_BAND"},{"kind":"EnumValue","value":"LEAD_ORGANISATION"},{"kind":"EnumValue","value":"CATEGORY"}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subjectType"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"leadOrganisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}}]}}]} as unknown as DocumentNode<ThreatPictureQuery, ThreatPictureQueryVariables>;