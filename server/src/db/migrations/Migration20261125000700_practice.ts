import { Migration } from '@mikro-orm/migrations';

/** practice: tables are added by the practice module's work (placeholder until then). */
export class Migration20261125000700_practice extends Migration {
  override async up(): Promise<void> {
    this.addSql('select 1');
  }

  override async down(): Promise<void> {}
}
