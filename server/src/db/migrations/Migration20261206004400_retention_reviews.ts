import { Migration } from '@mikro-orm/migrations';

/**
 * Retention reviews under the Management of Police Information (MoPI) (issue 19).
 *
 * - `next_review_on` on the records that hold personal data (people, intelligence reports): set
 *   on creation from the review periods (server/src/modules/retention/retention-periods.ts); the
 *   default (six years, MoPI's standard period) covers rows written outside the services, and
 *   gives existing rows their first review. Null only for an instant: a disposal clears it as its
 *   first step, so the record's live event is a change that followers can no longer read (WITHDRAWN).
 * - `retention_review`: each decision to retain, with its reason and the next review date.
 * - `disposed_record`: the tombstone of a disposed record (type, id, owner, when, who, why), so
 *   audit events and other records' history that name it still resolve.
 * - `soc_purge_disposed_history(id)`: empties the values out of a disposed record's history rows
 *   (the application role cannot change history; only a record its organisation disposed of).
 * - `soc_remove_disposed_memberships(id)`: a disposed person's memberships go with them, from
 *   every threat, whoever owns it (a membership is a part of its threat, which another
 *   organisation may own, so the application role could not remove it itself).
 *
 * Both tables belong to the organisation that owned the record and are not shared records (no
 * marking or sharing of their own): their policies are written here, like the audit trail's, and
 * listed as such in test/access/catalogue-policies.test.ts.
 */
const KINDS = `('Nominal', 'IntelligenceReport')`;

export class Migration20261206004400_retention_reviews extends Migration {
  override async up(): Promise<void> {
    for (const table of ['nominal', 'intelligence_report']) {
      this.addSql(`alter table ${table} add column next_review_on date default ((current_date + interval '6 years')::date)`);
      this.addSql(`create index ${table}_review_idx on ${table} (owning_organisation_id, next_review_on)`);
    }

    this.addSql(`
      create table retention_review (
        id uuid primary key default gen_random_uuid(),
        record_type text not null check (record_type in ${KINDS}),
        record_id uuid not null,
        organisation_id uuid not null references organisation (id),
        reviewed_by uuid not null references app_user (id),
        reviewed_at timestamptz not null default now(),
        reason text not null check (length(btrim(reason)) between 1 and 2000),
        next_review_on date not null
      )`);
    this.addSql('create index retention_review_record_idx on retention_review (record_id, reviewed_at)');
    this.addSql(`
      create table disposed_record (
        record_id uuid primary key,
        record_type text not null check (record_type in ${KINDS}),
        organisation_id uuid not null references organisation (id),
        disposed_on date not null default current_date,
        disposed_at timestamptz not null default now(),
        disposed_by uuid not null references app_user (id),
        reason text not null check (length(btrim(reason)) between 1 and 2000)
      )`);
    this.addSql('create index disposed_record_organisation_idx on disposed_record (organisation_id, disposed_at desc)');

    // The owner's people read, write (and on disposal remove) their reviews; auditors read them.
    const ownerOrAuditor = '(organisation_id = (select soc_caller_org()) or soc_caller_audits(organisation_id))';
    const owner = '(organisation_id = (select soc_caller_org()))';
    for (const table of ['retention_review', 'disposed_record']) {
      this.addSql(`alter table ${table} enable row level security`);
      this.addSql(`alter table ${table} force row level security`);
      this.addSql(`create policy ${table}_read on ${table} for select to soc_app using ${ownerOrAuditor}`);
      this.addSql(`create policy ${table}_insert on ${table} for insert to soc_app with check (${owner} and ${table === 'retention_review' ? 'reviewed_by' : 'disposed_by'} = (select soc_caller_user()))`);
    }
    this.addSql(`create policy retention_review_delete on retention_review for delete to soc_app using ${owner}`);
    this.addSql('grant select, insert, delete on retention_review to soc_app');
    // A tombstone is what happened: never changed or removed by the application.
    this.addSql('grant select, insert on disposed_record to soc_app');

    this.addSql(`
      create function soc_purge_disposed_history(disposed uuid) returns integer
      language plpgsql security definer set search_path = public as $$
      declare
        purged integer;
      begin
        if not exists (select 1 from disposed_record d where d.record_id = disposed and d.organisation_id = soc_caller_org()) then
          raise exception 'only a record the caller''s organisation disposed of has its history purged';
        end if;
        -- Which fields changed, when and by whom stay; what they held goes.
        update record_version
           set changes = (select coalesce(jsonb_object_agg(k, null), '{}'::jsonb) from jsonb_object_keys(changes) k)
         where record_id = disposed;
        get diagnostics purged = row_count;
        return purged;
      end
      $$`);
    this.addSql(`
      create function soc_remove_disposed_memberships(disposed uuid) returns integer
      language plpgsql security definer set search_path = public as $$
      declare
        removed integer;
      begin
        if not exists (select 1 from disposed_record d where d.record_id = disposed and d.record_type = 'Nominal' and d.organisation_id = soc_caller_org()) then
          raise exception 'only a person the caller''s organisation disposed of has their memberships removed';
        end if;
        delete from membership where nominal_id = disposed;
        get diagnostics removed = row_count;
        return removed;
      end
      $$`);
    this.addSql('revoke all on function soc_remove_disposed_memberships(uuid) from public');
    this.addSql('grant execute on function soc_remove_disposed_memberships(uuid) to soc_app');
    this.addSql('revoke all on function soc_purge_disposed_history(uuid) from public');
    // Whether one of the caller's own people is the subject of a referral, which may be one the
    // caller cannot read (a referral between two other organisations): the referral keeps them.
    this.addSql(`
      create function soc_nominal_is_referral_subject(person uuid) returns boolean
      language sql stable security definer set search_path = public as $$
        select exists (select 1 from safeguarding_referral r join nominal n on n.id = r.subject_id
                        where r.subject_id = person and n.owning_organisation_id = soc_caller_org())
      $$`);
    this.addSql('revoke all on function soc_nominal_is_referral_subject(uuid) from public');
    this.addSql('grant execute on function soc_nominal_is_referral_subject(uuid) to soc_app');
    this.addSql('grant execute on function soc_purge_disposed_history(uuid) to soc_app');
  }

  override async down(): Promise<void> {
    this.addSql('drop function soc_nominal_is_referral_subject');
    this.addSql('drop function soc_remove_disposed_memberships');
    this.addSql('drop function soc_purge_disposed_history');
    this.addSql('drop table disposed_record');
    this.addSql('drop table retention_review');
    for (const table of ['nominal', 'intelligence_report']) this.addSql(`alter table ${table} drop column next_review_on`);
  }
}
