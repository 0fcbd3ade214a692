/**
 * The access catalogue: every kind of shared record and of record part, once. Whatever decides
 * access reads it: the application's filters (policy.ts: table → category), explanations
 * (explain.ts), redaction (redaction.ts: what partners are not shown, and why), the live
 * visibility check (live/visibility.ts) and the history migration (record types → tables).
 * The database's row-level security states the same rules in SQL; test/access/catalogue.test.ts
 * fails when the policies in the database (pg_policies) and this catalogue disagree, so adding a
 * record type here without its policies (or the reverse) cannot land.
 *
 * Adding a record type: an entry here, its table's migration with `sharedRecordColumns` and a
 * history trigger, its read policy (the catalogue test names what is missing), a node fetcher
 * in its feature module.
 */

export type DataCategory = 'THREAT' | 'NOMINAL' | 'PLAN' | 'DISRUPTION' | 'REFERRAL' | 'PRACTICE' | 'INTELLIGENCE';

const INTELLIGENCE = 'Intelligence is withheld from partner organisations: they see a sanitised summary.';
const PEOPLE = 'Details of people in organised crime groups are withheld from partner organisations.';
const ASSESSMENT = 'Threat assessments and their grading are withheld from partner organisations.';
const HISTORY = "The record's change history is withheld from partner organisations.";
const GRADING = 'The grading of intelligence (source evaluation and intelligence assessment) is withheld from partner organisations.';
const SOURCES = 'Sources of intelligence and the original text are withheld from partner organisations: they are given the sanitised text.';
const OTHERS_DISSEMINATIONS = "Partner organisations are shown only the disseminations made to their own organisation.";
const OTHERS_ACTIONS = "Partner organisations are shown only their own organisation's actions.";

export interface RecordKind {
  /** The GraphQL type (and the record_type in history and live events). */
  readonly typename: string;
  readonly table: string;
  /** The data category the role policy (access_role_grant) and agreements grant. */
  readonly category: DataCategory;
  /**
   * Whether marking and sharing alone decide who reaches it (for law enforcement; for partners
   * see `partnerReachBySharing`). Referrals: their parties and auditors, whatever the sharing.
   */
  readonly reachBySharing: boolean;
  /** For partners too: nominals (through referrals) and disruptions (claims, contributions) are reached otherwise. */
  readonly partnerReachBySharing: boolean;
  /** Fields partners (organisations that are not law enforcement) are not shown on others' records, and why. */
  readonly withheldFromPartners: Readonly<Record<string, string>>;
  /** Lists partners see narrowed to their own organisation's items rather than withheld. */
  readonly narrowedForPartners?: readonly string[];
  /** The column naming the threat it belongs to, for records read (and changed) only with their threat. */
  readonly threatColumn?: string;
}

export const RECORD_KINDS: readonly RecordKind[] = [
  {
    typename: 'SocThreat',
    table: 'soc_threat',
    category: 'THREAT',
    reachBySharing: true,
    partnerReachBySharing: true,
    withheldFromPartners: {
      summary: INTELLIGENCE,
      priority: ASSESSMENT,
      riskScore: ASSESSMENT,
      currentAssessment: ASSESSMENT,
      assessmentHistory: ASSESSMENT,
      unassessedActivities: ASSESSMENT,
      members: PEOPLE,
      linkedThreats: INTELLIGENCE,
      history: HISTORY,
    },
  },
  {
    typename: 'Nominal',
    table: 'nominal',
    category: 'NOMINAL',
    reachBySharing: true,
    partnerReachBySharing: false,
    withheldFromPartners: { aliases: PEOPLE, vulnerabilityFlags: PEOPLE, memberships: PEOPLE, history: HISTORY },
  },
  {
    // Partners see a plan's summary and their own actions (docs/domain.md): not other
    // organisations' actions, the intelligence gaps, the reviews, or the gate (whose problems quote intelligence).
    typename: 'FourPPlan',
    table: 'fourp_plan',
    category: 'PLAN',
    reachBySharing: true,
    partnerReachBySharing: true,
    withheldFromPartners: {
      actions: OTHERS_ACTIONS,
      intelligenceGaps: INTELLIGENCE,
      reviews: 'Plan reviews are withheld from partner organisations.',
      quality: 'The quality gate quotes intelligence and is withheld from partner organisations.',
      history: HISTORY,
    },
    narrowedForPartners: ['actions'],
    threatColumn: 'threat_id',
  },
  { typename: 'Disruption', table: 'disruption', category: 'DISRUPTION', reachBySharing: true, partnerReachBySharing: false, withheldFromPartners: {}, threatColumn: 'threat_id' },
  { typename: 'SafeguardingReferral', table: 'safeguarding_referral', category: 'REFERRAL', reachBySharing: false, partnerReachBySharing: false, withheldFromPartners: {} },
  { typename: 'PracticeEntry', table: 'practice_entry', category: 'PRACTICE', reachBySharing: true, partnerReachBySharing: true, withheldFromPartners: {} },
  {
    // Partners reach a report only when it is disseminated to them (with its handling
    // conditions), never through sharing alone, and read only its sanitised text.
    typename: 'IntelligenceReport',
    table: 'intelligence_report',
    category: 'INTELLIGENCE',
    reachBySharing: true,
    partnerReachBySharing: false,
    withheldFromPartners: {
      sourceEvaluation: GRADING,
      intelligenceAssessment: GRADING,
      grading: GRADING,
      gradingFlags: GRADING,
      sourceReference: SOURCES,
      originalText: SOURCES,
      nominals: PEOPLE,
      disseminations: OTHERS_DISSEMINATIONS,
      history: HISTORY,
    },
    narrowedForPartners: ['disseminations'],
  },
];

export interface PartKind {
  readonly typename: string;
  readonly table: string;
  /** The record it belongs to, and the column naming it: a part is read exactly when its record is. */
  readonly parentTable: string;
  readonly parentColumn: string;
  /** Fields partners are not shown (on parts of others' records), and why. */
  readonly withheldFromPartners?: Readonly<Record<string, string>>;
}

export const PART_KINDS: readonly PartKind[] = [
  { typename: 'CriminalActivity', table: 'criminal_activity', parentTable: 'soc_threat', parentColumn: 'threat_id', withheldFromPartners: { description: INTELLIGENCE, assessment: ASSESSMENT } },
  { typename: 'Membership', table: 'membership', parentTable: 'soc_threat', parentColumn: 'threat_id' },
  { typename: 'ThreatLink', table: 'threat_link', parentTable: 'soc_threat', parentColumn: 'threat_id' },
  { typename: 'ThreatAssessment', table: 'threat_assessment', parentTable: 'soc_threat', parentColumn: 'threat_id' },
  { typename: 'PlanObjective', table: 'plan_objective', parentTable: 'fourp_plan', parentColumn: 'plan_id' },
  { typename: 'PlanAction', table: 'plan_action', parentTable: 'fourp_plan', parentColumn: 'plan_id' },
  { typename: 'PlanPartner', table: 'plan_partner', parentTable: 'fourp_plan', parentColumn: 'plan_id' },
  { typename: 'PlanEntry', table: 'plan_entry', parentTable: 'fourp_plan', parentColumn: 'plan_id' },
  { typename: 'PlanReview', table: 'plan_review', parentTable: 'fourp_plan', parentColumn: 'plan_id' },
  { typename: 'ReferralUpdate', table: 'referral_update', parentTable: 'safeguarding_referral', parentColumn: 'referral_id' },
  { typename: 'PracticeEndorsement', table: 'practice_endorsement', parentTable: 'practice_entry', parentColumn: 'entry_id' },
  { typename: 'IntelligenceDissemination', table: 'intelligence_dissemination', parentTable: 'intelligence_report', parentColumn: 'report_id' },
];

const byTable = new Map(RECORD_KINDS.map((k) => [k.table, k]));
const byType = new Map(RECORD_KINDS.map((k) => [k.typename, k]));

/** The record kind a table holds; throws for a table that is not a shared record's. */
export function recordKindOfTable(table: string): RecordKind {
  const kind = byTable.get(table);
  if (!kind) throw new Error(`${table} is not a shared record table`);
  return kind;
}

/** The record kind of a GraphQL type, if it is a shared record. */
export function recordKindOfType(typename: string): RecordKind | undefined {
  return byType.get(typename);
}

/** What partners are not shown, per GraphQL type (records and parts) and field. */
export const PARTNER_WITHHELD: Readonly<Record<string, Readonly<Record<string, string>>>> = Object.fromEntries(
  [...RECORD_KINDS, ...PART_KINDS].filter((k) => k.withheldFromPartners && Object.keys(k.withheldFromPartners).length).map((k) => [k.typename, k.withheldFromPartners!]),
);

/** `Type.field` of the lists partners see narrowed to their own items. */
export const NARROWED_FOR_PARTNERS: ReadonlySet<string> = new Set(RECORD_KINDS.flatMap((k) => (k.narrowedForPartners ?? []).map((f) => `${k.typename}.${f}`)));
