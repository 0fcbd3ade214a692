import { Migration } from '@mikro-orm/migrations';

/** disruptions: tables are added by the disruptions module's work (placeholder until then). */
export class Migration20261125000500_disruptions extends Migration {
  override async up(): Promise<void> {
    this.addSql('select 1');
  }

  override async down(): Promise<void> {}
}
