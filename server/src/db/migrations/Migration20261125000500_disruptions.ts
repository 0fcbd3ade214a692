import { Migration } from '@mikro-orm/migrations';
import { recordHistoryTrigger, sharedRecordColumns } from './shared-record.sql';

const STRANDS = `'PURSUE', 'PREVENT', 'PROTECT', 'PREPARE'`;
const LEVELS = `'MAJOR', 'MODERATE', 'MINOR', 'NONE', 'NEGATIVE'`;
const TACTICS = `'LIFESTYLE', 'BEHAVIOUR', 'VEHICLES', 'TRAVEL', 'BUSINESS', 'CRIME'`;

/**
 * Disruptions recorded against the national standard: one row per event (contributors listed on
 * it, never one row per agency), with its validation and the chain of corrections (supersedes).
 * Only VALIDATED rows count in any figure; the reports read this table directly.
 */
export class Migration20261125000500_disruptions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table disruption (
        id uuid primary key default gen_random_uuid(),
        threat_id uuid not null references soc_threat (id),
        criminal_activity_id uuid references criminal_activity (id),
        plan_action_id uuid references plan_action (id),
        date date not null,
        claiming_organisation_id uuid not null references organisation (id),
        strand text not null check (strand in (${STRANDS})),
        level text not null check (level in (${LEVELS})),
        tactic text not null check (tactic in (${TACTICS})),
        description text not null check (length(description) between 1 and 4000),
        impact_narrative text not null check (length(impact_narrative) between 1 and 8000),
        evidence_refs text[] not null check (cardinality(evidence_refs) > 0),
        contributors uuid[] not null default '{}',
        status text not null default 'DRAFT' check (status in ('DRAFT', 'SUBMITTED', 'VALIDATED', 'RETURNED', 'REJECTED', 'SUPERSEDED')),
        submitted_at timestamptz,
        is_late boolean not null default false,
        possible_duplicate_of uuid references disruption (id),
        decided_by uuid references app_user (id),
        decision text check (decision in ('VALIDATED', 'RETURNED', 'REJECTED')),
        level_agreed text check (level_agreed in (${LEVELS})),
        strand_agreed text check (strand_agreed in (${STRANDS})),
        decision_reasons text,
        decided_at timestamptz,
        status_reason text check (length(status_reason) <= 2000),
        supersedes_id uuid unique references disruption (id),
        superseded_by_id uuid unique references disruption (id),
        ${sharedRecordColumns},
        check (status not in ('VALIDATED', 'SUPERSEDED') or (level_agreed is not null and strand_agreed is not null and decided_by is not null)),
        check ((status = 'SUPERSEDED') = (superseded_by_id is not null)),
        check (status in ('DRAFT') or submitted_at is not null)
      )`);
    this.addSql('create index disruption_threat_idx on disruption (threat_id, status)');
    this.addSql('create index disruption_claimant_idx on disruption (claiming_organisation_id, status)');
    this.addSql('create index disruption_status_date_idx on disruption (status, date)');
    this.addSql(`create index disruption_queue_idx on disruption (submitted_at, id) where status = 'SUBMITTED'`);
    this.addSql('create index disruption_duplicate_idx on disruption (threat_id, date, tactic)');
    this.addSql('create index disruption_owner_idx on disruption (owning_organisation_id)');
    this.addSql('create index disruption_contributors_idx on disruption using gin (contributors)');
    this.addSql(recordHistoryTrigger('disruption', 'Disruption'));
  }

  override async down(): Promise<void> {
    this.addSql('drop table disruption');
  }
}
