import type { RetainedRecordKind } from '../../gql/graphql';

/** The kinds of record reviewed (and those disposed of with a threat), in words. */
export const kindWords: Record<RetainedRecordKind, string> = {
  PERSON: 'Person',
  INTELLIGENCE_REPORT: 'Intelligence report',
  THREAT: 'Threat',
  SAFEGUARDING_REFERRAL: 'Safeguarding referral',
  FOUR_P_PLAN: '4P plan',
  DISRUPTION: 'Disruption',
  ANALYTICAL_REQUEST: 'Analytical request',
};

/** The kinds a reviewer decides on (the others go with their threat). */
type ReviewedKind = 'PERSON' | 'INTELLIGENCE_REPORT' | 'THREAT' | 'SAFEGUARDING_REFERRAL';

/** What a disposal deletes, by kind, said before the user confirms it. */
export const deletedWords: Record<ReviewedKind, string> = {
  PERSON: "the person's name, aliases, date of birth and vulnerability flags, their membership of threats, the reasons given for keeping them, and the details in their change history",
  INTELLIGENCE_REPORT: "the report's texts, grading, source reference, links to threats and people, its disseminations, the reasons given for keeping it, and the details in its change history",
  THREAT:
    "the threat's name, summary, criminal activities, members, links to other threats and assessments; its 4P plan, its disruptions and the analytical requests made for it; the reasons given for keeping it, and the details in their change history. The people in it stay, as records of their own",
  SAFEGUARDING_REFERRAL:
    "the referral's summary, timeline and notes, the reasons given for keeping it, and the details in its change history. The person it is about stays, as a record of their own",
};

/** Where a record of each kind is shown. */
export const pathOf: Record<ReviewedKind, string> = {
  PERSON: '/people',
  INTELLIGENCE_REPORT: '/intelligence',
  THREAT: '/threats',
  SAFEGUARDING_REFERRAL: '/referrals',
};

/** Narrows a kind from the review queue to one a reviewer decides on (the queue lists no other). */
export function isReviewedKind(kind: RetainedRecordKind): kind is ReviewedKind {
  return Object.hasOwn(pathOf, kind);
}

/** Who reviews records for retention (the server's RETENTION_REVIEWERS, server/src/access/mutation-roles.ts). */
export function mayReviewRetention(roles: readonly string[]): boolean {
  return roles.some((r) => r === 'INTELLIGENCE_OFFICER' || r === 'LRO' || r === 'SRO');
}
