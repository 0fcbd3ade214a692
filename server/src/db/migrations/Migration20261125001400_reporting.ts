import { Migration } from '@mikro-orm/migrations';

/** Placeholder reserved for reporting (filled in by the work on that feature). */
export class Migration20261125001400_reporting extends Migration {
  override async up(): Promise<void> {}

  override async down(): Promise<void> {}
}
