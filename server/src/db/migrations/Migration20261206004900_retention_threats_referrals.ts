import { Migration } from '@mikro-orm/migrations';

/**
 * Retention reviews (MoPI) for threats and safeguarding referrals too (issue 19), beside people
 * and intelligence reports (Migration20261206004400_retention_reviews.ts).
 *
 * - `next_review_on` on `soc_threat` and `safeguarding_referral`: set on creation from the review
 *   periods (server/src/modules/retention/retention-periods.ts); the default (six years) gives
 *   existing rows their first review and covers rows written outside the services.
 * - A threat's 4P plan, disruptions and the analytical requests made for it (or its plan) are read
 *   only with it and are about it: they are disposed of with it, each keeping a tombstone of its
 *   own (`disposed_with` names the threat), so audit events naming them still resolve.
 * - `soc_dispose_threat_dependants(threat)`: the tombstones, the deletions and the emptying of
 *   their history, for a threat the caller's organisation has just given a tombstone. The plan,
 *   disruptions and requests may belong to other organisations, which the application role could
 *   not remove or give a tombstone.
 * - `soc_purge_disposed_threat_links(threat)`: a link between two threats is part of both, so its
 *   history (with its reason) is also filed under the other threat; those rows are emptied too.
 */
const REVIEWED = `'Nominal', 'IntelligenceReport', 'SocThreat', 'SafeguardingReferral'`;
const DISPOSED = `${REVIEWED}, 'FourPPlan', 'Disruption', 'AnalyticalRequest'`;
const EMPTIED = `(select coalesce(jsonb_object_agg(k, null), '{}'::jsonb) from jsonb_object_keys(changes) k)`;

export class Migration20261206004900_retention_threats_referrals extends Migration {
  override async up(): Promise<void> {
    for (const table of ['soc_threat', 'safeguarding_referral']) {
      this.addSql(`alter table ${table} add column next_review_on date default ((current_date + interval '6 years')::date)`);
      this.addSql(`create index ${table}_retention_idx on ${table} (owning_organisation_id, next_review_on)`);
    }
    this.addSql('alter table retention_review drop constraint retention_review_record_type_check');
    this.addSql(`alter table retention_review add constraint retention_review_record_type_check check (record_type in (${REVIEWED}))`);
    this.addSql('alter table disposed_record drop constraint disposed_record_record_type_check');
    this.addSql(`alter table disposed_record add constraint disposed_record_record_type_check check (record_type in (${DISPOSED}))`);
    this.addSql('alter table disposed_record add column disposed_with uuid');
    this.addSql('create index disposed_record_with_idx on disposed_record (disposed_with) where disposed_with is not null');

    this.addSql(`
      create function soc_dispose_threat_dependants(threat uuid) returns integer
      language plpgsql security definer set search_path = public as $$
      declare
        tomb disposed_record;
        plans uuid[];
        disruptions uuid[];
        requests uuid[];
      begin
        select * into tomb from disposed_record d
         where d.record_id = threat and d.record_type = 'SocThreat' and d.organisation_id = soc_caller_org();
        if not found then
          raise exception 'only a threat the caller''s organisation disposed of has its plan, disruptions and requests disposed of';
        end if;
        select coalesce(array_agg(id), '{}') into plans from fourp_plan where threat_id = threat;
        select coalesce(array_agg(id), '{}') into disruptions from disruption where threat_id = threat;
        select coalesce(array_agg(id), '{}') into requests from analytical_request where threat_id = threat or plan_id = any (plans);

        insert into disposed_record (record_id, record_type, organisation_id, disposed_by, reason, disposed_with)
        select id, 'FourPPlan', owning_organisation_id, tomb.disposed_by, tomb.reason, threat from fourp_plan where id = any (plans)
        union all
        select id, 'Disruption', owning_organisation_id, tomb.disposed_by, tomb.reason, threat from disruption where id = any (disruptions)
        union all
        select id, 'AnalyticalRequest', owning_organisation_id, tomb.disposed_by, tomb.reason, threat from analytical_request where id = any (requests);

        delete from analytical_request where id = any (requests);
        -- Other threats' disruptions pointing at these (a suspected duplicate, an activity, a plan action) lose the pointer.
        update disruption set possible_duplicate_of = null where possible_duplicate_of = any (disruptions) and not (id = any (disruptions));
        update disruption set criminal_activity_id = null
         where criminal_activity_id in (select c.id from criminal_activity c where c.threat_id = threat) and not (id = any (disruptions));
        update disruption set plan_action_id = null
         where plan_action_id in (select a.id from plan_action a where a.plan_id = any (plans)) and not (id = any (disruptions));
        delete from disruption where id = any (disruptions);
        delete from fourp_plan where id = any (plans);
        -- Which fields changed, when and by whom stay; what they held goes.
        update record_version set changes = ${EMPTIED} where record_id = any (plans || disruptions || requests);
        return cardinality(plans) + cardinality(disruptions) + cardinality(requests);
      end
      $$`);
    this.addSql(`
      create function soc_purge_disposed_threat_links(threat uuid) returns integer
      language plpgsql security definer set search_path = public as $$
      declare
        purged integer;
      begin
        if not exists (select 1 from disposed_record d where d.record_id = threat and d.record_type = 'SocThreat' and d.organisation_id = soc_caller_org()) then
          raise exception 'only a threat the caller''s organisation disposed of has its links'' history purged';
        end if;
        update record_version set changes = ${EMPTIED}
         where part = 'linkedThreat' and record_type = 'SocThreat' and record_id <> threat
           and (changes -> 'threat_id' ->> 'from' = threat::text or changes -> 'threat_id' ->> 'to' = threat::text
             or changes -> 'linked_threat_id' ->> 'from' = threat::text or changes -> 'linked_threat_id' ->> 'to' = threat::text);
        get diagnostics purged = row_count;
        return purged;
      end
      $$`);
    for (const fn of ['soc_dispose_threat_dependants', 'soc_purge_disposed_threat_links']) {
      this.addSql(`revoke all on function ${fn}(uuid) from public`);
      this.addSql(`grant execute on function ${fn}(uuid) to soc_app`);
    }
  }

  override async down(): Promise<void> {
    this.addSql('drop function soc_purge_disposed_threat_links');
    this.addSql('drop function soc_dispose_threat_dependants');
    this.addSql('drop index disposed_record_with_idx');
    this.addSql('alter table disposed_record drop column disposed_with');
    this.addSql('alter table disposed_record drop constraint disposed_record_record_type_check');
    this.addSql(`alter table disposed_record add constraint disposed_record_record_type_check check (record_type in ('Nominal', 'IntelligenceReport'))`);
    this.addSql('alter table retention_review drop constraint retention_review_record_type_check');
    this.addSql(`alter table retention_review add constraint retention_review_record_type_check check (record_type in ('Nominal', 'IntelligenceReport'))`);
    for (const table of ['soc_threat', 'safeguarding_referral']) this.addSql(`alter table ${table} drop column next_review_on`);
  }
}
