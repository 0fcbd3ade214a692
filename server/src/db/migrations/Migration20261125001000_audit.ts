import { Migration } from '@mikro-orm/migrations';

/** audit: the append-only audit trail (placeholder until the audit work fills it in). */
export class Migration20261125001000_audit extends Migration {
  override async up(): Promise<void> {
    this.addSql('select 1');
  }

  override async down(): Promise<void> {}
}
