import { Migration } from '@mikro-orm/migrations';

/** Placeholder reserved for read performance (filled in by the work on that feature). */
export class Migration20261125001300_read_performance extends Migration {
  override async up(): Promise<void> {}

  override async down(): Promise<void> {}
}
