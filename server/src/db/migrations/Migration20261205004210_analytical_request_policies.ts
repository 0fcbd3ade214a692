import { Migration } from '@mikro-orm/migrations';

/**
 * Row-level security for analytical requests (Migration20261205004200_analytical_requests): what
 * `npm run -s access:policies` printed from the access catalogue (server/src/access/catalogue.ts)
 * once AnalyticalRequest was added, frozen as text (a migration never changes when the catalogue
 * does). Only the analytical_request policies and the history policy (which now names the new
 * kind) differ from what Migration20261205003900_access_catalogue_policies left; the rest is the
 * same statements again, each idempotent. test/access/catalogue-policies.test.ts compares them.
 *
 * down() puts back the history policy without the new kind (the table's own policies go with it).
 */
const UP = `
create or replace function soc_could_read_then(record_type text, owner uuid, state jsonb) returns boolean
  language sql stable as $$
    select coalesce(state ? 'marking' and soc_marking_rank(state ->> 'marking') <= soc_caller_clearance_rank()
      and (owner = soc_caller_org()
        or (record_type = 'Disruption' and not soc_caller_is_law_enforcement())
        or record_type = 'SafeguardingReferral'
        or case state ->> 'sharing'
             when 'ALL_PARTNERS' then true
             when 'REGIONAL_LAW_ENFORCEMENT' then soc_caller_is_law_enforcement()
             when 'NAMED_ORGANISATIONS' then soc_caller_org()::text in (select jsonb_array_elements_text(state -> 'shared_with'))
             else false
           end), false)
  $$;

create or replace function soc_caller_referral_subjects() returns uuid[]
  language sql stable security definer parallel safe set search_path = public as $$
    select coalesce(array_agg(distinct r.subject_id), '{}')
      from safeguarding_referral r join nominal n on n.id = r.subject_id
     where soc_caller_org() in (r.referring_organisation_id, r.receiving_organisation_id)
       and n.owning_organisation_id in (r.referring_organisation_id, r.receiving_organisation_id)
  $$;

revoke all on function soc_caller_referral_subjects() from public;

grant execute on function soc_caller_referral_subjects() to soc_app;

create or replace function soc_caller_action_plans() returns uuid[]
  language sql stable security definer parallel safe set search_path = public as $$
    select coalesce(array_agg(distinct a.plan_id), '{}') from plan_action a where a.owner_organisation_id = soc_caller_org()
  $$;

revoke all on function soc_caller_action_plans() from public;

grant execute on function soc_caller_action_plans() to soc_app;

create or replace function soc_caller_disseminated_reports() returns uuid[]
  language sql stable security definer parallel safe set search_path = public as $$
    select coalesce(array_agg(distinct d.report_id), '{}') from intelligence_dissemination d where d.recipient_organisation_id = soc_caller_org()
  $$;

revoke all on function soc_caller_disseminated_reports() from public;

grant execute on function soc_caller_disseminated_reports() to soc_app;

alter table soc_threat enable row level security, force row level security;

alter table nominal enable row level security, force row level security;

alter table fourp_plan enable row level security, force row level security;

alter table disruption enable row level security, force row level security;

alter table safeguarding_referral enable row level security, force row level security;

alter table practice_entry enable row level security, force row level security;

alter table intelligence_report enable row level security, force row level security;

alter table analytical_request enable row level security, force row level security;

alter table criminal_activity enable row level security, force row level security;

alter table membership enable row level security, force row level security;

alter table threat_link enable row level security, force row level security;

alter table threat_assessment enable row level security, force row level security;

alter table plan_objective enable row level security, force row level security;

alter table plan_action enable row level security, force row level security;

alter table plan_partner enable row level security, force row level security;

alter table plan_entry enable row level security, force row level security;

alter table plan_review enable row level security, force row level security;

alter table referral_update enable row level security, force row level security;

alter table practice_endorsement enable row level security, force row level security;

alter table intelligence_dissemination enable row level security, force row level security;

drop policy if exists soc_threat_read on soc_threat;

create policy soc_threat_read on soc_threat for select to soc_app using (soc_marking_rank(protective_marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('THREAT'))
    and ((owning_organisation_id = (select soc_caller_org()))
      or ((case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end) and ((select soc_caller_is_law_enforcement()) or soc_marking_rank(protective_marking) <= coalesce(((select soc_caller_agreement_ranks('THREAT')) ->> owning_organisation_id::text)::int, -1)))));

drop policy if exists soc_threat_insert on soc_threat;

create policy soc_threat_insert on soc_threat for insert to soc_app with check (owning_organisation_id = (select soc_caller_org()));

drop policy if exists soc_threat_update on soc_threat;

create policy soc_threat_update on soc_threat for update to soc_app using (soc_marking_rank(protective_marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('THREAT'))
    and ((owning_organisation_id = (select soc_caller_org()))
      or ((case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end) and ((select soc_caller_is_law_enforcement()) or soc_marking_rank(protective_marking) <= coalesce(((select soc_caller_agreement_ranks('THREAT')) ->> owning_organisation_id::text)::int, -1))))) with check (true);

drop policy if exists soc_threat_delete on soc_threat;

create policy soc_threat_delete on soc_threat for delete to soc_app using (owning_organisation_id = (select soc_caller_org()));

drop policy if exists nominal_read on nominal;

create policy nominal_read on nominal for select to soc_app using (soc_marking_rank(protective_marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('NOMINAL'))
    and ((owning_organisation_id = (select soc_caller_org()))
      or ((nominal.id = any ((select soc_caller_referral_subjects())::uuid[])) and ((select soc_caller_is_law_enforcement()) or soc_marking_rank(protective_marking) <= coalesce(((select soc_caller_agreement_ranks('NOMINAL')) ->> owning_organisation_id::text)::int, -1)))
      or ((select soc_caller_is_law_enforcement()) and (case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end))));

drop policy if exists nominal_insert on nominal;

create policy nominal_insert on nominal for insert to soc_app with check (owning_organisation_id = (select soc_caller_org()));

drop policy if exists nominal_update on nominal;

create policy nominal_update on nominal for update to soc_app using (soc_marking_rank(protective_marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('NOMINAL'))
    and ((owning_organisation_id = (select soc_caller_org()))
      or ((nominal.id = any ((select soc_caller_referral_subjects())::uuid[])) and ((select soc_caller_is_law_enforcement()) or soc_marking_rank(protective_marking) <= coalesce(((select soc_caller_agreement_ranks('NOMINAL')) ->> owning_organisation_id::text)::int, -1)))
      or ((select soc_caller_is_law_enforcement()) and (case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end)))) with check (true);

drop policy if exists nominal_delete on nominal;

create policy nominal_delete on nominal for delete to soc_app using (owning_organisation_id = (select soc_caller_org()));

drop policy if exists fourp_plan_read on fourp_plan;

create policy fourp_plan_read on fourp_plan for select to soc_app using (soc_marking_rank(protective_marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('PLAN'))
    and ((owning_organisation_id = (select soc_caller_org()))
      or ((case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end) and ((select soc_caller_is_law_enforcement()) or soc_marking_rank(protective_marking) <= coalesce(((select soc_caller_agreement_ranks('PLAN')) ->> owning_organisation_id::text)::int, -1)))
      or (not (select soc_caller_is_law_enforcement()) and (fourp_plan.id = any ((select soc_caller_action_plans())::uuid[])))));

drop policy if exists fourp_plan_insert on fourp_plan;

create policy fourp_plan_insert on fourp_plan for insert to soc_app with check (owning_organisation_id = (select soc_caller_org()));

drop policy if exists fourp_plan_update on fourp_plan;

create policy fourp_plan_update on fourp_plan for update to soc_app using (soc_marking_rank(protective_marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('PLAN'))
    and ((owning_organisation_id = (select soc_caller_org()))
      or ((case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end) and ((select soc_caller_is_law_enforcement()) or soc_marking_rank(protective_marking) <= coalesce(((select soc_caller_agreement_ranks('PLAN')) ->> owning_organisation_id::text)::int, -1)))
      or (not (select soc_caller_is_law_enforcement()) and (fourp_plan.id = any ((select soc_caller_action_plans())::uuid[]))))) with check (true);

drop policy if exists fourp_plan_delete on fourp_plan;

create policy fourp_plan_delete on fourp_plan for delete to soc_app using (owning_organisation_id = (select soc_caller_org()));

drop policy if exists fourp_plan_threat_visible on fourp_plan;

create policy fourp_plan_threat_visible on fourp_plan as restrictive for all to soc_app using (exists (select 1 from soc_threat t where t.id = fourp_plan.threat_id)) with check (exists (select 1 from soc_threat t where t.id = fourp_plan.threat_id));

drop policy if exists disruption_read on disruption;

create policy disruption_read on disruption for select to soc_app using (soc_marking_rank(protective_marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('DISRUPTION'))
    and (((select soc_caller_is_law_enforcement()) and (owning_organisation_id = (select soc_caller_org())))
      or ((select soc_caller_is_law_enforcement()) and (case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end))
      or (not (select soc_caller_is_law_enforcement()) and ((claiming_organisation_id = (select soc_caller_org()) or (select soc_caller_org()) = any (contributors))))));

drop policy if exists disruption_insert on disruption;

create policy disruption_insert on disruption for insert to soc_app with check (owning_organisation_id = (select soc_caller_org()));

drop policy if exists disruption_update on disruption;

create policy disruption_update on disruption for update to soc_app using (soc_marking_rank(protective_marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('DISRUPTION'))
    and (((select soc_caller_is_law_enforcement()) and (owning_organisation_id = (select soc_caller_org())))
      or ((select soc_caller_is_law_enforcement()) and (case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end))
      or (not (select soc_caller_is_law_enforcement()) and ((claiming_organisation_id = (select soc_caller_org()) or (select soc_caller_org()) = any (contributors)))))) with check (true);

drop policy if exists disruption_delete on disruption;

create policy disruption_delete on disruption for delete to soc_app using (owning_organisation_id = (select soc_caller_org()));

drop policy if exists disruption_threat_visible on disruption;

create policy disruption_threat_visible on disruption as restrictive for all to soc_app using (exists (select 1 from soc_threat t where t.id = disruption.threat_id)) with check (exists (select 1 from soc_threat t where t.id = disruption.threat_id));

drop policy if exists safeguarding_referral_read on safeguarding_referral;

create policy safeguarding_referral_read on safeguarding_referral for select to soc_app using (soc_marking_rank(protective_marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('REFERRAL'))
    and (((select soc_caller_org()) in (referring_organisation_id, receiving_organisation_id))
      or ('AUDITOR' = any ((select soc_caller_roles())::text[]))
      or ((select soc_caller_is_regional_unit()) and exists (select 1 from soc_threat t where t.id = any (safeguarding_referral.linked_threat_ids)))));

drop policy if exists safeguarding_referral_insert on safeguarding_referral;

create policy safeguarding_referral_insert on safeguarding_referral for insert to soc_app with check (owning_organisation_id = (select soc_caller_org()));

drop policy if exists safeguarding_referral_update on safeguarding_referral;

create policy safeguarding_referral_update on safeguarding_referral for update to soc_app using (soc_marking_rank(protective_marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('REFERRAL'))
    and (((select soc_caller_org()) in (referring_organisation_id, receiving_organisation_id))
      or ('AUDITOR' = any ((select soc_caller_roles())::text[])))) with check (true);

drop policy if exists safeguarding_referral_delete on safeguarding_referral;

create policy safeguarding_referral_delete on safeguarding_referral for delete to soc_app using (owning_organisation_id = (select soc_caller_org()));

drop policy if exists practice_entry_read on practice_entry;

create policy practice_entry_read on practice_entry for select to soc_app using (soc_marking_rank(protective_marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('PRACTICE'))
    and ((owning_organisation_id = (select soc_caller_org()))
      or ((case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end) and ((select soc_caller_is_law_enforcement()) or soc_marking_rank(protective_marking) <= coalesce(((select soc_caller_agreement_ranks('PRACTICE')) ->> owning_organisation_id::text)::int, -1)))));

drop policy if exists practice_entry_insert on practice_entry;

create policy practice_entry_insert on practice_entry for insert to soc_app with check (owning_organisation_id = (select soc_caller_org()));

drop policy if exists practice_entry_update on practice_entry;

create policy practice_entry_update on practice_entry for update to soc_app using (soc_marking_rank(protective_marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('PRACTICE'))
    and ((owning_organisation_id = (select soc_caller_org()))
      or ((case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end) and ((select soc_caller_is_law_enforcement()) or soc_marking_rank(protective_marking) <= coalesce(((select soc_caller_agreement_ranks('PRACTICE')) ->> owning_organisation_id::text)::int, -1))))) with check (true);

drop policy if exists practice_entry_delete on practice_entry;

create policy practice_entry_delete on practice_entry for delete to soc_app using (owning_organisation_id = (select soc_caller_org()));

drop policy if exists intelligence_report_read on intelligence_report;

create policy intelligence_report_read on intelligence_report for select to soc_app using (soc_marking_rank(protective_marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('INTELLIGENCE'))
    and ((owning_organisation_id = (select soc_caller_org()))
      or ((select soc_caller_is_law_enforcement()) and (case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end))
      or (not (select soc_caller_is_law_enforcement()) and (intelligence_report.id = any ((select soc_caller_disseminated_reports())::uuid[])) and soc_marking_rank(protective_marking) <= coalesce(((select soc_caller_agreement_ranks('INTELLIGENCE')) ->> owning_organisation_id::text)::int, -1))));

drop policy if exists intelligence_report_insert on intelligence_report;

create policy intelligence_report_insert on intelligence_report for insert to soc_app with check (owning_organisation_id = (select soc_caller_org()));

drop policy if exists intelligence_report_update on intelligence_report;

create policy intelligence_report_update on intelligence_report for update to soc_app using (soc_marking_rank(protective_marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('INTELLIGENCE'))
    and ((owning_organisation_id = (select soc_caller_org()))
      or ((select soc_caller_is_law_enforcement()) and (case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end))
      or (not (select soc_caller_is_law_enforcement()) and (intelligence_report.id = any ((select soc_caller_disseminated_reports())::uuid[])) and soc_marking_rank(protective_marking) <= coalesce(((select soc_caller_agreement_ranks('INTELLIGENCE')) ->> owning_organisation_id::text)::int, -1)))) with check (owning_organisation_id = (select soc_caller_org()));

drop policy if exists intelligence_report_delete on intelligence_report;

create policy intelligence_report_delete on intelligence_report for delete to soc_app using (owning_organisation_id = (select soc_caller_org()));

drop policy if exists analytical_request_read on analytical_request;

create policy analytical_request_read on analytical_request for select to soc_app using (soc_marking_rank(protective_marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('ANALYTICAL_REQUEST'))
    and ((owning_organisation_id = (select soc_caller_org()))
      or ((case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end) and ((select soc_caller_is_law_enforcement()) or soc_marking_rank(protective_marking) <= coalesce(((select soc_caller_agreement_ranks('ANALYTICAL_REQUEST')) ->> owning_organisation_id::text)::int, -1)))));

drop policy if exists analytical_request_insert on analytical_request;

create policy analytical_request_insert on analytical_request for insert to soc_app with check (owning_organisation_id = (select soc_caller_org()));

drop policy if exists analytical_request_update on analytical_request;

create policy analytical_request_update on analytical_request for update to soc_app using (soc_marking_rank(protective_marking) <= (select soc_caller_clearance_rank()) and (select soc_caller_may_read('ANALYTICAL_REQUEST'))
    and ((owning_organisation_id = (select soc_caller_org()))
      or ((case sharing
          when 'NAMED_ORGANISATIONS' then (select soc_caller_org()) = any (shared_with)
          when 'REGIONAL_LAW_ENFORCEMENT' then (select soc_caller_is_law_enforcement())
          when 'ALL_PARTNERS' then true
          else false
        end) and ((select soc_caller_is_law_enforcement()) or soc_marking_rank(protective_marking) <= coalesce(((select soc_caller_agreement_ranks('ANALYTICAL_REQUEST')) ->> owning_organisation_id::text)::int, -1))))) with check (true);

drop policy if exists analytical_request_delete on analytical_request;

create policy analytical_request_delete on analytical_request for delete to soc_app using (owning_organisation_id = (select soc_caller_org()));

drop policy if exists criminal_activity_all on criminal_activity;

create policy criminal_activity_all on criminal_activity for all to soc_app using (exists (select 1 from soc_threat p where p.id = criminal_activity.threat_id)) with check (exists (select 1 from soc_threat p where p.id = criminal_activity.threat_id));

drop policy if exists membership_all on membership;

create policy membership_all on membership for all to soc_app using (exists (select 1 from soc_threat p where p.id = membership.threat_id)) with check (exists (select 1 from soc_threat p where p.id = membership.threat_id));

drop policy if exists threat_link_all on threat_link;

create policy threat_link_all on threat_link for all to soc_app using (exists (select 1 from soc_threat p where p.id = threat_link.threat_id)) with check (exists (select 1 from soc_threat p where p.id = threat_link.threat_id));

drop policy if exists threat_link_threat_visible on threat_link;

create policy threat_link_threat_visible on threat_link as restrictive for all to soc_app using (exists (select 1 from soc_threat t where t.id = threat_link.linked_threat_id)) with check (exists (select 1 from soc_threat t where t.id = threat_link.linked_threat_id));

drop policy if exists threat_assessment_all on threat_assessment;

create policy threat_assessment_all on threat_assessment for all to soc_app using (exists (select 1 from soc_threat p where p.id = threat_assessment.threat_id)) with check (exists (select 1 from soc_threat p where p.id = threat_assessment.threat_id));

drop policy if exists plan_objective_all on plan_objective;

create policy plan_objective_all on plan_objective for all to soc_app using (exists (select 1 from fourp_plan p where p.id = plan_objective.plan_id)) with check (exists (select 1 from fourp_plan p where p.id = plan_objective.plan_id));

drop policy if exists plan_action_all on plan_action;

create policy plan_action_all on plan_action for all to soc_app using (exists (select 1 from fourp_plan p where p.id = plan_action.plan_id)) with check (exists (select 1 from fourp_plan p where p.id = plan_action.plan_id));

drop policy if exists plan_partner_all on plan_partner;

create policy plan_partner_all on plan_partner for all to soc_app using (exists (select 1 from fourp_plan p where p.id = plan_partner.plan_id)) with check (exists (select 1 from fourp_plan p where p.id = plan_partner.plan_id));

drop policy if exists plan_entry_all on plan_entry;

create policy plan_entry_all on plan_entry for all to soc_app using (exists (select 1 from fourp_plan p where p.id = plan_entry.plan_id)) with check (exists (select 1 from fourp_plan p where p.id = plan_entry.plan_id));

drop policy if exists plan_review_all on plan_review;

create policy plan_review_all on plan_review for all to soc_app using (exists (select 1 from fourp_plan p where p.id = plan_review.plan_id)) with check (exists (select 1 from fourp_plan p where p.id = plan_review.plan_id));

drop policy if exists referral_update_all on referral_update;

create policy referral_update_all on referral_update for all to soc_app using (exists (select 1 from safeguarding_referral p where p.id = referral_update.referral_id)) with check (exists (select 1 from safeguarding_referral p where p.id = referral_update.referral_id));

drop policy if exists practice_endorsement_all on practice_endorsement;

create policy practice_endorsement_all on practice_endorsement for all to soc_app using (exists (select 1 from practice_entry p where p.id = practice_endorsement.entry_id)) with check (exists (select 1 from practice_entry p where p.id = practice_endorsement.entry_id));

drop policy if exists intelligence_dissemination_all on intelligence_dissemination;

create policy intelligence_dissemination_all on intelligence_dissemination for all to soc_app using (exists (select 1 from intelligence_report p where p.id = intelligence_dissemination.report_id)) with check (exists (select 1 from intelligence_report p where p.id = intelligence_dissemination.report_id and p.owning_organisation_id = (select soc_caller_org())));

drop policy if exists record_version_read on record_version;

create policy record_version_read on record_version for select to soc_app using (case record_type
    when 'SocThreat' then exists (select 1 from soc_threat r where r.id = record_version.record_id and soc_could_read_then('SocThreat', r.owning_organisation_id, record_version.access_after)
       and (record_version.action = 'CREATE' or record_version.part is not null or (select bool_and(k in ('protective_marking', 'sharing', 'shared_with')) from jsonb_object_keys(record_version.changes) k)
            or soc_could_read_then('SocThreat', r.owning_organisation_id, record_version.access_before)))
    when 'Nominal' then exists (select 1 from nominal r where r.id = record_version.record_id and soc_could_read_then('Nominal', r.owning_organisation_id, record_version.access_after)
       and (record_version.action = 'CREATE' or record_version.part is not null or (select bool_and(k in ('protective_marking', 'sharing', 'shared_with')) from jsonb_object_keys(record_version.changes) k)
            or soc_could_read_then('Nominal', r.owning_organisation_id, record_version.access_before)))
    when 'FourPPlan' then exists (select 1 from fourp_plan r where r.id = record_version.record_id and soc_could_read_then('FourPPlan', r.owning_organisation_id, record_version.access_after)
       and (record_version.action = 'CREATE' or record_version.part is not null or (select bool_and(k in ('protective_marking', 'sharing', 'shared_with')) from jsonb_object_keys(record_version.changes) k)
            or soc_could_read_then('FourPPlan', r.owning_organisation_id, record_version.access_before)))
    when 'Disruption' then exists (select 1 from disruption r where r.id = record_version.record_id and soc_could_read_then('Disruption', r.owning_organisation_id, record_version.access_after)
       and (record_version.action = 'CREATE' or record_version.part is not null or (select bool_and(k in ('protective_marking', 'sharing', 'shared_with')) from jsonb_object_keys(record_version.changes) k)
            or soc_could_read_then('Disruption', r.owning_organisation_id, record_version.access_before)))
    when 'SafeguardingReferral' then exists (select 1 from safeguarding_referral r where r.id = record_version.record_id and soc_could_read_then('SafeguardingReferral', r.owning_organisation_id, record_version.access_after)
       and (record_version.action = 'CREATE' or record_version.part is not null or (select bool_and(k in ('protective_marking', 'sharing', 'shared_with')) from jsonb_object_keys(record_version.changes) k)
            or soc_could_read_then('SafeguardingReferral', r.owning_organisation_id, record_version.access_before)))
    when 'PracticeEntry' then exists (select 1 from practice_entry r where r.id = record_version.record_id and soc_could_read_then('PracticeEntry', r.owning_organisation_id, record_version.access_after)
       and (record_version.action = 'CREATE' or record_version.part is not null or (select bool_and(k in ('protective_marking', 'sharing', 'shared_with')) from jsonb_object_keys(record_version.changes) k)
            or soc_could_read_then('PracticeEntry', r.owning_organisation_id, record_version.access_before)))
    when 'IntelligenceReport' then exists (select 1 from intelligence_report r where r.id = record_version.record_id and soc_could_read_then('IntelligenceReport', r.owning_organisation_id, record_version.access_after)
       and (record_version.action = 'CREATE' or record_version.part is not null or (select bool_and(k in ('protective_marking', 'sharing', 'shared_with')) from jsonb_object_keys(record_version.changes) k)
            or soc_could_read_then('IntelligenceReport', r.owning_organisation_id, record_version.access_before)))
    when 'AnalyticalRequest' then exists (select 1 from analytical_request r where r.id = record_version.record_id and soc_could_read_then('AnalyticalRequest', r.owning_organisation_id, record_version.access_after)
       and (record_version.action = 'CREATE' or record_version.part is not null or (select bool_and(k in ('protective_marking', 'sharing', 'shared_with')) from jsonb_object_keys(record_version.changes) k)
            or soc_could_read_then('AnalyticalRequest', r.owning_organisation_id, record_version.access_before)))
    else false end);
`;

const DOWN = `
drop policy if exists record_version_read on record_version;

create policy record_version_read on record_version for select to soc_app using (case record_type
    when 'SocThreat' then exists (select 1 from soc_threat r where r.id = record_version.record_id and soc_could_read_then('SocThreat', r.owning_organisation_id, record_version.access_after)
       and (record_version.action = 'CREATE' or record_version.part is not null or (select bool_and(k in ('protective_marking', 'sharing', 'shared_with')) from jsonb_object_keys(record_version.changes) k)
            or soc_could_read_then('SocThreat', r.owning_organisation_id, record_version.access_before)))
    when 'Nominal' then exists (select 1 from nominal r where r.id = record_version.record_id and soc_could_read_then('Nominal', r.owning_organisation_id, record_version.access_after)
       and (record_version.action = 'CREATE' or record_version.part is not null or (select bool_and(k in ('protective_marking', 'sharing', 'shared_with')) from jsonb_object_keys(record_version.changes) k)
            or soc_could_read_then('Nominal', r.owning_organisation_id, record_version.access_before)))
    when 'FourPPlan' then exists (select 1 from fourp_plan r where r.id = record_version.record_id and soc_could_read_then('FourPPlan', r.owning_organisation_id, record_version.access_after)
       and (record_version.action = 'CREATE' or record_version.part is not null or (select bool_and(k in ('protective_marking', 'sharing', 'shared_with')) from jsonb_object_keys(record_version.changes) k)
            or soc_could_read_then('FourPPlan', r.owning_organisation_id, record_version.access_before)))
    when 'Disruption' then exists (select 1 from disruption r where r.id = record_version.record_id and soc_could_read_then('Disruption', r.owning_organisation_id, record_version.access_after)
       and (record_version.action = 'CREATE' or record_version.part is not null or (select bool_and(k in ('protective_marking', 'sharing', 'shared_with')) from jsonb_object_keys(record_version.changes) k)
            or soc_could_read_then('Disruption', r.owning_organisation_id, record_version.access_before)))
    when 'SafeguardingReferral' then exists (select 1 from safeguarding_referral r where r.id = record_version.record_id and soc_could_read_then('SafeguardingReferral', r.owning_organisation_id, record_version.access_after)
       and (record_version.action = 'CREATE' or record_version.part is not null or (select bool_and(k in ('protective_marking', 'sharing', 'shared_with')) from jsonb_object_keys(record_version.changes) k)
            or soc_could_read_then('SafeguardingReferral', r.owning_organisation_id, record_version.access_before)))
    when 'PracticeEntry' then exists (select 1 from practice_entry r where r.id = record_version.record_id and soc_could_read_then('PracticeEntry', r.owning_organisation_id, record_version.access_after)
       and (record_version.action = 'CREATE' or record_version.part is not null or (select bool_and(k in ('protective_marking', 'sharing', 'shared_with')) from jsonb_object_keys(record_version.changes) k)
            or soc_could_read_then('PracticeEntry', r.owning_organisation_id, record_version.access_before)))
    when 'IntelligenceReport' then exists (select 1 from intelligence_report r where r.id = record_version.record_id and soc_could_read_then('IntelligenceReport', r.owning_organisation_id, record_version.access_after)
       and (record_version.action = 'CREATE' or record_version.part is not null or (select bool_and(k in ('protective_marking', 'sharing', 'shared_with')) from jsonb_object_keys(record_version.changes) k)
            or soc_could_read_then('IntelligenceReport', r.owning_organisation_id, record_version.access_before)))
    else false end);
`;

export class Migration20261205004210_analytical_request_policies extends Migration {
  override async up(): Promise<void> {
    this.addSql(UP);
  }

  override async down(): Promise<void> {
    this.addSql(DOWN);
  }
}
