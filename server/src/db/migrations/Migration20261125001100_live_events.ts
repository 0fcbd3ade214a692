import { Migration } from '@mikro-orm/migrations';

/** Placeholder reserved for live events (filled in by the work on that feature). */
export class Migration20261125001100_live_events extends Migration {
  override async up(): Promise<void> {}

  override async down(): Promise<void> {}
}
