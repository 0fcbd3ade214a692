import type { Knex } from '@mikro-orm/postgresql';
import { markingRank, type ProtectiveMarking } from '../modules/identity/identity.enums';
import { categoryOf, type DataCategory } from './policy';

/**
 * Explains one access decision in words: which rules granted or denied a user's reading of a
 * record. It restates the rules of DOMAIN.md ("Access") step by step for people; enforcement is
 * done by the policy module and by row-level security, never by this.
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

/** Which table each global ID type lives in. */
export const RECORD_TABLES: Record<string, string> = {
  SocThreat: 'soc_threat',
  Nominal: 'nominal',
  FourPPlan: 'fourp_plan',
  Disruption: 'disruption',
  SafeguardingReferral: 'safeguarding_referral',
  PracticeEntry: 'practice_entry',
};

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
      ? `${user.roles.join(', ')} may read ${category} records (${granted.join(', ')}).`
      : `None of ${user.roles.join(', ') || 'no roles'} may read ${category} records; allowed: ${roles.join(', ')}.`,
  };
}

function clearanceRule(user: UserFacts, marking: string): RuleOutcome {
  const passed = markingRank(user.clearance as ProtectiveMarking) >= markingRank(marking as ProtectiveMarking);
  return { rule: 'CLEARANCE', passed, detail: `Record marked ${marking}; ${user.username} is cleared to ${user.clearance}.` };
}

async function agreementRule(knex: Knex, user: UserFacts, row: Record<string, any>, category: DataCategory): Promise<RuleOutcome> {
  if (user.isLawEnforcement) return { rule: 'AGREEMENT', passed: true, detail: `${user.organisationCode} is a law-enforcement organisation: no agreement needed.` };
  const agreements = await knex('information_sharing_agreement')
    .whereRaw('?::uuid = any (parties) and ?::uuid = any (parties)', [user.organisationId, row.owning_organisation_id])
    .select('title', 'status', 'effective_from', 'expires_on', 'data_categories', 'max_protective_marking');
  const today = new Date().toISOString().slice(0, 10);
  const inForce = agreements.filter(
    (a) =>
      a.status === 'ACTIVE' &&
      a.effective_from <= today &&
      today < a.expires_on &&
      a.data_categories.includes(category) &&
      markingRank(a.max_protective_marking) >= markingRank(row.protective_marking),
  );
  if (inForce.length) return { rule: 'AGREEMENT', passed: true, detail: `Covered by "${inForce[0].title}" (in force until ${inForce[0].expires_on}).` };
  const why = agreements.length
    ? agreements.map((a) => `"${a.title}": ${a.status}, ${a.effective_from} to ${a.expires_on}, covers ${a.data_categories.join('/')} up to ${a.max_protective_marking}`).join('; ')
    : 'there is no agreement between the two organisations';
  return { rule: 'AGREEMENT', passed: false, detail: `No agreement in force covers ${category} records marked ${row.protective_marking}: ${why}.` };
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
  return { rule: 'SHARING', passed, detail: `Owned by ${owner}, shared ${row.sharing}: ${passed ? 'reaches' : 'does not reach'} ${user.organisationCode}.` };
}

/** The rules of one category beyond the common ones, for non-police partners and referrals. */
async function categoryRules(knex: Knex, user: UserFacts, row: Record<string, any>, category: DataCategory): Promise<RuleOutcome[] | undefined> {
  if (category === 'REFERRAL') {
    const party = [row.referring_organisation_id, row.receiving_organisation_id].includes(user.organisationId);
    const auditor = user.roles.includes('AUDITOR');
    return [{ rule: 'REFERRAL_PARTY', passed: party || auditor, detail: party ? `${user.organisationCode} is a party to the referral.` : auditor ? 'Auditors may read referrals.' : 'Only the referring and receiving organisations and auditors read a referral, whatever its sharing.' }];
  }
  if (user.isLawEnforcement) return undefined;
  if (category === 'DISRUPTION') {
    const own = row.claiming_organisation_id === user.organisationId || (row.contributors ?? []).includes(user.organisationId);
    return [{ rule: 'PARTNER_DISRUPTION', passed: own, detail: own ? `${user.organisationCode} claimed or contributed to it.` : 'Partners read only the disruptions they claimed or contributed to.' }];
  }
  if (category === 'NOMINAL') {
    const referral = await knex('safeguarding_referral').where({ subject_id: row.id }).where((w) => w.where('referring_organisation_id', user.organisationId).orWhere('receiving_organisation_id', user.organisationId)).first('reference');
    const own = row.owning_organisation_id === user.organisationId;
    return [{ rule: 'PARTNER_NOMINAL', passed: own || !!referral, detail: own ? `${user.organisationCode} recorded this person.` : referral ? `Subject of referral ${referral.reference}, to which ${user.organisationCode} is a party.` : 'Partners read only people they recorded or who are the subject of their referrals.' }];
  }
  return undefined;
}

/**
 * Every rule applied to `user` reading the record in `table`, in the order DOMAIN.md states them,
 * and the verdict. `knex` must be able to read the record (the caller is entitled to ask).
 */
export async function explainRead(knex: Knex, user: UserFacts, table: string, row: Record<string, any>): Promise<{ canRead: boolean; rules: RuleOutcome[] }> {
  const category = categoryOf(table);
  const rules = [clearanceRule(user, row.protective_marking), await roleRule(knex, user, category)];
  const special = await categoryRules(knex, user, row, category);
  if (special && category === 'REFERRAL') rules.push(...special);
  else if (special) rules.push(...special);
  else rules.push(await sharingRule(knex, user, row), await agreementRule(knex, user, row, category));
  // A partner may also read a plan through an action it owns.
  if (category === 'PLAN' && !user.isLawEnforcement && !rules.every((r) => r.passed)) {
    const own = await knex('plan_action').where({ plan_id: row.id, owner_organisation_id: user.organisationId }).first('id');
    if (own) rules.push({ rule: 'PARTNER_ACTION', passed: true, detail: `${user.organisationCode} owns an action in this plan, so it reads the plan.` });
  }
  const partnerAction = rules.find((r) => r.rule === 'PARTNER_ACTION');
  const canRead = partnerAction
    ? rules.filter((r) => r.rule === 'CLEARANCE' || r.rule === 'ROLE').every((r) => r.passed)
    : rules.every((r) => r.passed);
  return { canRead, rules };
}
