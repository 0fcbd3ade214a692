import { Migration } from '@mikro-orm/migrations';

/** referrals: tables are added by the referrals module's work (placeholder until then). */
export class Migration20261125000600_referrals extends Migration {
  override async up(): Promise<void> {
    this.addSql('select 1');
  }

  override async down(): Promise<void> {}
}
