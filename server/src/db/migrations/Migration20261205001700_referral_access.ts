import { Migration } from '@mikro-orm/migrations';

/**
 * Referrals and the people they are about, under the agreement and ownership rules (issue 13).
 * Replaces the read policies of safeguarding_referral and nominal (and nominal's update policy,
 * which has always been its read rule) written by Migration20261125001300_read_performance; the
 * application policy (server/src/access/policy.ts, onlyReadable) states the same rules.
 *
 * - Referrals: the regional unit (an organisation of type ROCU, SEROCU) also reads a referral
 *   linked to a threat it can read (docs/domain.md: "those linked to threats"). The threat subquery
 *   runs under soc_threat's own policy, so "can read" is the threat rule itself.
 * - Nominals: any organisation reads the subject of a referral it is party to when the other
 *   party owns the person (the owner made or received the referral, so the owner shared it); a
 *   referral between two organisations that do not own the person makes them known to neither.
 *   A non-police organisation also needs an agreement in force with the owner covering NOMINAL at
 *   the person's marking, as for any other organisation's record: suspending it hides the person.
 *   Police keep the common rule (owner or sharing) besides.
 *
 * The referral update policy is left as it was: only the parties (and auditors) may change one.
 */

const ORG = '(select soc_caller_org())';
const IS_POLICE = '(select soc_caller_is_law_enforcement())';
const ROLES = '(select soc_caller_roles())::text[]';
const CLEARANCE = '(select soc_caller_clearance_rank())';

/** The caller's organisation is the regional unit. organisation has no row-level security. */
const IS_REGIONAL_UNIT = `
  create or replace function soc_caller_is_regional_unit() returns boolean
  language sql stable parallel safe as $$
    select exists (select 1 from organisation o where o.id = soc_caller_org() and o.type = 'ROCU')
  $$`;

/**
 * The people who are the subject of a referral the caller's organisation is party to, with the
 * person's owner the other party (or the caller). Security definer, as soc_caller_action_plans:
 * the answer must not depend on what the caller may see of referrals (a user without the
 * REFERRAL role still knows the people their organisation's referrals are about), and a policy
 * on nominal reading safeguarding_referral's policy would tie the two tables' rules together.
 * It only ever answers for the caller's own organisation.
 */
const REFERRAL_SUBJECTS = `
  create or replace function soc_caller_referral_subjects() returns uuid[]
  language sql stable security definer parallel safe set search_path = public as $$
    select coalesce(array_agg(distinct r.subject_id), '{}')
      from safeguarding_referral r join nominal n on n.id = r.subject_id
     where soc_caller_org() in (r.referring_organisation_id, r.receiving_organisation_id)
       and n.owning_organisation_id in (r.referring_organisation_id, r.receiving_organisation_id)
  $$`;

const NEW_FUNCTIONS = ['soc_caller_is_regional_unit()', 'soc_caller_referral_subjects()'];

function clearanceAndRole(category: string): string {
  return `(soc_marking_rank(protective_marking) <= ${CLEARANCE} and (select soc_caller_may_read('${category}')))`;
}

/** An agreement in force between the caller's organisation and the record's owner covers the category and marking. */
function agreementCovers(category: string): string {
  return `soc_marking_rank(protective_marking) <= coalesce(((select soc_caller_agreement_ranks('${category}')) ->> owning_organisation_id::text)::int, -1)`;
}

/** Owner, or sharing that reaches the caller (police need no agreement), as in read_performance's canRead. */
function ownerOrSharing(category: string): string {
  return `(owning_organisation_id = ${ORG}
    or (
      case sharing
        when 'NAMED_ORGANISATIONS' then ${ORG} = any (shared_with)
        when 'REGIONAL_LAW_ENFORCEMENT' then ${IS_POLICE}
        when 'ALL_PARTNERS' then true
        else false
      end
      and (${IS_POLICE} or ${agreementCovers(category)})
    ))`;
}

const REFERRAL_RULE = `${clearanceAndRole('REFERRAL')}
  and (${ORG} in (referring_organisation_id, receiving_organisation_id)
       or 'AUDITOR' = any (${ROLES})
       or ((select soc_caller_is_regional_unit())
           and exists (select 1 from soc_threat t where t.id = any (safeguarding_referral.linked_threat_ids))))`;

const NOMINAL_RULE = `${clearanceAndRole('NOMINAL')}
  and (owning_organisation_id = ${ORG}
       or (nominal.id = any ((select soc_caller_referral_subjects())::uuid[]) and (${IS_POLICE} or ${agreementCovers('NOMINAL')}))
       or (${IS_POLICE} and ${ownerOrSharing('NOMINAL')}))`;

/** read_performance's rules for the two tables, restored by down(). */
const OLD_CANREAD_NOMINAL = `(${clearanceAndRole('NOMINAL')} and ${ownerOrSharing('NOMINAL')})`;
const OLD_REFERRAL_RULE = `${clearanceAndRole('REFERRAL')} and (${ORG} in (referring_organisation_id, receiving_organisation_id) or 'AUDITOR' = any (${ROLES}))`;
const OLD_NOMINAL_RULE = `(${IS_POLICE} and ${OLD_CANREAD_NOMINAL})
  or (not ${IS_POLICE} and ${clearanceAndRole('NOMINAL')}
      and (owning_organisation_id = ${ORG}
           or exists (select 1 from safeguarding_referral r
                        where r.subject_id = nominal.id and ${ORG} in (r.referring_organisation_id, r.receiving_organisation_id))))`;

export class Migration20261205001700_referral_access extends Migration {
  override async up(): Promise<void> {
    this.addSql(IS_REGIONAL_UNIT);
    this.addSql(REFERRAL_SUBJECTS);
    this.addSql(`revoke all on function ${NEW_FUNCTIONS.join(', ')} from public`);
    this.addSql(`grant execute on function ${NEW_FUNCTIONS.join(', ')} to soc_app`);
    this.addSql(`alter policy safeguarding_referral_read on safeguarding_referral using (${REFERRAL_RULE})`);
    this.addSql(`alter policy nominal_read on nominal using (${NOMINAL_RULE})`);
    this.addSql(`alter policy nominal_update on nominal using (${NOMINAL_RULE})`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter policy safeguarding_referral_read on safeguarding_referral using (${OLD_REFERRAL_RULE})`);
    this.addSql(`alter policy nominal_read on nominal using (${OLD_NOMINAL_RULE})`);
    this.addSql(`alter policy nominal_update on nominal using (${OLD_NOMINAL_RULE})`);
    this.addSql(`drop function ${NEW_FUNCTIONS.join(', ')}`);
  }
}
