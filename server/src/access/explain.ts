import type { Knex } from '@mikro-orm/postgresql';
import { plainDate } from '../shared/plain-dates';
import { plainList, plainWords } from '../shared/plain-words';
import { databaseToday } from '../db/clock';
import { markingRank, type ProtectiveMarking } from '../modules/identity/identity.enums';
import { isForOrganisation, recordKindOfTable, REGIONAL_UNIT_TYPE, type DataCategory, type ReachRule, type RecordKind } from './catalogue';

/**
 * Explains one access decision in words: which rules granted or denied a user's reading of a
 * record. It puts the access catalogue's rules (catalogue.ts) step by step for people, each kind
 * explained by the rules the catalogue gives it; enforcement is done by the policy module and by
 * row-level security, never by this.
 */

export interface RuleOutcome {
  rule: string;
  passed: boolean;
  detail: string;
}

export interface UserFacts {
  id: string;
  username: string;
  roles: string[];
  clearance: string;
  organisationId: string;
  organisationCode: string;
  isLawEnforcement: boolean;
}

async function orgCode(knex: Knex, id: string): Promise<string> {
  return (await knex('organisation').where({ id }).first('code'))?.code ?? 'unknown';
}

async function roleRule(knex: Knex, user: UserFacts, category: DataCategory): Promise<RuleOutcome> {
  const roles = (await knex('access_role_grant').where({ data_category: category }).select('role')).map((r) => r.role as string);
  const granted = user.roles.filter((r) => roles.includes(r));
  return {
    rule: 'ROLE',
    passed: granted.length > 0,
    detail: granted.length
      ? `As ${plainList(granted)}, ${user.username} may read ${plainWords(category)} records.`
      : `None of ${user.username}'s roles (${plainList(user.roles) || 'none'}) may read ${plainWords(category)} records; allowed: ${plainList(roles) || 'no role'}.`,
  };
}

function clearanceRule(user: UserFacts, marking: string): RuleOutcome {
  const passed = markingRank(user.clearance as ProtectiveMarking) >= markingRank(marking as ProtectiveMarking);
  return { rule: 'CLEARANCE', passed, detail: `Record marked ${plainWords(marking)}; ${user.username} is cleared to ${plainWords(user.clearance)}.` };
}

async function agreementRule(knex: Knex, user: UserFacts, row: Record<string, any>, category: DataCategory): Promise<RuleOutcome> {
  if (user.isLawEnforcement) return { rule: 'AGREEMENT', passed: true, detail: `${user.organisationCode} is a law-enforcement organisation: no agreement needed.` };
  // The catalogue's OWNER reach asks for no agreement: an organisation reads its own records.
  if (row.owning_organisation_id === user.organisationId) return { rule: 'AGREEMENT', passed: true, detail: `${user.organisationCode} owns the record: no agreement needed.` };
  const agreements = await knex('information_sharing_agreement')
    .whereRaw('?::uuid = any (parties) and ?::uuid = any (parties)', [user.organisationId, row.owning_organisation_id])
    .select('title', 'status', 'effective_from', 'expires_on', 'data_categories', 'max_protective_marking');
  const today = databaseToday();
  const inForce = agreements.filter(
    (a) =>
      a.status === 'ACTIVE' &&
      a.effective_from <= today &&
      today < a.expires_on &&
      a.data_categories.includes(category) &&
      markingRank(a.max_protective_marking) >= markingRank(row.protective_marking),
  );
  if (inForce.length) return { rule: 'AGREEMENT', passed: true, detail: `Covered by "${inForce[0].title}" (in force until ${plainDate(inForce[0].expires_on)}).` };
  const why = agreements.length
    ? agreements.map((a) => `"${a.title}": ${plainWords(a.status)}, ${plainDate(a.effective_from)} to ${plainDate(a.expires_on)}, covers ${plainList(a.data_categories)} records up to ${plainWords(a.max_protective_marking)}`).join('; ')
    : 'there is no agreement between the two organisations';
  return { rule: 'AGREEMENT', passed: false, detail: `No agreement in force covers ${plainWords(category)} records marked ${plainWords(row.protective_marking)}: ${why}.` };
}

async function sharingRule(knex: Knex, user: UserFacts, row: Record<string, any>): Promise<RuleOutcome> {
  const owner = await orgCode(knex, row.owning_organisation_id);
  if (row.owning_organisation_id === user.organisationId) return { rule: 'SHARING', passed: true, detail: `${user.organisationCode} owns the record.` };
  const reached: Record<string, boolean> = {
    OWNER_ONLY: false,
    NAMED_ORGANISATIONS: (row.shared_with ?? []).includes(user.organisationId),
    REGIONAL_LAW_ENFORCEMENT: user.isLawEnforcement,
    ALL_PARTNERS: true,
  };
  const passed = reached[row.sharing] ?? false;
  return { rule: 'SHARING', passed, detail: `Owned by ${owner}, shared ${plainWords(row.sharing)}: ${passed ? 'reaches' : 'does not reach'} ${user.organisationCode}.` };
}

/**
 * The referral rules (REFERRAL_PARTY, AUDITOR, REGIONAL_UNIT_OF_LINKED_THREAT): its parties and auditors, and the regional
 * unit for a referral linked to a threat it can read (each linked threat explained in turn).
 */
async function referralRule(knex: Knex, user: UserFacts, row: Record<string, any>): Promise<RuleOutcome> {
  const party = [row.referring_organisation_id, row.receiving_organisation_id].includes(user.organisationId);
  if (party) return { rule: 'REFERRAL_PARTY', passed: true, detail: `${user.organisationCode} is a party to the referral.` };
  if (user.roles.includes('AUDITOR')) return { rule: 'REFERRAL_PARTY', passed: true, detail: 'Auditors may read referrals.' };
  const regional = await knex('organisation').where({ id: user.organisationId, type: REGIONAL_UNIT_TYPE }).first('id');
  if (regional && row.linked_threat_ids?.length) {
    for (const threat of await knex('soc_threat').whereIn('id', row.linked_threat_ids).select('*')) {
      if ((await explainRead(knex, user, 'soc_threat', threat)).canRead) {
        return { rule: 'REFERRAL_PARTY', passed: true, detail: `${user.organisationCode}, the regional unit, reads referrals linked to a threat it can read: ${threat.urn}.` };
      }
    }
  }
  return {
    rule: 'REFERRAL_PARTY',
    passed: false,
    detail: 'Only the referring and receiving organisations and auditors read a referral, whatever its sharing (and the regional unit, one linked to a threat it can read).',
  };
}

/**
 * The nominal rules (OWNER, REFERRAL_SUBJECT, SHARING for police): the owner; the parties
 * to a referral about the person that the owner is party to (a non-police one also needs an
 * agreement in force with the owner); and police by the common rules. Undefined: the common rules.
 */
async function nominalRules(knex: Knex, user: UserFacts, row: Record<string, any>): Promise<RuleOutcome[] | undefined> {
  const own = row.owning_organisation_id === user.organisationId;
  if (own && user.isLawEnforcement) return undefined;
  if (own) return [{ rule: 'PARTNER_NOMINAL', passed: true, detail: `${user.organisationCode} recorded this person.` }];
  const referral = await knex('safeguarding_referral')
    .where({ subject_id: row.id })
    .whereRaw('?::uuid in (referring_organisation_id, receiving_organisation_id)', [user.organisationId])
    .whereRaw('?::uuid in (referring_organisation_id, receiving_organisation_id)', [row.owning_organisation_id])
    .first('reference');
  if (user.isLawEnforcement) {
    if (!referral) return undefined;
    return [{ rule: 'REFERRAL_SUBJECT', passed: true, detail: `Subject of referral ${referral.reference}, between ${user.organisationCode} and the organisation that recorded the person.` }];
  }
  if (!referral) {
    return [{ rule: 'PARTNER_NOMINAL', passed: false, detail: 'Partners read only people they recorded, or the subject of a referral between them and the organisation that recorded the person.' }];
  }
  return [
    { rule: 'PARTNER_NOMINAL', passed: true, detail: `Subject of referral ${referral.reference}, between ${user.organisationCode} and the organisation that recorded the person.` },
    await agreementRule(knex, user, row, 'NOMINAL'),
  ];
}

/**
 * The intelligence rules for partners (OWNER, DISSEMINATED): their own reports, or one
 * disseminated to them with an agreement in force covering intelligence at its marking.
 */
async function intelligenceRules(knex: Knex, user: UserFacts, row: Record<string, any>): Promise<RuleOutcome[]> {
  if (row.owning_organisation_id === user.organisationId) return [{ rule: 'DISSEMINATION', passed: true, detail: `${user.organisationCode} recorded this intelligence.` }];
  const given = await knex('intelligence_dissemination').where({ report_id: row.id, recipient_organisation_id: user.organisationId }).first('disseminated_at');
  if (!given) return [{ rule: 'DISSEMINATION', passed: false, detail: 'Partners read intelligence only when it is disseminated to their organisation, whatever its sharing.' }];
  return [
    { rule: 'DISSEMINATION', passed: true, detail: `Disseminated to ${user.organisationCode} on ${plainDate(given.disseminated_at)}.` },
    await agreementRule(knex, user, row, 'INTELLIGENCE'),
  ];
}

/** The common rules: the owner, or sharing that reaches the caller; and the agreement a partner needs. */
async function commonRules(knex: Knex, user: UserFacts, row: Record<string, any>, kind: RecordKind): Promise<RuleOutcome[]> {
  return [await sharingRule(knex, user, row), await agreementRule(knex, user, row, kind.category)];
}

/** The common rules, and for a partner that they deny, a plan reached through an action it owns. */
async function commonOrOwnActionRules(knex: Knex, user: UserFacts, row: Record<string, any>, kind: RecordKind, asked: RuleOutcome[]): Promise<RuleOutcome[]> {
  const rules = await commonRules(knex, user, row, kind);
  if ([...asked, ...rules].every((r) => r.passed) || !applicableRules(kind, user).includes('OWN_ACTION')) return rules;
  const own = await knex('plan_action').where({ plan_id: row.id, owner_organisation_id: user.organisationId }).first('id');
  if (own) rules.push({ rule: OWN_ACTION_OUTCOME, passed: true, detail: `${user.organisationCode} owns an action in this plan, so it reads the plan.` });
  return rules;
}

async function claimRules(_knex: Knex, user: UserFacts, row: Record<string, any>): Promise<RuleOutcome[]> {
  const own = row.claiming_organisation_id === user.organisationId || (row.contributors ?? []).includes(user.organisationId);
  return [{ rule: 'PARTNER_DISRUPTION', passed: own, detail: own ? `${user.organisationCode} claimed or contributed to it.` : 'Partners read only the disruptions they claimed or contributed to.' }];
}

/** The rule a plan read through an own action passes by (which then needs only clearance, role and its threat). */
const OWN_ACTION_OUTCOME = 'PARTNER_ACTION';

/** The rule of a record read only with its threat (the catalogue's threatColumn). */
const THREAT_OUTCOME = 'THREAT';

/**
 * A record of a kind bound to a threat (plans, disruptions) is read only with its threat, as
 * row-level security's restrictive policy has it: the threat is explained in turn for the user.
 * Undefined: the kind is not bound to a threat.
 */
async function threatRule(knex: Knex, user: UserFacts, row: Record<string, any>, kind: RecordKind): Promise<RuleOutcome | undefined> {
  if (!kind.threatColumn) return undefined;
  const threat = row[kind.threatColumn] ? await knex('soc_threat').where({ id: row[kind.threatColumn] }).first() : undefined;
  if (!threat) return { rule: THREAT_OUTCOME, passed: false, detail: 'It belongs to no threat, and is read only with its threat.' };
  const passed = (await explainRead(knex, user, 'soc_threat', threat)).canRead;
  return {
    rule: THREAT_OUTCOME,
    passed,
    detail: `It belongs to threat ${threat.urn}, which ${user.username} ${passed ? 'can read' : 'cannot read; it is read only with its threat'}.`,
  };
}

/** How a combination of the catalogue's reach rules is explained in words. */
interface ReachExplanation {
  /** The reach rules (catalogue.ts) its words assume: each must reach the caller's kind of organisation. */
  readonly assumes: readonly ReachRule[];
  /** Rules it also explains when they are there. */
  readonly alsoExplains?: readonly ReachRule[];
  /** `asked`: the outcomes of clearance and role, asked first of every kind. */
  readonly explain: (knex: Knex, user: UserFacts, row: Record<string, any>, kind: RecordKind, asked: RuleOutcome[]) => Promise<RuleOutcome[]>;
}

/**
 * The explanations. A kind is explained, for the caller's kind of organisation, by the one whose
 * words assume its rules, every one of them and no other. A kind none explains (a new rule, or a
 * new mix of rules) is an error, never the wrong words (test/access/catalogue.test.ts tries every kind).
 */
const EXPLANATIONS: readonly ReachExplanation[] = [
  { assumes: ['REFERRAL_PARTY', 'AUDITOR', 'REGIONAL_UNIT_OF_LINKED_THREAT'], explain: (knex, user, row) => referralRule(knex, user, row).then((r) => [r]) },
  { assumes: ['OWNER', 'SHARING'], alsoExplains: ['OWN_ACTION'], explain: commonOrOwnActionRules },
  { assumes: ['OWNER', 'REFERRAL_SUBJECT'], alsoExplains: ['SHARING'], explain: async (knex, user, row, kind) => (await nominalRules(knex, user, row)) ?? commonRules(knex, user, row, kind) },
  { assumes: ['OWNER', 'DISSEMINATED'], explain: intelligenceRules },
  { assumes: ['CLAIM_OR_CONTRIBUTION'], explain: claimRules },
];

/** Whether the explanation's words fit exactly these rules. */
function fits(explanation: ReachExplanation, rules: readonly ReachRule[]): boolean {
  const explained = [...explanation.assumes, ...(explanation.alsoExplains ?? [])];
  return explanation.assumes.every((r) => rules.includes(r)) && rules.every((r) => explained.includes(r));
}

/** The catalogue's reach rules of a kind that are for the user's kind of organisation. */
function applicableRules(kind: RecordKind, user: Pick<UserFacts, 'isLawEnforcement'>): ReachRule[] {
  return kind.reach.filter((r) => isForOrganisation(r, user.isLawEnforcement)).map((r) => r.rule);
}

/** The explanation of a kind's reach for law enforcement or for partners; throws when none explains it. */
export function explanationFor(kind: RecordKind, user: Pick<UserFacts, 'isLawEnforcement'>): ReachExplanation {
  const rules = applicableRules(kind, user);
  const fitting = EXPLANATIONS.filter((e) => fits(e, rules));
  if (fitting.length > 1) throw new Error(`${kind.typename}'s reach by ${rules.join(', ')} has more than one explanation (explain.ts, EXPLANATIONS)`);
  const found = fitting[0];
  if (!found) throw new Error(`No explanation of ${kind.typename}'s reach by ${rules.join(', ')} (explain.ts, EXPLANATIONS)`);
  return found;
}

/**
 * Every rule applied to `user` reading the record in `table`, in the order docs/domain.md states them,
 * and the verdict. `knex` must be able to read the record (the caller is entitled to ask).
 */
export async function explainRead(knex: Knex, user: UserFacts, table: string, row: Record<string, any>): Promise<{ canRead: boolean; rules: RuleOutcome[] }> {
  const kind = recordKindOfTable(table);
  const asked = [clearanceRule(user, row.protective_marking), await roleRule(knex, user, kind.category)];
  const reach = await explanationFor(kind, user).explain(knex, user, row, kind, [...asked]);
  const threat = await threatRule(knex, user, row, kind);
  // Clearance, role and the threat are asked whatever reaches the record; a plan read through an
  // own action is reached whatever the common rules say.
  const required = [...asked, ...(threat ? [threat] : [])];
  const reached = reach.some((r) => r.rule === OWN_ACTION_OUTCOME) || reach.every((r) => r.passed);
  return { canRead: reached && required.every((r) => r.passed), rules: [...asked, ...reach, ...(threat ? [threat] : [])] };
}
