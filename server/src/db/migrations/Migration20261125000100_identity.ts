import { Migration } from '@mikro-orm/migrations';

/** Organisations and users: who takes part, and who signs in. */
export class Migration20261125000100_identity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table organisation (
        id uuid primary key default gen_random_uuid(),
        code text not null unique check (code ~ '^[A-Z][A-Z0-9_]{1,31}$'),
        name text not null check (length(name) between 1 and 200),
        type text not null check (type in (
          'ROCU', 'TERRITORIAL_POLICE_FORCE', 'NCA', 'HMRC', 'CPS', 'IMMIGRATION_ENFORCEMENT',
          'BORDER_FORCE', 'LOCAL_AUTHORITY_CHILDRENS_SERVICES', 'LOCAL_AUTHORITY_ADULT_SERVICES',
          'LOCAL_AUTHORITY_OTHER', 'HEALTH', 'EDUCATION', 'PROBATION', 'OTHER_GOVERNMENT_AGENCY',
          'VOLUNTARY_SECTOR', 'PRIVATE_SECTOR')),
        region text not null,
        is_law_enforcement boolean not null
      )`);
    this.addSql(`
      create table app_user (
        id uuid primary key default gen_random_uuid(),
        username text not null unique check (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
        display_name text not null,
        organisation_id uuid not null references organisation (id),
        roles text[] not null default '{}' check (roles <@ array[
          'ANALYST', 'INTELLIGENCE_OFFICER', 'INVESTIGATOR', 'LRO', 'SRO', 'OCG_COORDINATOR',
          'THREAT_ASSESSOR', 'DISRUPTION_VALIDATOR', 'SAFEGUARDING_PRACTITIONER',
          'PARTNER_CONTRIBUTOR', 'AUDITOR', 'ADMIN']::text[]),
        clearance text not null check (clearance in ('OFFICIAL', 'OFFICIAL_SENSITIVE', 'SECRET', 'TOP_SECRET')),
        active boolean not null default true,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql('create index app_user_organisation_idx on app_user (organisation_id)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table app_user');
    this.addSql('drop table organisation');
  }
}
