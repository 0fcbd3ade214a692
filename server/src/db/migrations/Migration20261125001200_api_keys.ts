import { Migration } from '@mikro-orm/migrations';

/**
 * API keys for service accounts (reporting scripts). Each key belongs to one organisation and
 * acts as one service-account user (an `app_user` row named `svc.…`), so that access checks,
 * row-level security and the audit trail treat it like any other caller. Only a SHA-256 hash of
 * the key's secret is stored.
 *
 * Keys are created, listed and revoked by `npm run apikey` with the connecting (administrative)
 * database user. The application role may read its own organisation's keys, and never the
 * hashes: the column is left out of its grant, and row-level security hides other organisations'
 * rows.
 */
export class Migration20261125001200_api_keys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table api_key (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid not null references organisation (id),
        service_user_id uuid not null unique references app_user (id),
        name text not null check (length(name) between 1 and 200),
        secret_hash text not null check (secret_hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz not null default now(),
        created_by text,
        expires_at timestamptz,
        revoked_at timestamptz,
        check (expires_at is null or expires_at > created_at)
      )`);
    this.addSql('create index api_key_organisation_idx on api_key (organisation_id)');
    this.addSql('alter table api_key enable row level security');
    this.addSql('alter table api_key force row level security');
    this.addSql(
      'grant select (id, organisation_id, service_user_id, name, created_at, created_by, expires_at, revoked_at) on api_key to soc_app',
    );
    this.addSql('create policy api_key_read on api_key for select to soc_app using (organisation_id = soc_caller_org())');
  }

  override async down(): Promise<void> {
    this.addSql('drop table api_key');
  }
}
