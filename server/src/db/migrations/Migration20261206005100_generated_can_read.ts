import { Migration } from '@mikro-orm/migrations';

/**
 * soc_can_read generated from the access catalogue (issue 16), like the policies since
 * Migration20261205003900_access_catalogue_policies: what `npm run -s access:policies` printed for
 * it (server/src/access/row-level-security.sql.ts, canReadFunction), frozen as text, so that a
 * committed migration never changes when the catalogue does. test/access/catalogue-policies.test.ts
 * fails when the function in the database (pg_get_functiondef) differs from what the catalogue
 * generates. The rest of that output is unchanged since Migration20261205004210 and is not repeated.
 *
 * It was written by hand (Migration20261125000800_access, Migration20261125000900_sharing): owner,
 * or sharing with an agreement for partners, the same for every category. Now each category says
 * what its kind's catalogue entry says of those columns, in the words of its read policy: nominals
 * and intelligence reached by sharing for law enforcement only, disruptions owned or shared for
 * law enforcement only, referrals (their parties, whatever the sharing) not by these columns at
 * all. Its one caller, live/visibility.ts (visibleBefore), asks only of kinds that marking and
 * sharing alone decide for the caller's kind of organisation, for which the answers are as before;
 * the agreement is read through soc_caller_agreement_ranks, as the policies read it, instead of
 * soc_caller_has_agreement (which stays, unused).
 *
 * down() puts back the hand-written function as Migration20261125000900_sharing left it.
 */
const UP = `
create or replace function soc_can_read(category text, owner uuid, marking text, sharing text, shared_with uuid[]) returns boolean
  language sql stable as $$
    select coalesce(case category
    when 'THREAT' then soc_marking_rank(marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('THREAT'))
    and ((owner = (select soc_caller_org()))
      or ((case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end) and ((select soc_caller_is_law_enforcement()) or soc_marking_rank(marking) <= coalesce(((select soc_caller_agreement_ranks('THREAT')) ->> owner::text)::int, -1))))
    when 'NOMINAL' then soc_marking_rank(marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('NOMINAL'))
    and ((owner = (select soc_caller_org()))
      or ((select soc_caller_is_law_enforcement()) and (case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end)))
    when 'PLAN' then soc_marking_rank(marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('PLAN'))
    and ((owner = (select soc_caller_org()))
      or ((case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end) and ((select soc_caller_is_law_enforcement()) or soc_marking_rank(marking) <= coalesce(((select soc_caller_agreement_ranks('PLAN')) ->> owner::text)::int, -1))))
    when 'DISRUPTION' then soc_marking_rank(marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('DISRUPTION'))
    and (((select soc_caller_is_law_enforcement()) and (owner = (select soc_caller_org())))
      or ((select soc_caller_is_law_enforcement()) and (case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end)))
    when 'PRACTICE' then soc_marking_rank(marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('PRACTICE'))
    and ((owner = (select soc_caller_org()))
      or ((case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end) and ((select soc_caller_is_law_enforcement()) or soc_marking_rank(marking) <= coalesce(((select soc_caller_agreement_ranks('PRACTICE')) ->> owner::text)::int, -1))))
    when 'INTELLIGENCE' then soc_marking_rank(marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('INTELLIGENCE'))
    and ((owner = (select soc_caller_org()))
      or ((select soc_caller_is_law_enforcement()) and (case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end)))
    when 'ANALYTICAL_REQUEST' then soc_marking_rank(marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('ANALYTICAL_REQUEST'))
    and ((owner = (select soc_caller_org()))
      or ((case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end) and ((select soc_caller_is_law_enforcement()) or soc_marking_rank(marking) <= coalesce(((select soc_caller_agreement_ranks('ANALYTICAL_REQUEST')) ->> owner::text)::int, -1))))
    else false end, false)
  $$`;

const DOWN = `
      create or replace function soc_can_read(category text, owner uuid, marking text, sharing text, shared_with uuid[]) returns boolean
      language sql stable as $$
        select soc_marking_rank(marking) <= soc_caller_clearance_rank()
          and exists (select 1 from access_role_grant g where g.data_category = category and g.role = any (soc_caller_roles()))
          and (
            owner = soc_caller_org()
            or (
              case sharing
                when 'NAMED_ORGANISATIONS' then soc_caller_org() = any (shared_with)
                when 'REGIONAL_LAW_ENFORCEMENT' then soc_caller_is_law_enforcement()
                when 'ALL_PARTNERS' then true
                else false
              end
              and (soc_caller_is_law_enforcement() or soc_caller_has_agreement(owner, category, marking))
            )
          )
      $$`;

export class Migration20261206005100_generated_can_read extends Migration {
  override async up(): Promise<void> {
    this.addSql(UP);
  }

  override async down(): Promise<void> {
    this.addSql(DOWN);
  }
}
