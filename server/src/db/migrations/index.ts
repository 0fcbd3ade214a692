import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000100_identity } from './Migration20261125000100_identity';

/**
 * Every migration, oldest first. An explicit list rather than a folder glob, so the compiled
 * server, ts-jest and the CLI all run exactly the same set. Add new ones at the end.
 */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261125000100_identity', class: Migration20261125000100_identity },
];
