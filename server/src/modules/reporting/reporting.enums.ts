import { registerEnumType } from 'type-graphql';

/** What disruption figures can be broken down by. */
export enum DisruptionStatsDimension {
  ORGANISATION = 'ORGANISATION',
  FISCAL_YEAR = 'FISCAL_YEAR',
  QUARTER = 'QUARTER',
  LEVEL = 'LEVEL',
  STRAND = 'STRAND',
  CATEGORY = 'CATEGORY',
  STATUS = 'STATUS',
}

/** What threat figures can be broken down by. */
export enum ThreatStatsDimension {
  SUBJECT_TYPE = 'SUBJECT_TYPE',
  PRIORITY_BAND = 'PRIORITY_BAND',
  LEAD_ORGANISATION = 'LEAD_ORGANISATION',
  CATEGORY = 'CATEGORY',
  STATUS = 'STATUS',
}

/** What referral figures can be broken down by. */
export enum ReferralStatsDimension {
  REFERRAL_TYPE = 'REFERRAL_TYPE',
  REFERRING_ORGANISATION = 'REFERRING_ORGANISATION',
  RECEIVING_ORGANISATION = 'RECEIVING_ORGANISATION',
  FISCAL_YEAR = 'FISCAL_YEAR',
  QUARTER = 'QUARTER',
  URGENCY = 'URGENCY',
  STATUS = 'STATUS',
  OUTCOME = 'OUTCOME',
}

/** How long a submitted disruption has waited for validation, in whole days since submission. */
export enum AgeingBucket {
  UP_TO_7_DAYS = 'UP_TO_7_DAYS',
  DAYS_8_TO_14 = 'DAYS_8_TO_14',
  DAYS_15_TO_30 = 'DAYS_15_TO_30',
  DAYS_31_TO_60 = 'DAYS_31_TO_60',
  OVER_60_DAYS = 'OVER_60_DAYS',
}

/** Upper bound (days, inclusive) of each ageing bucket; the last has none. */
export const AGEING_BUCKETS: readonly { bucket: AgeingBucket; maxDays: number | null }[] = [
  { bucket: AgeingBucket.UP_TO_7_DAYS, maxDays: 7 },
  { bucket: AgeingBucket.DAYS_8_TO_14, maxDays: 14 },
  { bucket: AgeingBucket.DAYS_15_TO_30, maxDays: 30 },
  { bucket: AgeingBucket.DAYS_31_TO_60, maxDays: 60 },
  { bucket: AgeingBucket.OVER_60_DAYS, maxDays: null },
];

/** The routine analyses `insights` does. */
export enum InsightKind {
  SINGLE_ACTIVITY_THREAT = 'SINGLE_ACTIVITY_THREAT',
  ACTIVITY_WITHOUT_PLAN_ACTION = 'ACTIVITY_WITHOUT_PLAN_ACTION',
  ASSESSMENT_REVIEW_OVERDUE = 'ASSESSMENT_REVIEW_OVERDUE',
  PLAN_REVIEW_OVERDUE = 'PLAN_REVIEW_OVERDUE',
  NO_RECENT_DISRUPTION = 'NO_RECENT_DISRUPTION',
  POSSIBLE_LINK = 'POSSIBLE_LINK',
  AGREEMENT_EXPIRING = 'AGREEMENT_EXPIRING',
  UNASSESSED_INTELLIGENCE = 'UNASSESSED_INTELLIGENCE',
  UNLISTED_CRIME_CATEGORY = 'UNLISTED_CRIME_CATEGORY',
}

registerEnumType(DisruptionStatsDimension, {
  name: 'DisruptionStatsDimension',
  valuesConfig: {
    ORGANISATION: { description: 'The claiming organisation.' },
    FISCAL_YEAR: { description: 'The reporting year of the disruption date (1 April to 31 March, "2025/26").' },
    QUARTER: { description: 'The quarter of the reporting year (Q1 April to June); needs FISCAL_YEAR.' },
    LEVEL: { description: 'The agreed level once validated, the claimed level before.' },
    STRAND: { description: 'The agreed strand once validated, the claimed strand before.' },
    CATEGORY: { description: 'The category of the criminal activity disrupted; null when the claim names none.' },
    STATUS: { description: 'The record status (useful with filter.statuses).' },
  },
});
registerEnumType(ThreatStatsDimension, {
  name: 'ThreatStatsDimension',
  valuesConfig: {
    PRIORITY_BAND: { description: 'The threat priority (null: not yet assessed). Withheld from partner organisations.' },
    CATEGORY: { description: 'A category of the threat criminal activities: a threat counts once under each of its categories.' },
  },
});
registerEnumType(ReferralStatsDimension, {
  name: 'ReferralStatsDimension',
  valuesConfig: {
    FISCAL_YEAR: { description: 'The reporting year of submission (UTC date).' },
    QUARTER: { description: 'The quarter of the reporting year of submission; needs FISCAL_YEAR.' },
    OUTCOME: { description: 'The outcome (null until decided).' },
  },
});
registerEnumType(AgeingBucket, { name: 'AgeingBucket', description: 'Whole days since a claim was submitted.' });
registerEnumType(InsightKind, {
  name: 'InsightKind',
  valuesConfig: {
    SINGLE_ACTIVITY_THREAT: { description: 'A current threat with a single recorded criminal activity (inspection finding 3).' },
    ACTIVITY_WITHOUT_PLAN_ACTION: { description: 'A criminal activity of an adopted threat that no action of its 4P plan addresses.' },
    ASSESSMENT_REVIEW_OVERDUE: { description: "An adopted threat whose assessment review date has passed." },
    PLAN_REVIEW_OVERDUE: { description: 'A 4P plan in force whose review is overdue (the quality gate rule).' },
    NO_RECENT_DISRUPTION: { description: 'An adopted threat with no validated disruption in the last N days (counted from adoption if none).' },
    POSSIBLE_LINK: { description: 'Two threats that share a member but are not linked; only when you can see both and the person.' },
    AGREEMENT_EXPIRING: { description: 'An information sharing agreement in force that expires within 60 days; agreements you may see only.' },
    UNASSESSED_INTELLIGENCE: {
      description: "A current threat's criminal activity that intelligence is about but no approved assessment covers; intelligence and activities you may read only.",
    },
    UNLISTED_CRIME_CATEGORY: {
      description: 'A crime category that intelligence about a current threat or its people mentions but the threat does not list; intelligence and people you may read only.',
    },
  },
});
