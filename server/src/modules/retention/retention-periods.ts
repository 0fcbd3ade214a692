/**
 * How long records holding personal data are kept before they are reviewed, under the
 * Management of Police Information (MoPI): the configuration, in one place. A record's first
 * review falls its period after the record's date (a person, a threat: when recorded;
 * intelligence: when received; a referral: when made); a reviewer who retains it sets the next review no later than one period from today.
 *
 * The groups follow MoPI's in spirit, simplified to what the records hold:
 * - people with vulnerability flags (safeguarding, public protection): 10 years (MoPI group 1's
 *   review period);
 * - other people: 6 years (MoPI group 3, "all other offences");
 * - intelligence known directly or corroborated (assessment A or B): 6 years;
 * - uncorroborated or doubtful intelligence (C, D, E): 3 years, so that it is looked at again sooner;
 * - threats (organised crime groups, with their members and activities) with a criminal activity of
 *   serious sexual or violent harm (child sexual abuse, modern slavery and human trafficking, illegal
 *   firearms): 10 years (MoPI group 2, "other sexual, violent or serious offences"); other threats
 *   6 years (group 3). A threat's first review falls its period after it was recorded;
 * - safeguarding referrals about a child, or about sexual exploitation, modern slavery or domestic
 *   servitude: 10 years (public protection, as group 1's review period); other referrals 6 years
 *   (group 3). First review: its period after it was made.
 * A threat's 4P plan, disruptions and analytical requests have no review of their own: they are read
 * only with their threat and are disposed of with it.
 * The migration's column default (six years) is the fallback for rows written outside the services.
 */

export type RetainedType = 'Nominal' | 'IntelligenceReport' | 'SocThreat' | 'SafeguardingReferral';
/** What a tombstone may name: a reviewed kind, or a record disposed of with its threat. */
export type DisposedType = RetainedType | 'FourPPlan' | 'Disruption' | 'AnalyticalRequest';

export interface ReviewGroup {
  /** Said on screen and in messages. */
  readonly description: string;
  readonly years: number;
}

const PUBLIC_PROTECTION: ReviewGroup = { description: 'people with safeguarding concerns (public protection)', years: 10 };
const OTHER_PEOPLE: ReviewGroup = { description: 'people', years: 6 };
const CORROBORATED: ReviewGroup = { description: 'intelligence known directly or corroborated', years: 6 };
const UNCORROBORATED: ReviewGroup = { description: 'uncorroborated intelligence', years: 3 };
const SERIOUS_HARM_THREATS: ReviewGroup = { description: 'threats of serious sexual or violent harm', years: 10 };
const OTHER_THREATS: ReviewGroup = { description: 'threats', years: 6 };
const PUBLIC_PROTECTION_REFERRALS: ReviewGroup = { description: 'referrals about children, sexual exploitation or modern slavery (public protection)', years: 10 };
const OTHER_REFERRALS: ReviewGroup = { description: 'safeguarding referrals', years: 6 };

/** Criminal activities of serious sexual or violent harm (MoPI group 2). */
const SERIOUS_HARM_CATEGORIES: ReadonlySet<string> = new Set(['CHILD_SEXUAL_ABUSE', 'MODERN_SLAVERY_HUMAN_TRAFFICKING', 'ILLEGAL_FIREARMS']);
/** Exploitation that is a matter of public protection whoever the subject (MoPI group 1's period). */
const PUBLIC_PROTECTION_EXPLOITATION: ReadonlySet<string> = new Set(['CHILD_SEXUAL_EXPLOITATION', 'MODERN_SLAVERY_FORCED_LABOUR', 'MODERN_SLAVERY_SEXUAL', 'DOMESTIC_SERVITUDE']);

/** What the grouping reads of a record (or of the input creating it). */
export interface RetainedFacts {
  vulnerabilityFlags?: readonly string[] | null;
  intelligenceAssessment?: string | null;
  /** A threat's criminal activities' categories. */
  activityCategories?: readonly string[] | null;
  subjectIsChild?: boolean | null;
  exploitationTypes?: readonly string[] | null;
}

export function reviewGroup(type: RetainedType, record: RetainedFacts): ReviewGroup {
  switch (type) {
    case 'Nominal':
      return record.vulnerabilityFlags?.length ? PUBLIC_PROTECTION : OTHER_PEOPLE;
    case 'IntelligenceReport':
      return record.intelligenceAssessment === 'A' || record.intelligenceAssessment === 'B' ? CORROBORATED : UNCORROBORATED;
    case 'SocThreat':
      return record.activityCategories?.some((c) => SERIOUS_HARM_CATEGORIES.has(c)) ? SERIOUS_HARM_THREATS : OTHER_THREATS;
    case 'SafeguardingReferral':
      return record.subjectIsChild || record.exploitationTypes?.some((e) => PUBLIC_PROTECTION_EXPLOITATION.has(e)) ? PUBLIC_PROTECTION_REFERRALS : OTHER_REFERRALS;
  }
}

/** A calendar date (YYYY-MM-DD) plus whole years; 29 February becomes 1 March in other years. */
export function addYears(date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}

/** A new record's first review: its period after the record's date. */
export function firstReviewOn(type: RetainedType, record: RetainedFacts, recordDate: string): string {
  return addYears(recordDate, reviewGroup(type, record).years);
}
