import { Migration } from '@mikro-orm/migrations';

/** Placeholder reserved for api keys (filled in by the work on that feature). */
export class Migration20261125001200_api_keys extends Migration {
  override async up(): Promise<void> {}

  override async down(): Promise<void> {}
}
