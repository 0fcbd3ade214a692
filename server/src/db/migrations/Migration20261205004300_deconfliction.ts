import { Migration } from '@mikro-orm/migrations';

/**
 * Deconfliction: hit / no hit across organisations (docs/domain.md, "Deconfliction").
 *
 * `deconfliction_identifier` holds the people, phone numbers, vehicles and addresses recorded on
 * nominals and intelligence reports, each with its normal form (modules/deconfliction/normalise.ts)
 * and its holder. Row-level security lets the holder's users read an identifier only when they
 * may read the record it is on, and nobody else at all: not a shared record, so not in the access
 * catalogue (hand-written, like the agreements; test/access/catalogue-policies.test.ts lists it).
 * Its column is `holder_organisation_id`, not `owning_organisation_id`, and it does not cascade
 * from its record, for the same reason.
 *
 * The check must find what the caller may not read without weakening that: `deconfliction_check()`
 * is SECURITY DEFINER (owned by whoever migrates; search_path fixed, with pg_temp last so that no
 * temporary table of the caller's can stand in for one of these) and returns only the holding
 * organisation, whom to contact and how strong the match is, never a record's id or content. For
 * each match it also, in the caller's transaction (kept only if the request commits):
 *  - records a `deconfliction_interest` for the holder (read by the holder's users who may read the
 *    identifier; nobody inserts one but this function);
 *  - puts a CREATE event for that interest on the live event log, under the counter's lock as
 *    agreement_lapses_announce() does, so the holder hears of it live;
 *  - writes the holder's side of the audit: a READ event of record type `DeconflictionHit`, filed
 *    under the holder's organisation so its auditors see it, naming the checker and the holder's
 *    record that matched (the interest in its detail).
 * The caller is who the request's transaction recorded (soc.user_id, soc.organisation_id), never a
 * parameter. An identifier held by the caller's own organisation is not a hit: they can look.
 */
export class Migration20261205004300_deconfliction extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table organisation add column deconfliction_contact text
      check (deconfliction_contact is null or length(deconfliction_contact) between 1 and 200)`);
    this.identifiers();
    this.interests();
    this.checkFunction();
  }

  private identifiers(): void {
    this.addSql(`
      create table deconfliction_identifier (
        id uuid primary key default gen_random_uuid(),
        kind text not null check (kind in ('PERSON', 'PHONE', 'VEHICLE', 'ADDRESS')),
        raw_value text not null check (length(raw_value) between 1 and 300),
        normalised_value text not null check (length(normalised_value) between 1 and 300),
        date_of_birth date,
        nominal_id uuid references nominal (id),
        intelligence_report_id uuid references intelligence_report (id),
        holder_organisation_id uuid not null references organisation (id),
        recorded_by uuid not null references app_user (id),
        recorded_at timestamptz not null default now(),
        check (num_nonnulls(nominal_id, intelligence_report_id) = 1),
        check ((kind = 'PERSON') = (date_of_birth is not null))
      )`);
    // One identifier once per record (recording it again changes nothing).
    this.addSql(`create unique index deconfliction_identifier_once on deconfliction_identifier
      (kind, normalised_value, coalesce(date_of_birth, '-infinity'::date), coalesce(nominal_id, intelligence_report_id))`);
    this.addSql('create index deconfliction_identifier_value_idx on deconfliction_identifier (kind, normalised_value)');
    this.addSql(`create index deconfliction_identifier_birth_idx on deconfliction_identifier (date_of_birth) where kind = 'PERSON'`);
    this.addSql('create index deconfliction_identifier_nominal_idx on deconfliction_identifier (nominal_id)');
    this.addSql('create index deconfliction_identifier_report_idx on deconfliction_identifier (intelligence_report_id)');
    this.addSql('alter table deconfliction_identifier enable row level security');
    this.addSql('alter table deconfliction_identifier force row level security');
    // The record's own policies decide inside the subqueries: an identifier is read with its record.
    this.addSql(`create policy deconfliction_identifier_read on deconfliction_identifier for select to soc_app using (
      holder_organisation_id = soc_caller_org()
      and (exists (select 1 from nominal n where n.id = nominal_id)
           or exists (select 1 from intelligence_report r where r.id = intelligence_report_id)))`);
    this.addSql(`create policy deconfliction_identifier_record on deconfliction_identifier for insert to soc_app with check (
      holder_organisation_id = soc_caller_org() and recorded_by = soc_caller_user()
      and (exists (select 1 from nominal n where n.id = nominal_id and n.owning_organisation_id = soc_caller_org())
           or exists (select 1 from intelligence_report r where r.id = intelligence_report_id and r.owning_organisation_id = soc_caller_org())))`);
    this.addSql(`do $$ begin
      execute format('create policy deconfliction_identifier_owner on deconfliction_identifier for all to %I using (true) with check (true)', current_user);
    end $$`);
    this.addSql('grant select, insert on deconfliction_identifier to soc_app');
  }

  private interests(): void {
    this.addSql(`
      create table deconfliction_interest (
        id uuid primary key default gen_random_uuid(),
        identifier_id uuid not null references deconfliction_identifier (id),
        holder_organisation_id uuid not null references organisation (id),
        checking_organisation_id uuid not null references organisation (id),
        checked_by uuid not null references app_user (id),
        strength text not null check (strength in ('EXACT', 'POSSIBLE')),
        checked_at timestamptz not null default clock_timestamp()
      )`);
    this.addSql('create index deconfliction_interest_holder_idx on deconfliction_interest (holder_organisation_id, checked_at desc)');
    this.addSql('alter table deconfliction_interest enable row level security');
    this.addSql('alter table deconfliction_interest force row level security');
    // Read with the identifier it is about (and so with its record); written only by deconfliction_check().
    this.addSql(`create policy deconfliction_interest_read on deconfliction_interest for select to soc_app using (
      holder_organisation_id = soc_caller_org() and exists (select 1 from deconfliction_identifier i where i.id = identifier_id))`);
    this.addSql(`do $$ begin
      execute format('create policy deconfliction_interest_owner on deconfliction_interest for all to %I using (true) with check (true)', current_user);
      execute format('create policy audit_event_owner_append on audit_event for insert to %I with check (true)', current_user);
    end $$`);
    this.addSql('grant select on deconfliction_interest to soc_app');
  }

  private checkFunction(): void {
    this.addSql(`
      create function deconfliction_check(check_kind text, check_value text, check_birth date, similarity_threshold real,
                                          audit_operation text, audit_purpose text, audit_client_address text, audit_request_id text)
      returns table (holder_id uuid, holder_contact text, match_strength text)
      language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        caller_org uuid := soc_caller_org();
        caller_user uuid := soc_caller_user();
        caller_username text;
        hit record;
        interest uuid;
        next_seq bigint;
        last_holder uuid;
      begin
        if caller_org is null or caller_user is null then
          return;
        end if;
        select u.username into caller_username from app_user u where u.id = caller_user;
        for hit in
          select i.id, i.holder_organisation_id as holder, coalesce(i.nominal_id, i.intelligence_report_id) as record_id,
                 case when i.normalised_value = check_value then 'EXACT' else 'POSSIBLE' end as strength,
                 coalesce(
                   o.deconfliction_contact,
                   (select u.display_name || ', lead responsible officer'
                      from soc_threat t join app_user u on u.id = t.lro_id
                     where t.owning_organisation_id = i.holder_organisation_id
                       and (t.id in (select m.threat_id from membership m where m.nominal_id = i.nominal_id)
                            or t.id = any ((select r.threat_ids from intelligence_report r where r.id = i.intelligence_report_id)::uuid[]))
                     order by t.updated_at desc limit 1),
                   o.name || ' intelligence unit') as contact
            from deconfliction_identifier i join organisation o on o.id = i.holder_organisation_id
           where i.kind = check_kind and i.holder_organisation_id <> caller_org
             and case when check_kind = 'PERSON'
                      then i.date_of_birth = check_birth and (i.normalised_value = check_value or similarity(i.normalised_value, check_value) >= similarity_threshold)
                      else i.normalised_value = check_value end
           order by i.holder_organisation_id, (i.normalised_value = check_value) desc, i.recorded_at
        loop
          insert into deconfliction_interest (identifier_id, holder_organisation_id, checking_organisation_id, checked_by, strength)
          values (hit.id, hit.holder, caller_org, caller_user, hit.strength) returning id into interest;
          -- The counter's lock is held from here to commit, as by live_event_publish(), so the
          -- numbers follow commit order.
          update live_event_counter set last_seq = last_seq + 1 returning last_seq into next_seq;
          insert into live_event (seq, record_type, record_id, action, changed_fields, actor_id)
          values (next_seq, 'DeconflictionInterest', interest, 'CREATE', '{}', caller_user);
          perform pg_notify('soc_live_event', next_seq::text);
          insert into audit_event (user_id, username, organisation_id, operation, action, record_type, record_ids, purpose, client_address, request_id, detail)
          values (caller_user, caller_username, hit.holder, audit_operation, 'READ', 'DeconflictionHit', array[hit.record_id], audit_purpose,
                  audit_client_address, audit_request_id,
                  jsonb_build_object('checkedByOrganisation', jsonb_build_array((select code from organisation where id = caller_org)),
                                     'kinds', jsonb_build_array(check_kind), 'strengths', jsonb_build_array(hit.strength),
                                     'interests', jsonb_build_array(interest)));
          -- One answer per holding organisation: its strongest match (first, by the order above)
          -- and whom to contact about it. Every match is still recorded, evented and audited.
          if hit.holder is distinct from last_holder then
            holder_id := hit.holder;
            holder_contact := hit.contact;
            match_strength := hit.strength;
            return next;
            last_holder := hit.holder;
          end if;
        end loop;
      end
      $$`);
    this.addSql('revoke all on function deconfliction_check(text, text, date, real, text, text, text, text) from public');
    this.addSql('grant execute on function deconfliction_check(text, text, date, real, text, text, text, text) to soc_app');
  }

  override async down(): Promise<void> {
    this.addSql('drop function deconfliction_check(text, text, date, real, text, text, text, text)');
    this.addSql('drop policy audit_event_owner_append on audit_event');
    this.addSql('drop table deconfliction_interest');
    this.addSql('drop table deconfliction_identifier');
    this.addSql('alter table organisation drop column deconfliction_contact');
  }
}
