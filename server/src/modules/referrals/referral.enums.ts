import { registerEnumType } from 'type-graphql';

export enum ReferralType {
  MASH_CONTACT = 'MASH_CONTACT',
  NRM_REFERRAL = 'NRM_REFERRAL',
  DUTY_TO_NOTIFY_MS1 = 'DUTY_TO_NOTIFY_MS1',
  ADULT_SAFEGUARDING_CONCERN = 'ADULT_SAFEGUARDING_CONCERN',
  EARLY_HELP = 'EARLY_HELP',
  OTHER = 'OTHER',
}

export enum ExploitationType {
  CHILD_CRIMINAL_EXPLOITATION = 'CHILD_CRIMINAL_EXPLOITATION',
  COUNTY_LINES = 'COUNTY_LINES',
  CUCKOOING = 'CUCKOOING',
  CHILD_SEXUAL_EXPLOITATION = 'CHILD_SEXUAL_EXPLOITATION',
  MODERN_SLAVERY_FORCED_LABOUR = 'MODERN_SLAVERY_FORCED_LABOUR',
  MODERN_SLAVERY_SEXUAL = 'MODERN_SLAVERY_SEXUAL',
  DOMESTIC_SERVITUDE = 'DOMESTIC_SERVITUDE',
  CRIMINAL_EXPLOITATION_ADULT = 'CRIMINAL_EXPLOITATION_ADULT',
  OTHER = 'OTHER',
}

export enum Urgency {
  RED = 'RED',
  AMBER = 'AMBER',
  GREEN = 'GREEN',
}

export enum ReferralStatus {
  SUBMITTED = 'SUBMITTED',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  IN_PROGRESS = 'IN_PROGRESS',
  DECISION = 'DECISION',
  CLOSED = 'CLOSED',
}

export enum ReferralOutcome {
  CSC_ASSESSMENT = 'CSC_ASSESSMENT',
  EARLY_HELP_OR_OTHER_AGENCY = 'EARLY_HELP_OR_OTHER_AGENCY',
  NO_FURTHER_ACTION = 'NO_FURTHER_ACTION',
  REASONABLE_GROUNDS_POSITIVE = 'REASONABLE_GROUNDS_POSITIVE',
  REASONABLE_GROUNDS_NEGATIVE = 'REASONABLE_GROUNDS_NEGATIVE',
  CONCLUSIVE_GROUNDS_POSITIVE = 'CONCLUSIVE_GROUNDS_POSITIVE',
  CONCLUSIVE_GROUNDS_NEGATIVE = 'CONCLUSIVE_GROUNDS_NEGATIVE',
}

export enum ReferralUpdateKind {
  STATUS_CHANGE = 'STATUS_CHANGE',
  NOTE = 'NOTE',
  SHARE = 'SHARE',
  FEEDBACK = 'FEEDBACK',
}

export enum ReferralDirection {
  INBOX = 'INBOX',
  OUTBOX = 'OUTBOX',
}

/** National Referral Mechanism decisions: only an NRM referral can have one. */
export const NRM_OUTCOMES: ReferralOutcome[] = [
  ReferralOutcome.REASONABLE_GROUNDS_POSITIVE,
  ReferralOutcome.REASONABLE_GROUNDS_NEGATIVE,
  ReferralOutcome.CONCLUSIVE_GROUNDS_POSITIVE,
  ReferralOutcome.CONCLUSIVE_GROUNDS_NEGATIVE,
];

/** Exploitation types that by definition concern a child, and the one that concerns an adult. */
export const CHILD_ONLY_EXPLOITATION: ExploitationType[] = [ExploitationType.CHILD_CRIMINAL_EXPLOITATION, ExploitationType.CHILD_SEXUAL_EXPLOITATION];
export const ADULT_ONLY_EXPLOITATION: ExploitationType[] = [ExploitationType.CRIMINAL_EXPLOITATION_ADULT];

/**
 * The lifecycle (docs/domain.md): from each status, the one status a referral may move to next,
 * and the mutation that makes the move (so refusals can tell the user what to do instead).
 */
export const referralTransitions: Record<ReferralStatus, { to: ReferralStatus; mutation: string } | null> = {
  SUBMITTED: { to: ReferralStatus.ACKNOWLEDGED, mutation: 'acknowledgeReferral' },
  ACKNOWLEDGED: { to: ReferralStatus.IN_PROGRESS, mutation: 'startReferralWork' },
  IN_PROGRESS: { to: ReferralStatus.DECISION, mutation: 'recordReferralDecision' },
  DECISION: { to: ReferralStatus.CLOSED, mutation: 'closeReferral' },
  CLOSED: null,
};

registerEnumType(ReferralType, {
  name: 'ReferralType',
  valuesConfig: {
    MASH_CONTACT: { description: 'A contact to a multi-agency safeguarding hub.' },
    NRM_REFERRAL: { description: 'A referral into the National Referral Mechanism (modern slavery); an adult must consent.' },
    DUTY_TO_NOTIFY_MS1: { description: 'An anonymous MS1 notification for an adult who does not consent to an NRM referral.' },
    ADULT_SAFEGUARDING_CONCERN: { description: 'A concern raised with adult social care.' },
    EARLY_HELP: { description: 'A request for early help for a child or family.' },
  },
});
registerEnumType(ExploitationType, { name: 'ExploitationType' });
registerEnumType(Urgency, { name: 'Urgency', description: 'RED is the most urgent; each has its own acknowledgement target (referralRules).' });
registerEnumType(ReferralStatus, { name: 'ReferralStatus' });
registerEnumType(ReferralOutcome, {
  name: 'ReferralOutcome',
  valuesConfig: {
    CSC_ASSESSMENT: { description: "Accepted for a children's social care assessment." },
    REASONABLE_GROUNDS_POSITIVE: { description: 'NRM only.' },
    REASONABLE_GROUNDS_NEGATIVE: { description: 'NRM only.' },
    CONCLUSIVE_GROUNDS_POSITIVE: { description: 'NRM only.' },
    CONCLUSIVE_GROUNDS_NEGATIVE: { description: 'NRM only.' },
  },
});
registerEnumType(ReferralUpdateKind, { name: 'ReferralUpdateKind' });
registerEnumType(ReferralDirection, {
  name: 'ReferralDirection',
  valuesConfig: {
    INBOX: { description: 'Referrals received by your organisation.' },
    OUTBOX: { description: 'Referrals made by your organisation.' },
  },
});
