import type { Knex } from '@mikro-orm/postgresql';
import { plainDate } from '../shared/plain-dates';
import { databaseToday } from '../db/clock';
import { markingRank, type ProtectiveMarking } from '../modules/identity/identity.enums';
import { categoryOf, type DataCategory } from './policy';
import { RECORD_KINDS } from './catalogue';

/**
 * Explains one access decision in words: which rules granted or denied a user's reading of a
 * record. It restates the rules of docs/domain.md ("Access") step by step for people; enforcement is
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

/** Which table each global ID type lives in (the access catalogue). */
export const RECORD_TABLES: Record<string, string> = Object.fromEntries(RECORD_KINDS.map((k) => [k.typename, k.table]));

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
    ? agreements.map((a) => `"${a.title}": ${a.status}, ${plainDate(a.effective_from)} to ${plainDate(a.expires_on)}, covers ${a.data_categories.join('/')} up to ${a.max_protective_marking}`).join('; ')
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

/**
 * The referral rule (policy.ts, referralReachesCaller): its parties and auditors, and the regional
 * unit for a referral linked to a threat it can read (each linked threat explained in turn).
 */
async function referralRule(knex: Knex, user: UserFacts, row: Record<string, any>): Promise<RuleOutcome> {
  const party = [row.referring_organisation_id, row.receiving_organisation_id].includes(user.organisationId);
  if (party) return { rule: 'REFERRAL_PARTY', passed: true, detail: `${user.organisationCode} is a party to the referral.` };
  if (user.roles.includes('AUDITOR')) return { rule: 'REFERRAL_PARTY', passed: true, detail: 'Auditors may read referrals.' };
  const regional = await knex('organisation').where({ id: user.organisationId, type: 'ROCU' }).first('id');
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
 * The nominal rule (policy.ts, onlyReadable and subjectOfCallersReferral): the owner; the parties
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
 * The intelligence rule for partners (policy.ts, disseminatedToCaller): their own reports, or one
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

/** The rules of one category beyond the common ones, for referrals, nominals and non-police partners. */
async function categoryRules(knex: Knex, user: UserFacts, row: Record<string, any>, category: DataCategory): Promise<RuleOutcome[] | undefined> {
  if (category === 'REFERRAL') return [await referralRule(knex, user, row)];
  if (category === 'NOMINAL') return nominalRules(knex, user, row);
  if (user.isLawEnforcement) return undefined;
  if (category === 'INTELLIGENCE') return intelligenceRules(knex, user, row);
  if (category === 'DISRUPTION') {
    const own = row.claiming_organisation_id === user.organisationId || (row.contributors ?? []).includes(user.organisationId);
    return [{ rule: 'PARTNER_DISRUPTION', passed: own, detail: own ? `${user.organisationCode} claimed or contributed to it.` : 'Partners read only the disruptions they claimed or contributed to.' }];
  }
  return undefined;
}

/**
 * Every rule applied to `user` reading the record in `table`, in the order docs/domain.md states them,
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
