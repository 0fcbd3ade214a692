import { Migration } from '@mikro-orm/migrations';

/**
 * Deconfliction identifiers kept with their records (docs/domain.md, "Deconfliction"):
 *  - `derived_from` says an identifier was taken from its record's own fields (a person's name or
 *    an alias with their date of birth; a person a report is linked to, `source_nominal_id`)
 *    rather than recorded by hand (null), so that changing those fields replaces it and only it;
 *  - `checked_at` and `check_answer` keep what the holder was told when it was checked (the
 *    holding organisations, whom to contact, how strong): the same words the check returned,
 *    read back by the holder's users with the identifier, never anything of another's record;
 *  - the holder removes its own identifiers (row-level security: its organisation owns the
 *    record), and an interest goes with the identifier it was shown in;
 *  - a record's identifiers go when the record is deleted (disposal), and a person's from the
 *    reports linked to them, by a trigger: a foreign key
 *    that cascaded would make them a part of the record in the access catalogue, which they are
 *    not (test/access/catalogue.test.ts).
 */
export class Migration20261206005000_deconfliction_identifiers_kept extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table deconfliction_identifier
      add column derived_from text check (derived_from in ('NAME', 'ALIAS', 'LINKED_PERSON')),
      add column source_nominal_id uuid,
      add column checked_at timestamptz,
      add column check_answer jsonb,
      add check ((coalesce(derived_from, '') = 'LINKED_PERSON') = (source_nominal_id is not null)),
      add check ((checked_at is null) = (check_answer is null))`);
    this.addSql(`create index deconfliction_identifier_source_idx on deconfliction_identifier (source_nominal_id) where source_nominal_id is not null`);

    const ownRecord = `holder_organisation_id = soc_caller_org()
      and (exists (select 1 from nominal n where n.id = nominal_id and n.owning_organisation_id = soc_caller_org())
           or exists (select 1 from intelligence_report r where r.id = intelligence_report_id and r.owning_organisation_id = soc_caller_org()))`;
    this.addSql(`create policy deconfliction_identifier_checked on deconfliction_identifier for update to soc_app using (${ownRecord}) with check (${ownRecord})`);
    this.addSql(`create policy deconfliction_identifier_remove on deconfliction_identifier for delete to soc_app using (${ownRecord})`);
    this.addSql('grant update (checked_at, check_answer), delete on deconfliction_identifier to soc_app');

    this.addSql('alter table deconfliction_interest drop constraint deconfliction_interest_identifier_id_fkey');
    this.addSql('alter table deconfliction_interest add constraint deconfliction_interest_identifier_id_fkey foreign key (identifier_id) references deconfliction_identifier (id) on delete cascade');

    // Owned by whoever migrates, so the record's identifiers all go whoever may delete the record.
    this.addSql(`create function deconfliction_identifiers_go_with_record() returns trigger
      language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        if tg_table_name = 'nominal' then
          -- A person disposed of is named nowhere: not on the reports linked to them either.
          delete from deconfliction_identifier where nominal_id = old.id or source_nominal_id = old.id;
        else
          delete from deconfliction_identifier where intelligence_report_id = old.id;
        end if;
        return old;
      end
      $$`);
    this.addSql('revoke all on function deconfliction_identifiers_go_with_record() from public');
    for (const table of ['nominal', 'intelligence_report']) {
      this.addSql(`create trigger ${table}_deconfliction_identifiers before delete on ${table} for each row execute function deconfliction_identifiers_go_with_record()`);
    }
  }

  override async down(): Promise<void> {
    for (const table of ['nominal', 'intelligence_report']) this.addSql(`drop trigger ${table}_deconfliction_identifiers on ${table}`);
    this.addSql('drop function deconfliction_identifiers_go_with_record()');
    this.addSql('alter table deconfliction_interest drop constraint deconfliction_interest_identifier_id_fkey');
    this.addSql('alter table deconfliction_interest add constraint deconfliction_interest_identifier_id_fkey foreign key (identifier_id) references deconfliction_identifier (id)');
    this.addSql('revoke update (checked_at, check_answer), delete on deconfliction_identifier from soc_app');
    this.addSql('drop policy deconfliction_identifier_remove on deconfliction_identifier');
    this.addSql('drop policy deconfliction_identifier_checked on deconfliction_identifier');
    this.addSql('drop index deconfliction_identifier_source_idx');
    this.addSql(`alter table deconfliction_identifier drop column check_answer, drop column checked_at, drop column source_nominal_id, drop column derived_from`);
  }
}
