import { Migration } from '@mikro-orm/migrations';

/**
 * Drops soc_caller_has_agreement, which nothing calls any more: Migration20261206005100_generated_can_read
 * left it unused when soc_can_read, like every generated policy, came to read agreements through
 * soc_caller_agreement_ranks (access/row-level-security.sql.ts). No policy, function, view,
 * default, constraint or index names it, and no SQL the server sends does; a security-definer
 * function that reads the agreements table and answers nobody is one more thing to keep right.
 *
 * down() puts it back as Migration20261125000900_sharing made it (with its grants), so that
 * Migration20261206005100_generated_can_read's down(), which calls it, can still run after it.
 */
export class Migration20261206005900_drop_unused_agreement_check extends Migration {
  override async up(): Promise<void> {
    this.addSql('drop function soc_caller_has_agreement(uuid, text, text)');
  }

  override async down(): Promise<void> {
    this.addSql(`
      create function soc_caller_has_agreement(owner uuid, category text, marking text) returns boolean
      language sql stable security definer set search_path = public as $$
        select exists (
          select 1 from information_sharing_agreement a
           where a.status = 'ACTIVE' and current_date >= a.effective_from and current_date < a.expires_on
             and soc_caller_org() = any (a.parties) and owner = any (a.parties)
             and category = any (a.data_categories)
             and soc_marking_rank(marking) <= soc_marking_rank(a.max_protective_marking))
      $$`);
    this.addSql('revoke all on function soc_caller_has_agreement(uuid, text, text) from public');
    this.addSql('grant execute on function soc_caller_has_agreement(uuid, text, text) to soc_app');
  }
}
