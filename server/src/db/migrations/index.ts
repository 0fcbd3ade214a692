import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000100_identity } from './Migration20261125000100_identity';
import { Migration20261125000200_history } from './Migration20261125000200_history';
import { Migration20261125000300_threats } from './Migration20261125000300_threats';

/**
 * Every migration, oldest first. An explicit list rather than a folder glob, so the compiled
 * server, ts-jest and the CLI all run exactly the same set. Add new ones at the end.
 */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261125000100_identity', class: Migration20261125000100_identity },
  { name: 'Migration20261125000200_history', class: Migration20261125000200_history },
  { name: 'Migration20261125000300_threats', class: Migration20261125000300_threats },
];
