import { Migration } from '@mikro-orm/migrations';
import { SHARED_TABLES } from './Migration20261125000800_access';

/**
 * Row-level security that costs per statement, not per row (the rules themselves are unchanged).
 *
 * The access migration's policies call soc_can_read(...) on every row. That function holds
 * subqueries (the role grant and the agreement checks), and PostgreSQL never inlines a SQL
 * function with subqueries, nor a SECURITY DEFINER one: each row paid a full function call with
 * its own subqueries, 85 ms for one page of threats over 5,000 rows (EXPLAIN ANALYZE, as soc_app).
 *
 * Here the policies state the same rules inline, and every part that depends only on the caller
 * is written as an uncorrelated scalar subquery, `(select soc_caller_...())`, which the planner
 * runs once per statement (an InitPlan) and then compares against each row's columns. The caller's
 * agreements are reduced, once per statement, to {owning organisation: highest marking covered},
 * so checking a row is one lookup instead of a scan of the agreements table.
 *
 * soc_can_read itself stays as it was (the reference statement of the rule, and what down()
 * restores the policies to).
 */

/** The caller's roles allow reading `category` (the admin-editable role policy). */
const MAY_READ = `
  create or replace function soc_caller_may_read(category text) returns boolean
  language sql stable parallel safe as $$
    select exists (select 1 from access_role_grant g where g.data_category = category and g.role = any (soc_caller_roles()))
  $$`;

/**
 * For the caller's organisation: each other party to an ACTIVE, in-date agreement covering
 * `category`, with the rank of the highest marking any such agreement covers, as a JSON object
 * {organisation id: rank}. Security definer for the same reason as soc_caller_has_agreement:
 * the answer must not depend on what the caller may see of the agreements table. It only ever
 * answers for the caller's own organisation.
 */
const AGREEMENT_RANKS = `
  create or replace function soc_caller_agreement_ranks(category text) returns jsonb
  language sql stable security definer parallel safe set search_path = public as $$
    select coalesce(jsonb_object_agg(party, rank), '{}'::jsonb)
      from (
        select party, max(soc_marking_rank(a.max_protective_marking)) as rank
          from information_sharing_agreement a cross join unnest(a.parties) as party
         where a.status = 'ACTIVE' and current_date >= a.effective_from and current_date < a.expires_on
           and soc_caller_org() = any (a.parties)
           and category = any (a.data_categories)
         group by party
      ) ranks
  $$`;

/** The plans in which the caller's organisation owns an action (security definer: see soc_caller_owns_action_in). */
const ACTION_PLANS = `
  create or replace function soc_caller_action_plans() returns uuid[]
  language sql stable security definer parallel safe set search_path = public as $$
    select coalesce(array_agg(distinct a.plan_id), '{}') from plan_action a where a.owner_organisation_id = soc_caller_org()
  $$`;

const NEW_FUNCTIONS = ['soc_caller_may_read(text)', 'soc_caller_agreement_ranks(text)', 'soc_caller_action_plans()'];

// Caller values, each computed once per statement.
const ORG = '(select soc_caller_org())';
const IS_POLICE = '(select soc_caller_is_law_enforcement())';
// Cast, so that `= any (...)` reads an array expression, not `= any (subquery)`.
const ROLES = '(select soc_caller_roles())::text[]';
const CLEARANCE = '(select soc_caller_clearance_rank())';

/** Clearance covers the marking and the caller's roles allow the category. */
function clearanceAndRole(category: string): string {
  return `(soc_marking_rank(protective_marking) <= ${CLEARANCE} and (select soc_caller_may_read('${category}')))`;
}

/** soc_can_read(category, owning_organisation_id, protective_marking, sharing, shared_with), inline. */
function canRead(category: string): string {
  return `(${clearanceAndRole(category)}
    and (
      owning_organisation_id = ${ORG}
      or (
        case sharing
          when 'NAMED_ORGANISATIONS' then ${ORG} = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then ${IS_POLICE}
          when 'ALL_PARTNERS' then true
          else false
        end
        and (
          ${IS_POLICE}
          or soc_marking_rank(protective_marking) <= coalesce(((select soc_caller_agreement_ranks('${category}')) ->> owning_organisation_id::text)::int, -1)
        )
      )
    ))`;
}

/** The access migration's per-category read rules (readRule there), same logic, per-statement caller checks. */
function fastRule(table: string, category: string): string {
  switch (table) {
    case 'safeguarding_referral':
      return `${clearanceAndRole(category)} and (${ORG} in (referring_organisation_id, receiving_organisation_id) or 'AUDITOR' = any (${ROLES}))`;
    case 'nominal':
      return `(${IS_POLICE} and ${canRead(category)})
        or (not ${IS_POLICE} and ${clearanceAndRole(category)}
            and (owning_organisation_id = ${ORG}
                 -- the caller's organisation must be party to the referral: an auditor reads
                 -- every referral, but that makes no nominal known to their organisation
                 or exists (select 1 from safeguarding_referral r
                              where r.subject_id = nominal.id and ${ORG} in (r.referring_organisation_id, r.receiving_organisation_id))))`;
    case 'disruption':
      return `(${IS_POLICE} and ${canRead(category)})
        or (not ${IS_POLICE} and ${clearanceAndRole(category)}
            and (claiming_organisation_id = ${ORG} or ${ORG} = any (contributors)))`;
    case 'fourp_plan':
      return `${canRead(category)} or (not ${IS_POLICE} and ${clearanceAndRole(category)} and fourp_plan.id = any ((select soc_caller_action_plans())::uuid[]))`;
    default:
      return canRead(category);
  }
}

/** The access migration's rules exactly as it wrote them (for down()). */
function originalRule(table: string, category: string): string {
  const common = `soc_can_read('${category}', owning_organisation_id, protective_marking, sharing, shared_with)`;
  const clearanceAndRoleOld = `soc_marking_rank(protective_marking) <= soc_caller_clearance_rank()
      and exists (select 1 from access_role_grant g where g.data_category = '${category}' and g.role = any (soc_caller_roles()))`;
  switch (table) {
    case 'safeguarding_referral':
      return `${clearanceAndRoleOld} and (soc_caller_org() in (referring_organisation_id, receiving_organisation_id) or 'AUDITOR' = any (soc_caller_roles()))`;
    case 'nominal':
      return `(soc_caller_is_law_enforcement() and ${common})
          or (not soc_caller_is_law_enforcement() and ${clearanceAndRoleOld}
              and (owning_organisation_id = soc_caller_org()
                   or exists (select 1 from safeguarding_referral r where r.subject_id = nominal.id)))`;
    case 'disruption':
      return `(soc_caller_is_law_enforcement() and ${common})
          or (not soc_caller_is_law_enforcement() and ${clearanceAndRoleOld}
              and (claiming_organisation_id = soc_caller_org() or soc_caller_org() = any (contributors)))`;
    case 'fourp_plan':
      return `${common} or (not soc_caller_is_law_enforcement() and ${clearanceAndRoleOld} and soc_caller_owns_action_in(fourp_plan.id))`;
    default:
      return common;
  }
}

export class Migration20261125001300_read_performance extends Migration {
  override async up(): Promise<void> {
    for (const sql of [MAY_READ, AGREEMENT_RANKS, ACTION_PLANS]) this.addSql(sql);
    this.addSql(`revoke all on function ${NEW_FUNCTIONS.join(', ')} from public`);
    this.addSql(`grant execute on function ${NEW_FUNCTIONS.join(', ')} to soc_app`);
    for (const { table, category } of SHARED_TABLES) {
      const rule = fastRule(table, category);
      this.addSql(`alter policy ${table}_read on ${table} using (${rule})`);
      this.addSql(`alter policy ${table}_update on ${table} using (${rule})`);
      this.addSql(`alter policy ${table}_insert on ${table} with check (owning_organisation_id = ${ORG})`);
      this.addSql(`alter policy ${table}_delete on ${table} using (owning_organisation_id = ${ORG})`);
    }
    this.indexes();
  }

  /**
   * The threats list's default order (most recently updated first, then id), read from an index:
   * a page stops after its rows instead of sorting every visible threat. It carries the columns
   * the access rules read, so the page's total is counted from the index alone (no heap visits).
   */
  private indexes(): void {
    this.addSql(`create index if not exists soc_threat_updated_idx on soc_threat (updated_at desc, id)
      include (owning_organisation_id, protective_marking, sharing, shared_with)`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists soc_threat_updated_idx');
    for (const { table, category } of SHARED_TABLES) {
      const rule = originalRule(table, category);
      this.addSql(`alter policy ${table}_read on ${table} using (${rule})`);
      this.addSql(`alter policy ${table}_update on ${table} using (${rule})`);
      this.addSql(`alter policy ${table}_insert on ${table} with check (owning_organisation_id = soc_caller_org())`);
      this.addSql(`alter policy ${table}_delete on ${table} using (owning_organisation_id = soc_caller_org())`);
    }
    this.addSql(`drop function ${NEW_FUNCTIONS.join(', ')}`);
  }
}
