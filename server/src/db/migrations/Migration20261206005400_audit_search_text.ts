import { Migration } from '@mikro-orm/migrations';

/**
 * The free text an auditor typed into an exported audit search (words of a user's name, a record's
 * reference), held apart from the audit trail so that it can be purged (server/src/audit/search-text.ts).
 *
 * The EXPORT event keeps the rest of the filter and, for each free-text field, when the text is
 * held until and a digest of it salted with a salt kept here: while the text is held, the digest
 * shows it is the text searched; once it is purged, salt and all, the digest confirms no guess.
 * The trail itself is append-only and chained, so personal data written into it could never go.
 *
 * Not a shared record: written by the auditor's request with its event, read as the event is
 * (auditors of the organisation, or of its region for the regional unit), removed only by the
 * server's purge (the connecting user), never by the application role. Listed in
 * test/access/catalogue-policies.test.ts as written by hand.
 */
export class Migration20261206005400_audit_search_text extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table audit_search_text (
        id uuid primary key default gen_random_uuid(),
        request_id text not null,
        user_id uuid not null references app_user (id),
        organisation_id uuid not null references organisation (id),
        texts jsonb not null,
        salt text not null,
        held_until date not null
      )`);
    this.addSql('create index audit_search_text_request_idx on audit_search_text (request_id)');
    this.addSql('create index audit_search_text_held_idx on audit_search_text (held_until)');
    this.addSql('revoke all on audit_search_text from public');
    this.addSql('grant select, insert on audit_search_text to soc_app');
    this.addSql('alter table audit_search_text enable row level security');
    this.addSql('alter table audit_search_text force row level security');
    this.addSql('create policy audit_search_text_read on audit_search_text for select to soc_app using (soc_caller_audits(organisation_id))');
    this.addSql(`create policy audit_search_text_append on audit_search_text for insert to soc_app
      with check (user_id = soc_caller_user() and organisation_id = soc_caller_org())`);
    // The purge runs as the connecting user (the table's owner), as the live event log's pruning does.
    this.addSql(`do $$ begin execute format('create policy audit_search_text_owner on audit_search_text for all to %I using (true)', current_user); end $$`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table audit_search_text');
  }
}
