import type { ExploitationType, ReferralStatus, ReferralType, Urgency } from '../../gql/graphql';

/** Each kind of referral in the words a practitioner uses. */
export const referralTypeLabels: Record<ReferralType, string> = {
  MASH_CONTACT: 'Contact to a multi-agency safeguarding hub (MASH)',
  EARLY_HELP: 'Request for early help for a child or family',
  ADULT_SAFEGUARDING_CONCERN: 'Adult safeguarding concern',
  NRM_REFERRAL: 'National Referral Mechanism (modern slavery)',
  DUTY_TO_NOTIFY_MS1: 'Duty to notify the Home Office (MS1, anonymous)',
  OTHER: 'Other',
};

/** The same, short enough for a table cell. */
export const referralTypeShort: Record<ReferralType, string> = {
  MASH_CONTACT: 'MASH contact',
  EARLY_HELP: 'Early help',
  ADULT_SAFEGUARDING_CONCERN: 'Adult safeguarding concern',
  NRM_REFERRAL: 'National Referral Mechanism',
  DUTY_TO_NOTIFY_MS1: 'Duty to notify (MS1)',
  OTHER: 'Other',
};

export const referralTypes = Object.keys(referralTypeLabels) as ReferralType[];

export const exploitationLabels: Record<ExploitationType, string> = {
  CHILD_CRIMINAL_EXPLOITATION: 'Child criminal exploitation',
  CHILD_SEXUAL_EXPLOITATION: 'Child sexual exploitation',
  COUNTY_LINES: 'County lines',
  CUCKOOING: 'Cuckooing',
  CRIMINAL_EXPLOITATION_ADULT: 'Criminal exploitation of an adult',
  MODERN_SLAVERY_FORCED_LABOUR: 'Modern slavery: forced labour',
  MODERN_SLAVERY_SEXUAL: 'Modern slavery: sexual exploitation',
  DOMESTIC_SERVITUDE: 'Domestic servitude',
  OTHER: 'Other',
};

export const exploitationTypes = Object.keys(exploitationLabels) as ExploitationType[];

/** Exploitation that by definition concerns a child, and that which concerns an adult (as the server holds them). */
export const childOnlyExploitation: ExploitationType[] = ['CHILD_CRIMINAL_EXPLOITATION', 'CHILD_SEXUAL_EXPLOITATION'];
export const adultOnlyExploitation: ExploitationType[] = ['CRIMINAL_EXPLOITATION_ADULT'];

export const urgencies: Urgency[] = ['RED', 'AMBER', 'GREEN'];
export const urgencyLabels: Record<Urgency, string> = { RED: 'Red', AMBER: 'Amber', GREEN: 'Green' };

export const referralStatuses: ReferralStatus[] = ['SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'DECISION', 'CLOSED'];
export const referralStatusLabels: Record<ReferralStatus, string> = {
  SUBMITTED: 'Submitted',
  ACKNOWLEDGED: 'Acknowledged',
  IN_PROGRESS: 'In progress',
  DECISION: 'Decision made',
  CLOSED: 'Closed',
};

/** The roles that may make referrals (server/src/access/mutation-roles.ts, SAFEGUARDING). */
const referringRoles = ['SAFEGUARDING_PRACTITIONER', 'PARTNER_CONTRIBUTOR', 'INVESTIGATOR', 'ANALYST', 'LRO'];
export const mayRefer = (roles: readonly string[]) => roles.some((r) => referringRoles.includes(r));

const codeWords: Record<string, string> = {
  ...Object.fromEntries(Object.entries(referralTypeShort).map(([k, v]) => [k, `"${v}"`])),
  ...Object.fromEntries(Object.entries(exploitationLabels).filter(([k]) => k !== 'OTHER').map(([k, v]) => [k, v.toLowerCase()])),
  DUTY_TO_NOTIFY_MS1: 'duty-to-notify (MS1)',
  MASH_CONTACT: 'a MASH contact',
  EARLY_HELP: 'early help',
  'no such nominal': 'no such person is shared with you',
  'no such organisation': 'no such organisation',
};

/** The server's messages about a referral, in the words of the form rather than of the API. */
export function plainReferralWords(message: string): string {
  return message
    .replace(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g, (code) => codeWords[code] ?? code.toLowerCase().replace(/_/g, ' '))
    .replace(/\bno such nominal\b/g, codeWords['no such nominal']);
}
