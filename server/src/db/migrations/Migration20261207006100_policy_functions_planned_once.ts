import { Migration } from '@mikro-orm/migrations';

/**
 * The functions the row-level security policies ask once per statement, and that read a table,
 * become PL/pgSQL: planned once per connection instead of at every call.
 *
 * A policy asks for the caller's facts as `(select soc_caller_...())`, evaluated once per
 * statement. PostgreSQL inlines a SQL function that is a plain expression (soc_caller_org and the
 * like cost a microsecond), but one that reads a table, or is a security definer, it cannot
 * inline, and it plans that function's body again at every call: 45 µs for soc_caller_may_read and
 * 130-250 µs for soc_caller_agreement_ranks here, each asked once for every table a statement
 * reads (twice for a threat read by node(id): the threat and the application policy's subquery
 * over it). PL/pgSQL keeps its plans for the connection's life: 30 µs for the same agreements.
 * Measured with pgbench on the bench data (prepared, one client, interleaved, at load 9): a
 * partner's node(id) transaction 0.88-0.93 ms with the SQL functions, 0.42-0.46 ms with these.
 *
 * The same answers, the same attributes (stable, parallel safe; security definer with its
 * search_path where it was), owners and grants (create or replace keeps them). The four generated
 * ones are frozen here as `npm run -s access:policies` prints them
 * (server/src/access/row-level-security.sql.ts, callerIdsFunction and RULE_FUNCTIONS);
 * test/access/catalogue-policies.test.ts fails when the database and the catalogue differ, and
 * that a policy asks once per statement a SQL function reading a table.
 *
 * down() puts back the SQL functions as Migration20261205003900_access_catalogue_policies and
 * Migration20261205004210_analytical_request_policies left them.
 */
const UP = `
create or replace function soc_caller_agreement_ranks(category text) returns jsonb
  language plpgsql stable parallel safe security definer set search_path = public as $$
  begin
    return (select coalesce(jsonb_object_agg(party, rank), '{}'::jsonb)
      from (
        select party, max(soc_marking_rank(a.max_protective_marking)) as rank
          from information_sharing_agreement a cross join unnest(a.parties) as party
         where a.status = 'ACTIVE' and current_date >= a.effective_from and current_date < a.expires_on
           and soc_caller_org() = any (a.parties)
           and category = any (a.data_categories)
         group by party
      ) ranks);
  end
  $$;

create or replace function soc_caller_may_read(category text) returns boolean
  language plpgsql stable parallel safe as $$
  begin
    return exists (select 1 from access_role_grant g where g.data_category = category and g.role = any (soc_caller_roles()));
  end
  $$;

create or replace function soc_caller_referral_subjects() returns uuid[]
  language plpgsql stable security definer parallel safe set search_path = public as $$
  begin
    return (select coalesce(array_agg(distinct r.subject_id), '{}')
      from safeguarding_referral r join nominal n on n.id = r.subject_id
     where soc_caller_org() in (r.referring_organisation_id, r.receiving_organisation_id)
       and n.owning_organisation_id in (r.referring_organisation_id, r.receiving_organisation_id));
  end
  $$;

create or replace function soc_caller_action_plans() returns uuid[]
  language plpgsql stable security definer parallel safe set search_path = public as $$
  begin
    return (select coalesce(array_agg(distinct a.plan_id), '{}') from plan_action a where a.owner_organisation_id = soc_caller_org());
  end
  $$;

create or replace function soc_caller_is_regional_unit() returns boolean
  language plpgsql stable parallel safe as $$
  begin
    return exists (select 1 from organisation o where o.id = soc_caller_org() and o.type = 'ROCU');
  end
  $$;

create or replace function soc_caller_disseminated_reports() returns uuid[]
  language plpgsql stable security definer parallel safe set search_path = public as $$
  begin
    return (select coalesce(array_agg(distinct d.report_id), '{}') from intelligence_dissemination d where d.recipient_organisation_id = soc_caller_org());
  end
  $$;
`;

const DOWN = `
create or replace function soc_caller_agreement_ranks(category text) returns jsonb
  language sql stable parallel safe security definer set search_path = public as $$
    select coalesce(jsonb_object_agg(party, rank), '{}'::jsonb)
      from (
        select party, max(soc_marking_rank(a.max_protective_marking)) as rank
          from information_sharing_agreement a cross join unnest(a.parties) as party
         where a.status = 'ACTIVE' and current_date >= a.effective_from and current_date < a.expires_on
           and soc_caller_org() = any (a.parties)
           and category = any (a.data_categories)
         group by party
      ) ranks
  $$;

create or replace function soc_caller_may_read(category text) returns boolean
  language sql stable parallel safe as $$
    select exists (select 1 from access_role_grant g where g.data_category = category and g.role = any (soc_caller_roles()))
  $$;

create or replace function soc_caller_referral_subjects() returns uuid[]
  language sql stable security definer parallel safe set search_path = public as $$
    select coalesce(array_agg(distinct r.subject_id), '{}')
      from safeguarding_referral r join nominal n on n.id = r.subject_id
     where soc_caller_org() in (r.referring_organisation_id, r.receiving_organisation_id)
       and n.owning_organisation_id in (r.referring_organisation_id, r.receiving_organisation_id)
  $$;

create or replace function soc_caller_action_plans() returns uuid[]
  language sql stable security definer parallel safe set search_path = public as $$
    select coalesce(array_agg(distinct a.plan_id), '{}') from plan_action a where a.owner_organisation_id = soc_caller_org()
  $$;

create or replace function soc_caller_is_regional_unit() returns boolean
  language sql stable parallel safe as $$
    select exists (select 1 from organisation o where o.id = soc_caller_org() and o.type = 'ROCU')
  $$;

create or replace function soc_caller_disseminated_reports() returns uuid[]
  language sql stable security definer parallel safe set search_path = public as $$
    select coalesce(array_agg(distinct d.report_id), '{}') from intelligence_dissemination d where d.recipient_organisation_id = soc_caller_org()
  $$;
`;

export class Migration20261207006100_policy_functions_planned_once extends Migration {
  override async up(): Promise<void> {
    this.addSql(UP);
  }

  override async down(): Promise<void> {
    this.addSql(DOWN);
  }
}
