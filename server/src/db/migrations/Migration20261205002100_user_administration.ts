import { Migration } from '@mikro-orm/migrations';

/**
 * Administration of users and API keys through the API (issue 15). Until now both were changed
 * only by the connecting database user (the seed, `npm run apikey`); the application role read
 * them. An administrator now creates users and changes their roles, clearance and whether they
 * are active, and creates and revokes API keys, for the organisations they administer: their
 * own, or, for an administrator of the regional unit, every organisation of its region (the
 * same reach a regional auditor has over the audit trail). The services state the same rule
 * (server/src/modules/administration/administration.scope.ts); this is its database half.
 */
const ADMINISTERS = `
  create or replace function soc_caller_administers(org uuid) returns boolean
  language sql stable parallel safe as $$
    select 'ADMIN' = any (soc_caller_roles())
      and (org = soc_caller_org()
           or exists (select 1 from organisation mine join organisation theirs on theirs.region = mine.region
                       where mine.id = soc_caller_org() and mine.type = 'ROCU' and theirs.id = org))
  $$`;

/**
 * When a key was last used: its latest EXPORT event (creating or revoking it is not a use). Security definer because administrators do
 * not read the audit trail; it answers only for keys the caller administers.
 */
const LAST_USED = `
  create or replace function soc_api_key_last_used(key uuid) returns timestamptz
  language sql stable security definer set search_path = public as $$
    select max(e.at) from audit_event e
     where e.record_type = 'ApiKey' and e.action = 'EXPORT' and e.record_ids @> array[key]
       and exists (select 1 from api_key k where k.id = key and soc_caller_administers(k.organisation_id))
  $$`;

export class Migration20261205002100_user_administration extends Migration {
  override async up(): Promise<void> {
    this.addSql(ADMINISTERS);
    this.addSql('grant insert (username, display_name, organisation_id, roles, clearance), update (display_name, roles, clearance, active, updated_at) on app_user to soc_app');
    this.addSql('alter table app_user enable row level security');
    this.addSql('alter table app_user force row level security');
    // Everyone reads users (authors, owners, LROs are named on every record); only administrators write.
    this.addSql('create policy app_user_read on app_user for select to soc_app using (true)');
    // The owner (whoever migrates, the server's own connection: sign-in's account lookup, seeding)
    // keeps reading and writing users when it is not a superuser: FORCE applies policies to it too.
    this.addSql(`do $$ begin execute format('create policy app_user_owner on app_user for all to %I using (true) with check (true)', current_user); end $$`);
    this.addSql('create policy app_user_insert on app_user for insert to soc_app with check (soc_caller_administers(organisation_id))');
    this.addSql('create policy app_user_update on app_user for update to soc_app using (soc_caller_administers(organisation_id)) with check (soc_caller_administers(organisation_id))');

    this.addSql('grant insert (id, organisation_id, service_user_id, name, secret_hash, created_by, expires_at), update (revoked_at) on api_key to soc_app');
    this.addSql('create policy api_key_admin_read on api_key for select to soc_app using (soc_caller_administers(organisation_id))');
    this.addSql('create policy api_key_insert on api_key for insert to soc_app with check (soc_caller_administers(organisation_id))');
    this.addSql('create policy api_key_update on api_key for update to soc_app using (soc_caller_administers(organisation_id)) with check (soc_caller_administers(organisation_id))');
    this.addSql(LAST_USED);
    this.addSql('revoke all on function soc_api_key_last_used(uuid) from public');
    this.addSql('grant execute on function soc_api_key_last_used(uuid) to soc_app');
  }

  override async down(): Promise<void> {
    this.addSql('drop function soc_api_key_last_used(uuid)');
    for (const p of ['api_key_admin_read', 'api_key_insert', 'api_key_update']) this.addSql(`drop policy ${p} on api_key`);
    this.addSql('revoke insert, update on api_key from soc_app');
    for (const p of ['app_user_read', 'app_user_insert', 'app_user_update']) this.addSql(`drop policy ${p} on app_user`);
    this.addSql('alter table app_user disable row level security');
    this.addSql('revoke insert, update on app_user from soc_app');
    this.addSql('drop function soc_caller_administers(uuid)');
  }
}
