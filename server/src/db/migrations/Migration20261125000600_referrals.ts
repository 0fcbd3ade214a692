import { Migration } from '@mikro-orm/migrations';
import { partHistoryTrigger, recordHistoryTrigger, sharedRecordColumns } from './shared-record.sql';

const STATUSES = `'SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'DECISION', 'CLOSED'`;
const EXPLOITATION = `'CHILD_CRIMINAL_EXPLOITATION', 'COUNTY_LINES', 'CUCKOOING', 'CHILD_SEXUAL_EXPLOITATION',
  'MODERN_SLAVERY_FORCED_LABOUR', 'MODERN_SLAVERY_SEXUAL', 'DOMESTIC_SERVITUDE', 'CRIMINAL_EXPLOITATION_ADULT', 'OTHER'`;

/**
 * Safeguarding referrals between partners (inspection finding 6), with a timeline of status
 * changes, notes, shares and feedback. The service enforces the rules and names the fields;
 * the checks here hold the same rules so that no other path can store a record that breaks them.
 */
export class Migration20261125000600_referrals extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create sequence safeguarding_referral_ref_seq`);
    this.addSql(`
      create table safeguarding_referral (
        id uuid primary key default gen_random_uuid(),
        reference text not null unique,
        subject_id uuid references nominal (id),
        subject_is_child boolean not null,
        referral_type text not null check (referral_type in (
          'MASH_CONTACT', 'NRM_REFERRAL', 'DUTY_TO_NOTIFY_MS1', 'ADULT_SAFEGUARDING_CONCERN', 'EARLY_HELP', 'OTHER')),
        exploitation_types text[] not null check (exploitation_types <@ array[${EXPLOITATION}]::text[] and cardinality(exploitation_types) > 0),
        referring_organisation_id uuid not null references organisation (id),
        receiving_organisation_id uuid not null references organisation (id),
        urgency text not null check (urgency in ('RED', 'AMBER', 'GREEN')),
        consent_obtained boolean not null,
        summary text not null check (length(summary) between 1 and 8000),
        status text not null default 'SUBMITTED' check (status in (${STATUSES})),
        outcome text check (outcome in ('CSC_ASSESSMENT', 'EARLY_HELP_OR_OTHER_AGENCY', 'NO_FURTHER_ACTION',
          'REASONABLE_GROUNDS_POSITIVE', 'REASONABLE_GROUNDS_NEGATIVE', 'CONCLUSIVE_GROUNDS_POSITIVE', 'CONCLUSIVE_GROUNDS_NEGATIVE')),
        submitted_at timestamptz not null default now(),
        acknowledgement_due_at timestamptz not null,
        acknowledged_at timestamptz,
        feedback_to_referrer_at timestamptz,
        linked_threat_ids uuid[] not null default '{}',
        ${sharedRecordColumns},
        check (receiving_organisation_id <> referring_organisation_id),
        check (owning_organisation_id = referring_organisation_id),
        check ((status in ('DECISION', 'CLOSED')) = (outcome is not null)),
        check (referral_type <> 'NRM_REFERRAL' or subject_is_child or consent_obtained),
        check (referral_type <> 'DUTY_TO_NOTIFY_MS1' or (not subject_is_child and subject_id is null))
      )`);
    this.addSql('create index safeguarding_referral_referring_idx on safeguarding_referral (referring_organisation_id, submitted_at)');
    this.addSql('create index safeguarding_referral_receiving_idx on safeguarding_referral (receiving_organisation_id, submitted_at)');
    this.addSql('create index safeguarding_referral_subject_idx on safeguarding_referral (subject_id)');
    this.addSql(recordHistoryTrigger('safeguarding_referral', 'SafeguardingReferral'));

    // The timeline: who did what and when, from either side. Append-only in the application.
    this.addSql(`
      create table referral_update (
        id uuid primary key default gen_random_uuid(),
        referral_id uuid not null references safeguarding_referral (id) on delete cascade,
        seq bigint generated always as identity,
        at timestamptz not null default now(),
        by_user_id uuid not null references app_user (id),
        organisation_id uuid not null references organisation (id),
        kind text not null check (kind in ('STATUS_CHANGE', 'NOTE', 'SHARE', 'FEEDBACK')),
        from_status text check (from_status in (${STATUSES})),
        to_status text check (to_status in (${STATUSES})),
        text text check (length(text) between 1 and 8000),
        share_reason text check (length(share_reason) between 1 and 2000),
        shared_with_organisation_id uuid references organisation (id),
        check ((kind = 'STATUS_CHANGE') = (to_status is not null)),
        check ((kind = 'SHARE') = (share_reason is not null and shared_with_organisation_id is not null)),
        check (kind not in ('NOTE', 'FEEDBACK') or text is not null)
      )`);
    this.addSql('create index referral_update_referral_idx on referral_update (referral_id, seq)');
    this.addSql(partHistoryTrigger('referral_update', 'SafeguardingReferral', 'referral_id', 'update'));
  }

  override async down(): Promise<void> {
    this.addSql('drop table referral_update');
    this.addSql('drop table safeguarding_referral');
    this.addSql('drop sequence safeguarding_referral_ref_seq');
  }
}
