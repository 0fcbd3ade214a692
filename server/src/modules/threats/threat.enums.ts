import { registerEnumType } from 'type-graphql';

export enum SubjectType {
  ORGANISED_CRIME_GROUP = 'ORGANISED_CRIME_GROUP',
  PRIORITY_INDIVIDUAL = 'PRIORITY_INDIVIDUAL',
  VULNERABILITY = 'VULNERABILITY',
}

export enum TaskingLevel {
  LOCAL = 'LOCAL',
  FORCE = 'FORCE',
  REGIONAL = 'REGIONAL',
  NATIONAL = 'NATIONAL',
}

export enum GeographicScope {
  LOCAL = 'LOCAL',
  FORCE = 'FORCE',
  REGIONAL = 'REGIONAL',
  NATIONAL = 'NATIONAL',
  INTERNATIONAL = 'INTERNATIONAL',
}

export enum ThreatStatus {
  TRIGGER_SUBMITTED = 'TRIGGER_SUBMITTED',
  UNDER_ASSESSMENT = 'UNDER_ASSESSMENT',
  ASSESSED = 'ASSESSED',
  ADOPTED = 'ADOPTED',
  UNDER_REVIEW = 'UNDER_REVIEW',
  ARCHIVED = 'ARCHIVED',
  REJECTED = 'REJECTED',
}

export enum ArchiveReason {
  DISMANTLED = 'DISMANTLED',
  NO_LONGER_MEETS_CRITERIA = 'NO_LONGER_MEETS_CRITERIA',
  MERGED = 'MERGED',
  TRANSFERRED = 'TRANSFERRED',
  DUPLICATE = 'DUPLICATE',
}

export enum CrimeCategory {
  CHILD_SEXUAL_ABUSE = 'CHILD_SEXUAL_ABUSE',
  CYBER_CRIME = 'CYBER_CRIME',
  FRAUD = 'FRAUD',
  ILLEGAL_DRUGS = 'ILLEGAL_DRUGS',
  ILLEGAL_FIREARMS = 'ILLEGAL_FIREARMS',
  MODERN_SLAVERY_HUMAN_TRAFFICKING = 'MODERN_SLAVERY_HUMAN_TRAFFICKING',
  MONEY_LAUNDERING = 'MONEY_LAUNDERING',
  ORGANISED_IMMIGRATION_CRIME = 'ORGANISED_IMMIGRATION_CRIME',
  ORGANISED_ACQUISITIVE_CRIME = 'ORGANISED_ACQUISITIVE_CRIME',
  BRIBERY_CORRUPTION_SANCTIONS_EVASION = 'BRIBERY_CORRUPTION_SANCTIONS_EVASION',
}

export enum MembershipRole {
  PRINCIPAL = 'PRINCIPAL',
  SIGNIFICANT = 'SIGNIFICANT',
  PERIPHERAL = 'PERIPHERAL',
  ENABLER = 'ENABLER',
  EXPLOITED_VICTIM = 'EXPLOITED_VICTIM',
  UNKNOWN = 'UNKNOWN',
}

/**
 * The status lifecycle (docs/domain.md): from each status, where a threat may go next.
 * ASSESSED may also be archived, for a threat assessed but never adopted.
 */
export const threatTransitions: Record<ThreatStatus, ThreatStatus[]> = {
  TRIGGER_SUBMITTED: [ThreatStatus.UNDER_ASSESSMENT],
  UNDER_ASSESSMENT: [ThreatStatus.ASSESSED, ThreatStatus.REJECTED],
  ASSESSED: [ThreatStatus.ADOPTED, ThreatStatus.ARCHIVED],
  ADOPTED: [ThreatStatus.UNDER_REVIEW],
  UNDER_REVIEW: [ThreatStatus.ADOPTED, ThreatStatus.ARCHIVED],
  ARCHIVED: [],
  REJECTED: [],
};

registerEnumType(SubjectType, { name: 'SubjectType' });
registerEnumType(TaskingLevel, { name: 'TaskingLevel' });
registerEnumType(GeographicScope, { name: 'GeographicScope' });
registerEnumType(ThreatStatus, { name: 'ThreatStatus' });
registerEnumType(ArchiveReason, { name: 'ArchiveReason' });
registerEnumType(CrimeCategory, { name: 'CrimeCategory' });
registerEnumType(MembershipRole, { name: 'MembershipRole' });
