/**
 * The access catalogue: every kind of shared record and of record part, once. Whatever decides
 * access reads it: the application's filters (policy.ts: each named rule translated once), explanations
 * (explain.ts), redaction (redaction.ts: what partners are not shown, and why, and where each part
 * is listed on its record, which decides it by ID: node(id) and inputs naming a part), the live
 * visibility check (live/visibility.ts) and the history migration (record types → tables).
 * The database's row-level security is generated from it (row-level-security.sql.ts, printed by
 * `npm run -s access:policies`) and frozen in migrations; test/access/catalogue-policies.test.ts
 * fails when the policies in the database (pg_policies) differ from what this catalogue generates,
 * so a change to one without the other cannot land.
 *
 * Adding a record type: an entry here, a migration with its table and the generated policies, and
 * its feature module with a node fetcher; docs/access.md, "Adding a record type", lists every file.
 */

export type DataCategory = 'THREAT' | 'NOMINAL' | 'PLAN' | 'DISRUPTION' | 'REFERRAL' | 'PRACTICE' | 'INTELLIGENCE' | 'ANALYTICAL_REQUEST';

const INTELLIGENCE = 'Intelligence is withheld from partner organisations: they see a sanitised summary.';
const PEOPLE = 'Details of people in organised crime groups are withheld from partner organisations.';
const ASSESSMENT = 'Threat assessments and their grading are withheld from partner organisations.';
const HISTORY = "The record's change history is withheld from partner organisations.";
const GRADING = 'The grading of intelligence (source evaluation and intelligence assessment) is withheld from partner organisations.';
const SOURCES = 'Sources of intelligence and the original text are withheld from partner organisations: they are given the sanitised text.';
const OTHERS_DISSEMINATIONS = "Partner organisations are shown only the disseminations made to their own organisation.";
const OTHERS_ACTIONS = "Partner organisations are shown only their own organisation's actions.";

/**
 * What partner organisations (those that are not law enforcement) are not shown of records their
 * organisation does not own, per GraphQL type (records and parts) and field, and why; a record
 * kind's `withheldFromPartners` is its entry. Keyed by kind and kept literal, so that
 * redaction.ts's helpers refuse, at compile time, a resolver naming a field not declared here.
 */
export const WITHHELD_FROM_PARTNERS = {
  SocThreat: {
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
  Nominal: { aliases: PEOPLE, vulnerabilityFlags: PEOPLE, memberships: PEOPLE, history: HISTORY },
  // Partners see a plan's summary and their own actions (docs/domain.md): not other
  // organisations' actions, the intelligence gaps, the reviews, or the gate (whose problems quote intelligence).
  FourPPlan: {
    actions: OTHERS_ACTIONS,
    intelligenceGaps: INTELLIGENCE,
    reviews: 'Plan reviews are withheld from partner organisations.',
    quality: 'The quality gate quotes intelligence and is withheld from partner organisations.',
    history: HISTORY,
  },
  // Partners read only a report's sanitised text.
  IntelligenceReport: {
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
  CriminalActivity: { description: INTELLIGENCE, assessment: ASSESSMENT },
} as const;

/** Who a reach rule is for: every organisation, law enforcement only, or partner agencies (every other organisation) only. */
export type Who = 'EVERYONE' | 'LAW_ENFORCEMENT' | 'PARTNERS';

/**
 * The ways a caller's organisation reaches a record (beyond clearance and role, which every
 * record asks first). Each is a named rule; the row-level security generator turns it into SQL.
 */
export type ReachRule =
  /** The caller's organisation owns the record. */
  | 'OWNER'
  /** The record's sharing reaches the caller's organisation (NAMED_ORGANISATIONS, REGIONAL_LAW_ENFORCEMENT, ALL_PARTNERS). */
  | 'SHARING'
  /** A referral: the caller's organisation referred it or received it. */
  | 'REFERRAL_PARTY'
  /** The caller is an auditor (whatever their organisation). */
  | 'AUDITOR'
  /** A referral: the caller's organisation is the regional unit, and the referral is linked to a threat it can read. */
  | 'REGIONAL_UNIT_OF_LINKED_THREAT'
  /** A person: the subject of a referral the caller's organisation is party to, with the person's owner the other party. */
  | 'REFERRAL_SUBJECT'
  /** A plan: the caller's organisation owns one of its actions. */
  | 'OWN_ACTION'
  /** A disruption: the caller's organisation claimed it or contributed to it. */
  | 'CLAIM_OR_CONTRIBUTION'
  /** An intelligence report: disseminated to the caller's organisation. */
  | 'DISSEMINATED';

/** The organisation type of the regional unit (SEROCU), which the REGIONAL_UNIT_OF_LINKED_THREAT rule reaches. */
export const REGIONAL_UNIT_TYPE = 'ROCU';

export interface Reach {
  readonly rule: ReachRule;
  readonly who: Who;
  /**
   * A partner agency (not law enforcement) reached this way also needs an information sharing
   * agreement in force with the record's owner covering the category and the record's marking.
   */
  readonly agreement?: boolean;
  /** Grants reading only: a caller reached only this way cannot change the record. */
  readonly readOnly?: boolean;
}

/** Whether a reach rule is for law enforcement (true) or a partner agency (false). */
export function isForOrganisation(reach: Reach, isLawEnforcement: boolean): boolean {
  return reach.who === 'EVERYONE' || (reach.who === 'LAW_ENFORCEMENT') === isLawEnforcement;
}

/** The columns every shared record has (shared-record.sql.ts, sharedRecordColumns). */
export interface SharedColumns {
  readonly owner: string;
  readonly marking: string;
  readonly sharing: string;
  readonly sharedWith: string;
}

export const SHARED_COLUMNS: SharedColumns = { owner: 'owning_organisation_id', marking: 'protective_marking', sharing: 'sharing', sharedWith: 'shared_with' };

export interface RecordKind {
  /** The GraphQL type (and the record_type in history and live events). */
  readonly typename: string;
  readonly table: string;
  /** The data category the role policy (access_role_grant) and agreements grant. */
  readonly category: DataCategory;
  /** Its owner, marking and sharing columns. */
  readonly columns: SharedColumns;
  /**
   * Who reaches it, once clearance covers its marking and one of the caller's roles may read its
   * category: any one of these rules suffices.
   */
  readonly reach: readonly Reach[];
  /** Only its owner may change it (the row a change leaves must be the caller's organisation's); otherwise whoever reads it may. */
  readonly changedOnlyByOwner?: boolean;
  /**
   * History as it was: whose reach to a past state of the record does not depend on its sharing
   * then (their reach is not by sharing); for everyone else the sharing at the time decides.
   */
  readonly pastReachWithoutSharing?: Exclude<Who, 'LAW_ENFORCEMENT'>;
  /**
   * Whether marking and sharing alone decide who reaches it (for law enforcement; for partners
   * see `partnerReachBySharing`). Referrals: their parties and auditors, whatever the sharing.
   * Derived from `reach`.
   */
  readonly reachBySharing: boolean;
  /** For partners too: nominals (through referrals) and disruptions (claims, contributions) are reached otherwise. Derived from `reach`. */
  readonly partnerReachBySharing: boolean;
  /** Fields partners (organisations that are not law enforcement) are not shown on others' records, and why. */
  readonly withheldFromPartners: Readonly<Record<string, string>>;
  /** Lists partners see narrowed to their own organisation's items rather than withheld. */
  readonly narrowedForPartners?: readonly string[];
  /** The column naming the threat it belongs to, for records read (and changed) only with their threat. */
  readonly threatColumn?: string;
}

type RecordKindDefinition = Omit<RecordKind, 'columns' | 'reachBySharing' | 'partnerReachBySharing'> & { columns?: SharedColumns };

/** A record kind with its derived fields. */
function recordKind(definition: RecordKindDefinition): RecordKind {
  const bySharing = definition.reach.filter((r) => r.rule === 'SHARING');
  return {
    columns: SHARED_COLUMNS,
    ...definition,
    reachBySharing: bySharing.length > 0,
    partnerReachBySharing: bySharing.some((r) => r.who !== 'LAW_ENFORCEMENT'),
  };
}

/** The common reach: the owner, and whoever the sharing reaches (partner agencies under an agreement). */
const OWNER_OR_SHARING: readonly Reach[] = [
  { rule: 'OWNER', who: 'EVERYONE' },
  { rule: 'SHARING', who: 'EVERYONE', agreement: true },
];

export const RECORD_KINDS: readonly RecordKind[] = [
  recordKind({
    typename: 'SocThreat',
    table: 'soc_threat',
    category: 'THREAT',
    reach: OWNER_OR_SHARING,
    withheldFromPartners: WITHHELD_FROM_PARTNERS.SocThreat,
  }),
  recordKind({
    // Police see people as shared; anyone, the subjects of referrals made with the owner.
    typename: 'Nominal',
    table: 'nominal',
    category: 'NOMINAL',
    reach: [
      { rule: 'OWNER', who: 'EVERYONE' },
      { rule: 'REFERRAL_SUBJECT', who: 'EVERYONE', agreement: true },
      { rule: 'SHARING', who: 'LAW_ENFORCEMENT' },
    ],
    withheldFromPartners: WITHHELD_FROM_PARTNERS.Nominal,
  }),
  recordKind({
    typename: 'FourPPlan',
    table: 'fourp_plan',
    category: 'PLAN',
    // A partner also reads the plans in which it owns an action (its own actions, at least).
    reach: [...OWNER_OR_SHARING, { rule: 'OWN_ACTION', who: 'PARTNERS' }],
    withheldFromPartners: WITHHELD_FROM_PARTNERS.FourPPlan,
    narrowedForPartners: ['actions'],
    threatColumn: 'threat_id',
  }),
  recordKind({
    // Police by ownership and sharing; partners read the claims they made or contributed to
    // (and not by owning one alone).
    typename: 'Disruption',
    table: 'disruption',
    category: 'DISRUPTION',
    reach: [
      { rule: 'OWNER', who: 'LAW_ENFORCEMENT' },
      { rule: 'SHARING', who: 'LAW_ENFORCEMENT' },
      { rule: 'CLAIM_OR_CONTRIBUTION', who: 'PARTNERS' },
    ],
    pastReachWithoutSharing: 'PARTNERS',
    withheldFromPartners: {},
    threatColumn: 'threat_id',
  }),
  recordKind({
    // Its two parties and auditors, whatever its sharing; the regional unit reads (and only
    // reads) those linked to a threat it can read.
    typename: 'SafeguardingReferral',
    table: 'safeguarding_referral',
    category: 'REFERRAL',
    reach: [
      { rule: 'REFERRAL_PARTY', who: 'EVERYONE' },
      { rule: 'AUDITOR', who: 'EVERYONE' },
      { rule: 'REGIONAL_UNIT_OF_LINKED_THREAT', who: 'EVERYONE', readOnly: true },
    ],
    pastReachWithoutSharing: 'EVERYONE',
    withheldFromPartners: {},
  }),
  recordKind({ typename: 'PracticeEntry', table: 'practice_entry', category: 'PRACTICE', reach: OWNER_OR_SHARING, withheldFromPartners: {} }),
  recordKind({
    // Partners reach a report only when it is disseminated to them (with its handling
    // conditions), never through sharing alone, and read only its sanitised text.
    typename: 'IntelligenceReport',
    table: 'intelligence_report',
    category: 'INTELLIGENCE',
    reach: [
      { rule: 'OWNER', who: 'EVERYONE' },
      { rule: 'SHARING', who: 'LAW_ENFORCEMENT' },
      { rule: 'DISSEMINATED', who: 'PARTNERS', agreement: true },
    ],
    changedOnlyByOwner: true,
    withheldFromPartners: WITHHELD_FROM_PARTNERS.IntelligenceReport,
    narrowedForPartners: ['disseminations'],
  }),
  recordKind({
    // The common reach: the requesting organisation owns it, and the service shares it with the
    // regional unit by name (modules/analytical-requests), which is how SEROCU sees every request
    // of the region. Only law enforcement requests analysis and no partner role reads the category.
    typename: 'AnalyticalRequest',
    table: 'analytical_request',
    category: 'ANALYTICAL_REQUEST',
    reach: OWNER_OR_SHARING,
    withheldFromPartners: {},
  }),
];

/**
 * Where a part is shown: the field of its record that lists it. A part named by ID is shown
 * exactly when that field shows it (one rule, read by node(id), graphql/node.ts childFetcher, and
 * by inputs naming a part, references.ts through redaction.ts seesPart): not at all where the
 * field is withheld from the caller (a threat's members, for partners), only the caller's own in a
 * list narrowed to them (a plan's actions).
 */
export interface PartListing {
  /** The record's field listing the part; where each kind of part has its own field (plan entries), each field with the kind it lists. */
  readonly fields: readonly { readonly field: string; readonly kind?: string }[];
  /** The column holding a part's kind, where the fields list kinds. */
  readonly kindColumn?: string;
  /** For a list narrowed to the caller's own items (`narrowedForPartners`), the column naming the item's organisation. */
  readonly itemOwnerColumn?: string;
}

export interface PartKind {
  readonly typename: string;
  readonly table: string;
  /** The record it belongs to, and the column naming it: a part is read exactly when its record is. */
  readonly parentTable: string;
  readonly parentColumn: string;
  /** Where its record lists it, for a part found by ID (a Node type) or named in inputs; none for a part reached only through its record. */
  readonly listedIn?: PartListing;
  /** Fields partners are not shown (on parts of others' records), and why. */
  readonly withheldFromPartners?: Readonly<Record<string, string>>;
  /** A further column naming a threat that must be visible too (a link needs both its threats). */
  readonly threatColumn?: string;
  /** Only the record's owner adds one (otherwise whoever may read the record). */
  readonly addedOnlyByRecordOwner?: boolean;
}

/** Kept literal (as PART_KINDS is not) so that the parts with a listing, and their columns, are known at compile time. */
const PARTS = [
  {
    typename: 'CriminalActivity',
    table: 'criminal_activity',
    parentTable: 'soc_threat',
    parentColumn: 'threat_id',
    listedIn: { fields: [{ field: 'criminalActivities' }] },
    withheldFromPartners: WITHHELD_FROM_PARTNERS.CriminalActivity,
  },
  { typename: 'Membership', table: 'membership', parentTable: 'soc_threat', parentColumn: 'threat_id', listedIn: { fields: [{ field: 'members' }] } },
  { typename: 'ThreatLink', table: 'threat_link', parentTable: 'soc_threat', parentColumn: 'threat_id', threatColumn: 'linked_threat_id' },
  { typename: 'ThreatAssessment', table: 'threat_assessment', parentTable: 'soc_threat', parentColumn: 'threat_id', listedIn: { fields: [{ field: 'assessmentHistory' }] } },
  { typename: 'PlanObjective', table: 'plan_objective', parentTable: 'fourp_plan', parentColumn: 'plan_id', listedIn: { fields: [{ field: 'objectives' }] } },
  {
    typename: 'PlanAction',
    table: 'plan_action',
    parentTable: 'fourp_plan',
    parentColumn: 'plan_id',
    listedIn: { fields: [{ field: 'actions' }], itemOwnerColumn: 'owner_organisation_id' },
  },
  { typename: 'PlanPartner', table: 'plan_partner', parentTable: 'fourp_plan', parentColumn: 'plan_id' },
  {
    typename: 'PlanEntry',
    table: 'plan_entry',
    parentTable: 'fourp_plan',
    parentColumn: 'plan_id',
    listedIn: {
      fields: [
        { field: 'intelligenceGaps', kind: 'INTELLIGENCE_GAP' },
        { field: 'outcomes', kind: 'OUTCOME' },
        { field: 'learning', kind: 'LEARNING' },
      ],
      kindColumn: 'kind',
    },
  },
  { typename: 'PlanReview', table: 'plan_review', parentTable: 'fourp_plan', parentColumn: 'plan_id' },
  { typename: 'ReferralUpdate', table: 'referral_update', parentTable: 'safeguarding_referral', parentColumn: 'referral_id', listedIn: { fields: [{ field: 'timeline' }] } },
  { typename: 'PracticeEndorsement', table: 'practice_endorsement', parentTable: 'practice_entry', parentColumn: 'entry_id', listedIn: { fields: [{ field: 'endorsements' }] } },
  {
    typename: 'IntelligenceDissemination',
    table: 'intelligence_dissemination',
    parentTable: 'intelligence_report',
    parentColumn: 'report_id',
    listedIn: { fields: [{ field: 'disseminations' }], itemOwnerColumn: 'recipient_organisation_id' },
    addedOnlyByRecordOwner: true,
  },
] as const satisfies readonly PartKind[];

export const PART_KINDS: readonly PartKind[] = PARTS;

/** A part its record lists (it has `listedIn`): one found by ID or named in inputs. */
type ListedPart = Extract<(typeof PARTS)[number], { listedIn: PartListing }>;
export type ListedPartType = ListedPart['typename'];
export type ListedPartTable = ListedPart['table'];

type Camel<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;
type ListingColumns<L> = (L extends { kindColumn: infer K extends string } ? K : never) | (L extends { itemOwnerColumn: infer O extends string } ? O : never);

/**
 * What a loaded part must carry for its listing to be decided in memory (node(id)): each column
 * the listing names, as the row mappers name it (`owner_organisation_id` → `ownerOrganisationId`).
 */
export type ListedPartRow<T extends ListedPartType> = { readonly [C in ListingColumns<Extract<ListedPart, { typename: T }>['listedIn']> as Camel<C>]: string };

/** A column's name as the row mappers give it on a loaded record (ListedPartRow). */
export function rowProperty(column: string): string {
  return column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

const byTable = new Map(RECORD_KINDS.map((k) => [k.table, k]));
const byCategory = new Map(RECORD_KINDS.map((k) => [k.category, k]));
// The role policy and agreements grant by category, and read paths name one: each names one kind.
if (byCategory.size !== RECORD_KINDS.length) throw new Error('Two record kinds share a data category');
const byType = new Map(RECORD_KINDS.map((k) => [k.typename, k]));

/** The record kind a table holds; throws for a table that is not a shared record's. */
export function recordKindOfTable(table: string): RecordKind {
  const kind = byTable.get(table);
  if (!kind) throw new Error(`${table} is not a shared record table`);
  return kind;
}

/** The record kind holding a data category's records (one each). */
export function recordKindOfCategory(category: DataCategory): RecordKind {
  const kind = byCategory.get(category);
  if (!kind) throw new Error(`No record kind holds ${category} records`);
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

/** A listed part with its record's GraphQL type: where the part is shown. */
export interface PartShownIn {
  readonly part: PartKind;
  readonly parentType: string;
  readonly listing: PartListing;
}

const listedParts = new Map<string, PartShownIn>(
  PART_KINDS.flatMap((part) => (part.listedIn ? [{ part, parentType: recordKindOfTable(part.parentTable).typename, listing: part.listedIn }] : [])).flatMap((shown) => [
    [shown.part.typename, shown],
    [shown.part.table, shown],
  ]),
);

// A narrowed list needs its items' owner column, and fields by kind their kind column: checked once, here.
for (const { part, parentType, listing } of new Set(listedParts.values())) {
  for (const { field, kind } of listing.fields) {
    if (NARROWED_FOR_PARTNERS.has(`${parentType}.${field}`) && !listing.itemOwnerColumn) throw new Error(`${part.typename} is listed in ${parentType}.${field}, narrowed to the caller's items, without an itemOwnerColumn`);
    if (kind && !listing.kindColumn) throw new Error(`${part.typename} is listed by kind without a kindColumn`);
  }
  if (listing.fields.length > 1 && listing.fields.some((f) => !f.kind)) throw new Error(`${part.typename} is listed in several fields, each must name its kind`);
}

/** Where a listed part (by GraphQL type or table) is shown; throws for a part without a listing. */
export function partShownIn(typeOrTable: string): PartShownIn {
  const shown = listedParts.get(typeOrTable);
  if (!shown) throw new Error(`${typeOrTable} is not a part its record lists (catalogue.ts, listedIn)`);
  return shown;
}
