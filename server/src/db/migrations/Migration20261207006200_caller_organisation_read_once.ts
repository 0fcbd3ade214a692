import { Migration } from '@mikro-orm/migrations';

/**
 * The functions that a policy asks once per statement, and that read a table, read the caller's
 * organisation once (an init plan, `(select soc_caller_org())`), not for every row they scan.
 *
 * `soc_caller_org() in (referring, receiving)` was evaluated for each referral scanned: a setting
 * read and a text-to-uuid cast, twice per referral. For a partner party to every one of the
 * bench's 20,000 referrals that was most of what the lists of their referral subjects cost:
 * soc_caller_referral_parties() took 26 ms (best of eight, load 4) against 6 ms with the
 * organisation read once, soc_caller_referral_subjects() 21 ms against 12 ms. A partner's list
 * of people asks each of them twice in the page's statement and once in its count. The others
 * change the same way so that one rule holds for all (test/access/catalogue-policies.test.ts).
 *
 * The same answers, attributes, owners and grants (create or replace keeps them). The four
 * generated functions are frozen here as `npm run -s access:policies` prints them
 * (server/src/access/row-level-security.sql.ts, RULE_FUNCTIONS); the catalogue test fails when the
 * database and the catalogue differ. down() puts back the bodies as
 * Migration20261207006100_policy_functions_planned_once and Migration20261206006000_referral_parties
 * left them.
 */
const functions = (org: string) => [
  `create or replace function soc_caller_agreement_ranks(category text) returns jsonb
  language plpgsql stable parallel safe security definer set search_path = public as $$
  begin
    return (select coalesce(jsonb_object_agg(party, rank), '{}'::jsonb)
      from (
        select party, max(soc_marking_rank(a.max_protective_marking)) as rank
          from information_sharing_agreement a cross join unnest(a.parties) as party
         where a.status = 'ACTIVE' and current_date >= a.effective_from and current_date < a.expires_on
           and ${org} = any (a.parties)
           and category = any (a.data_categories)
         group by party
      ) ranks);
  end
  $$`,
  `create or replace function soc_caller_is_regional_unit() returns boolean
  language plpgsql stable parallel safe as $$
  begin
    return exists (select 1 from organisation o where o.id = ${org} and o.type = 'ROCU');
  end
  $$`,
  `create or replace function soc_caller_referral_subjects() returns uuid[]
  language plpgsql stable security definer parallel safe set search_path = public as $$
  begin
    return (select coalesce(array_agg(distinct r.subject_id), '{}')
      from safeguarding_referral r join nominal n on n.id = r.subject_id
     where ${org} in (r.referring_organisation_id, r.receiving_organisation_id)
       and n.owning_organisation_id in (r.referring_organisation_id, r.receiving_organisation_id));
  end
  $$`,
  `create or replace function soc_caller_action_plans() returns uuid[]
  language plpgsql stable security definer parallel safe set search_path = public as $$
  begin
    return (select coalesce(array_agg(distinct a.plan_id), '{}') from plan_action a where a.owner_organisation_id = ${org});
  end
  $$`,
  `create or replace function soc_caller_disseminated_reports() returns uuid[]
  language plpgsql stable security definer parallel safe set search_path = public as $$
  begin
    return (select coalesce(array_agg(distinct d.report_id), '{}') from intelligence_dissemination d where d.recipient_organisation_id = ${org});
  end
  $$`,
  `create or replace function soc_caller_referral_parties()
        returns table (subject_id uuid, party_id uuid)
      language sql stable security definer parallel safe set search_path = public as $$
        select r.subject_id, party.id
          from safeguarding_referral r
          cross join lateral (values (r.referring_organisation_id), (r.receiving_organisation_id)) as party (id)
         where ${org} in (r.referring_organisation_id, r.receiving_organisation_id)
      $$`,
];

export class Migration20261207006200_caller_organisation_read_once extends Migration {
  override async up(): Promise<void> {
    for (const sql of functions('(select soc_caller_org())')) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const sql of functions('soc_caller_org()')) this.addSql(sql);
  }
}
