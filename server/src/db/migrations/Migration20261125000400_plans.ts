import { Migration } from '@mikro-orm/migrations';
import { partHistoryTrigger, recordHistoryTrigger, sharedRecordColumns } from './shared-record.sql';

const STRANDS = `'PURSUE', 'PREVENT', 'PROTECT', 'PREPARE'`;

/** 4P plans: one per adopted threat, with objectives, actions, partners, gaps, outcomes, learning and reviews. */
export class Migration20261125000400_plans extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table fourp_plan (
        id uuid primary key default gen_random_uuid(),
        threat_id uuid not null unique references soc_threat (id),
        lro_id uuid references app_user (id),
        sro_id uuid references app_user (id),
        status text not null default 'DRAFT' check (status in ('DRAFT', 'ACTIVE', 'UNDER_REVIEW', 'CLOSED')),
        closure_reason text,
        review_frequency_days integer not null default 90 check (review_frequency_days between 7 and 365),
        next_review_due date,
        -- Strands recorded as not applying: { "PREPARE": "reason", ... }.
        strand_exemptions jsonb not null default '{}' check (jsonb_typeof(strand_exemptions) = 'object'),
        ${sharedRecordColumns},
        check ((status = 'CLOSED') = (closure_reason is not null))
      )`);
    this.addSql('create index fourp_plan_owner_idx on fourp_plan (owning_organisation_id)');
    this.addSql('create index fourp_plan_review_idx on fourp_plan (next_review_due)');
    this.addSql(recordHistoryTrigger('fourp_plan', 'FourPPlan'));

    this.addSql(`
      create table plan_objective (
        id uuid primary key default gen_random_uuid(),
        plan_id uuid not null references fourp_plan (id) on delete cascade,
        seq bigint generated always as identity,
        strand text not null check (strand in (${STRANDS})),
        description text not null check (length(description) between 1 and 4000),
        success_measure text check (length(success_measure) <= 4000)
      )`);
    this.addSql('create index plan_objective_plan_idx on plan_objective (plan_id)');
    this.addSql(partHistoryTrigger('plan_objective', 'FourPPlan', 'plan_id', 'objective'));

    this.addSql(`
      create table plan_action (
        id uuid primary key default gen_random_uuid(),
        plan_id uuid not null references fourp_plan (id) on delete cascade,
        seq bigint generated always as identity,
        objective_id uuid references plan_objective (id) on delete set null,
        strand text not null check (strand in (${STRANDS})),
        description text not null check (length(description) between 1 and 4000),
        tactic text not null check (tactic in ('LIFESTYLE', 'BEHAVIOUR', 'VEHICLES', 'TRAVEL', 'BUSINESS', 'CRIME')),
        owner_organisation_id uuid not null references organisation (id),
        due_date date,
        status text not null default 'PLANNED' check (status in ('PLANNED', 'IN_PROGRESS', 'COMPLETE', 'BLOCKED', 'CANCELLED')),
        addresses_activity_ids uuid[] not null default '{}',
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql('create index plan_action_plan_idx on plan_action (plan_id)');
    this.addSql('create index plan_action_owner_idx on plan_action (owner_organisation_id)');
    this.addSql(partHistoryTrigger('plan_action', 'FourPPlan', 'plan_id', 'action'));

    this.addSql(`
      create table plan_partner (
        id uuid primary key default gen_random_uuid(),
        plan_id uuid not null references fourp_plan (id) on delete cascade,
        seq bigint generated always as identity,
        organisation_id uuid not null references organisation (id),
        strands text[] not null check (strands <@ array[${STRANDS}]::text[] and cardinality(strands) > 0),
        role text,
        unique (plan_id, organisation_id)
      )`);
    this.addSql(partHistoryTrigger('plan_partner', 'FourPPlan', 'plan_id', 'partner'));

    // Intelligence gaps, outcomes and learning: dated notes of one of three kinds.
    this.addSql(`
      create table plan_entry (
        id uuid primary key default gen_random_uuid(),
        plan_id uuid not null references fourp_plan (id) on delete cascade,
        seq bigint generated always as identity,
        kind text not null check (kind in ('INTELLIGENCE_GAP', 'OUTCOME', 'LEARNING')),
        text text not null check (length(text) between 1 and 4000),
        recorded_on date not null default current_date,
        recorded_by uuid not null references app_user (id),
        -- Intelligence gaps only: when and how the gap was filled, and who said so.
        resolved_on date,
        resolved_by uuid references app_user (id),
        resolution text check (length(resolution) <= 4000),
        check ((resolved_on is null) = (resolution is null)),
        check (resolved_on is null or kind = 'INTELLIGENCE_GAP')
      )`);
    this.addSql('create index plan_entry_plan_idx on plan_entry (plan_id)');
    this.addSql(partHistoryTrigger('plan_entry', 'FourPPlan', 'plan_id', 'entry'));

    this.addSql(`
      create table plan_review (
        id uuid primary key default gen_random_uuid(),
        plan_id uuid not null references fourp_plan (id) on delete cascade,
        seq bigint generated always as identity,
        review_date date not null,
        reviewer_id uuid not null references app_user (id),
        forum text not null check (length(forum) between 1 and 200),
        decisions text not null check (length(decisions) between 1 and 8000)
      )`);
    this.addSql('create index plan_review_plan_idx on plan_review (plan_id)');
    this.addSql(partHistoryTrigger('plan_review', 'FourPPlan', 'plan_id', 'review'));
  }

  override async down(): Promise<void> {
    for (const table of ['plan_review', 'plan_entry', 'plan_partner', 'plan_action', 'plan_objective', 'fourp_plan']) this.addSql(`drop table ${table}`);
  }
}
