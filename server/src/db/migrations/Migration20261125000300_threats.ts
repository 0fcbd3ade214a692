import { Migration } from '@mikro-orm/migrations';
import { partHistoryTrigger, recordHistoryTrigger, sharedRecordColumns } from './shared-record.sql';

const CATEGORIES = `'CHILD_SEXUAL_ABUSE', 'CYBER_CRIME', 'FRAUD', 'ILLEGAL_DRUGS', 'ILLEGAL_FIREARMS',
  'MODERN_SLAVERY_HUMAN_TRAFFICKING', 'MONEY_LAUNDERING', 'ORGANISED_IMMIGRATION_CRIME',
  'ORGANISED_ACQUISITIVE_CRIME', 'BRIBERY_CORRUPTION_SANCTIONS_EVASION'`;
const LEVELS = `'LOCAL', 'FORCE', 'REGIONAL', 'NATIONAL'`;
const PRIORITY = `'HIGH', 'MEDIUM', 'LOW', 'STANDARD'`;

/**
 * SOC threats with all of their criminal activities, the people (nominals) in them, links
 * between threats, and MoRiLE-style assessments with the versioned scoring model.
 */
export class Migration20261125000300_threats extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create sequence soc_threat_urn_seq`);
    this.addSql(`
      create table soc_threat (
        id uuid primary key default gen_random_uuid(),
        urn text not null unique,
        name text not null check (length(name) between 1 and 200),
        summary text,
        subject_type text not null check (subject_type in ('ORGANISED_CRIME_GROUP', 'PRIORITY_INDIVIDUAL', 'VULNERABILITY')),
        lead_organisation_id uuid not null references organisation (id),
        tasking_level text not null check (tasking_level in (${LEVELS})),
        geographic_scope text not null check (geographic_scope in (${LEVELS}, 'INTERNATIONAL')),
        areas_affected uuid[] not null default '{}',
        status text not null default 'TRIGGER_SUBMITTED' check (status in (
          'TRIGGER_SUBMITTED', 'UNDER_ASSESSMENT', 'ASSESSED', 'ADOPTED', 'UNDER_REVIEW', 'ARCHIVED', 'REJECTED')),
        archive_reason text check (archive_reason in ('DISMANTLED', 'NO_LONGER_MEETS_CRITERIA', 'MERGED', 'TRANSFERRED', 'DUPLICATE')),
        identified_on date not null,
        assessed_on date,
        adopted_on date,
        closed_on date,
        lro_id uuid references app_user (id),
        sro_id uuid references app_user (id),
        next_review_due date,
        priority text check (priority in (${PRIORITY})),
        risk_score numeric(6, 2),
        ${sharedRecordColumns},
        check ((status = 'ARCHIVED') = (archive_reason is not null))
      )`);
    this.addSql('create index soc_threat_owner_idx on soc_threat (owning_organisation_id)');
    this.addSql('create index soc_threat_lead_idx on soc_threat (lead_organisation_id)');
    this.addSql('create index soc_threat_status_idx on soc_threat (status)');
    this.addSql(recordHistoryTrigger('soc_threat', 'SocThreat'));

    this.addSql(`
      create table criminal_activity (
        id uuid primary key default gen_random_uuid(),
        threat_id uuid not null references soc_threat (id) on delete cascade,
        seq bigint generated always as identity,
        category text not null check (category in (${CATEGORIES})),
        sub_category text check (sub_category ~ '^[A-Z][A-Z0-9_]{1,63}$'),
        description text not null check (length(description) between 1 and 4000),
        first_identified date not null,
        last_evidenced date,
        created_at timestamptz not null default now(),
        check (last_evidenced is null or last_evidenced >= first_identified)
      )`);
    this.addSql('create index criminal_activity_threat_idx on criminal_activity (threat_id)');
    this.addSql(partHistoryTrigger('criminal_activity', 'SocThreat', 'threat_id', 'criminalActivity'));

    this.addSql(`
      create table nominal (
        id uuid primary key default gen_random_uuid(),
        name text not null check (length(name) between 1 and 200),
        aliases text[] not null default '{}',
        date_of_birth date,
        vulnerability_flags text[] not null default '{}',
        ${sharedRecordColumns}
      )`);
    this.addSql('create index nominal_owner_idx on nominal (owning_organisation_id)');
    this.addSql(recordHistoryTrigger('nominal', 'Nominal'));

    this.addSql(`
      create table membership (
        id uuid primary key default gen_random_uuid(),
        threat_id uuid not null references soc_threat (id) on delete cascade,
        nominal_id uuid not null references nominal (id),
        role text not null check (role in ('PRINCIPAL', 'SIGNIFICANT', 'PERIPHERAL', 'ENABLER', 'EXPLOITED_VICTIM', 'UNKNOWN')),
        from_date date,
        to_date date,
        under_offender_management boolean not null default false,
        check (to_date is null or from_date is null or to_date >= from_date)
      )`);
    this.addSql('create index membership_threat_idx on membership (threat_id)');
    this.addSql('create index membership_nominal_idx on membership (nominal_id)');
    this.addSql(partHistoryTrigger('membership', 'SocThreat', 'threat_id', 'membership'));

    // One row per pair, smaller id first, so a link cannot be recorded twice.
    this.addSql(`
      create table threat_link (
        id uuid primary key default gen_random_uuid(),
        threat_id uuid not null references soc_threat (id) on delete cascade,
        linked_threat_id uuid not null references soc_threat (id) on delete cascade,
        reason text not null check (length(reason) between 1 and 1000),
        created_by uuid not null references app_user (id),
        created_at timestamptz not null default now(),
        check (threat_id < linked_threat_id),
        unique (threat_id, linked_threat_id)
      )`);
    this.addSql('create index threat_link_linked_idx on threat_link (linked_threat_id)');
    this.addSql(partHistoryTrigger('threat_link', 'SocThreat', 'threat_id', 'linkedThreat'));

    this.addSql(`
      create table assessment_model (
        version integer primary key,
        definition jsonb not null,
        note text,
        created_by uuid references app_user (id),
        created_at timestamptz not null default now()
      )`);

    this.addSql(`
      create table threat_assessment (
        id uuid primary key default gen_random_uuid(),
        threat_id uuid not null references soc_threat (id) on delete cascade,
        criminal_activity_id uuid references criminal_activity (id) on delete cascade,
        method text not null check (method in ('MORILE_TACTICAL', 'MORILE_THEMATIC', 'OCGM_LEGACY')),
        scores jsonb not null,
        confidence text not null check (confidence in ('HIGH', 'MEDIUM', 'LOW')),
        rationale text not null check (length(rationale) between 1 and 8000),
        model_version integer not null references assessment_model (version),
        harm_score numeric(6, 2) not null,
        likelihood_score numeric(6, 2) not null,
        organisational_position_score numeric(6, 2) not null,
        risk_score numeric(6, 2) not null,
        priority text not null check (priority in (${PRIORITY})),
        status text not null default 'DRAFT' check (status in ('DRAFT', 'SUBMITTED', 'APPROVED', 'RETURNED')),
        status_reason text,
        assessed_by uuid not null references app_user (id),
        decided_by uuid references app_user (id),
        decided_at timestamptz,
        review_due date,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        version integer not null default 1
      )`);
    this.addSql('create index threat_assessment_threat_idx on threat_assessment (threat_id)');
    this.addSql(partHistoryTrigger('threat_assessment', 'SocThreat', 'threat_id', 'assessment'));
  }

  override async down(): Promise<void> {
    for (const table of ['threat_assessment', 'assessment_model', 'threat_link', 'membership', 'nominal', 'criminal_activity', 'soc_threat']) {
      this.addSql(`drop table ${table}`);
    }
    this.addSql('drop sequence soc_threat_urn_seq');
  }
}
