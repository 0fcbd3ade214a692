import { Migration } from '@mikro-orm/migrations';
import { partHistoryTrigger, recordHistoryTrigger, sharedRecordColumns } from './shared-record.sql';

/**
 * The innovative practice register (inspection finding 5): entries searchable by full text
 * over title, aim, description and topics, and endorsements from other organisations.
 */
export class Migration20261125000700_practice extends Migration {
  override async up(): Promise<void> {
    // array_to_string is only STABLE, which a generated column refuses; joining a text[] with a
    // space is in fact immutable, so wrap it.
    this.addSql(`
      create function practice_topics_text(topics text[]) returns text
      language sql immutable parallel safe as $$ select array_to_string(topics, ' ') $$`);
    this.addSql(`
      create table practice_entry (
        id uuid primary key default gen_random_uuid(),
        title text not null check (length(title) between 1 and 200),
        aim text not null check (length(aim) between 1 and 2000),
        description text not null check (length(description) between 1 and 20000),
        topics text[] not null check (cardinality(topics) between 1 and 20),
        partners uuid[] not null default '{}',
        stage text not null check (stage in ('IDEA', 'PILOT', 'IMPLEMENTED', 'EVALUATED')),
        evidence_rating text not null check (evidence_rating in ('UNTESTED_NEW', 'PROMISING', 'EFFECTIVE')),
        contact text not null check (length(contact) between 1 and 500),
        search tsvector generated always as (
          setweight(to_tsvector('english'::regconfig, title), 'A') ||
          setweight(to_tsvector('english'::regconfig, practice_topics_text(topics)), 'A') ||
          setweight(to_tsvector('english'::regconfig, aim), 'B') ||
          setweight(to_tsvector('english'::regconfig, description), 'C')
        ) stored,
        ${sharedRecordColumns},
        check (stage <> 'IDEA' or evidence_rating = 'UNTESTED_NEW'),
        check (evidence_rating <> 'EFFECTIVE' or stage = 'EVALUATED')
      )`);
    this.addSql('create index practice_entry_search_idx on practice_entry using gin (search)');
    this.addSql('create index practice_entry_topics_idx on practice_entry using gin (topics)');
    this.addSql('create index practice_entry_partners_idx on practice_entry using gin (partners)');
    this.addSql('create index practice_entry_owner_idx on practice_entry (owning_organisation_id)');
    this.addSql(recordHistoryTrigger('practice_entry', 'PracticeEntry'));

    this.addSql(`
      create table practice_endorsement (
        id uuid primary key default gen_random_uuid(),
        entry_id uuid not null references practice_entry (id) on delete cascade,
        user_id uuid not null references app_user (id),
        organisation_id uuid not null references organisation (id),
        comment text check (length(comment) between 1 and 2000),
        at timestamptz not null default now(),
        unique (entry_id, user_id)
      )`);
    this.addSql(partHistoryTrigger('practice_endorsement', 'PracticeEntry', 'entry_id', 'endorsement'));
  }

  override async down(): Promise<void> {
    this.addSql('drop table practice_endorsement');
    this.addSql('drop table practice_entry');
    this.addSql('drop function practice_topics_text');
  }
}
