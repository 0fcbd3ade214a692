import { MikroORM, defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { allEntities } from '../modules';
import pg from 'pg';
import { migrationsList } from './migrations';

// Calendar dates (DATE columns) stay strings ('2026-04-01'): turning them into JavaScript Dates
// at local midnight would shift them by a day in some time zones.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export interface OrmOptions {
  databaseUrl: string;
  poolMax: number;
  /** How long a request waits for a free pooled connection before failing (SERVICE_UNAVAILABLE). */
  acquireTimeoutMs?: number;
}

/** Start-up options for every pooled session: see `driverOptions` below. */
export const UTC_SESSION = '-c TimeZone=UTC';

/** MikroORM settings shared by the server, the scripts and the tests. */
export function ormConfig({ databaseUrl, poolMax, acquireTimeoutMs = 10_000 }: OrmOptions) {
  return defineConfig({
    clientUrl: databaseUrl,
    entities: allEntities,
    extensions: [Migrator],
    // Requests must each use their own fork (see graphql/context.ts); the global one is off limits.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    // Bounded waits: with every connection busy, a request fails after acquireTimeoutMs instead of queueing forever.
    pool: { min: 0, max: poolMax, acquireTimeoutMillis: acquireTimeoutMs, createTimeoutMillis: acquireTimeoutMs },
    // Every session runs in UTC, whatever the database's or the server's default time zone:
    // `current_date` in SQL (agreements in force, overdue reviews, row-level security) must be the
    // same day as the server's own dates (db/clock.ts, UTC). Sent at connection start, so it costs
    // no round trip.
    driverOptions: { acquireConnectionTimeout: acquireTimeoutMs, connection: { options: UTC_SESSION } },
    migrations: {
      migrationsList,
      tableName: 'schema_migration',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
  });
}

export async function openOrm(options: OrmOptions): Promise<MikroORM> {
  return MikroORM.init(ormConfig(options));
}

/** Any number taken from this is the same for every instance: it serialises start-up work. */
const STARTUP_LOCK = 7_302_511;

/**
 * Applies pending migrations while holding an advisory lock, so several instances starting at
 * once on one database take turns instead of racing. Then runs `afterMigrate` under the same lock
 * (used for seeding an empty database).
 */
export async function migrate(orm: MikroORM, afterMigrate?: () => Promise<void>): Promise<string[]> {
  const conn = orm.em.getConnection();
  const knex = conn.getKnex();
  // The lock is per session, so hold one client from the pool for the whole sequence.
  return knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [STARTUP_LOCK]);
    const applied = await orm.getMigrator().up();
    await afterMigrate?.();
    return applied.map((m) => m.name);
  });
}

/** Names of migrations not yet applied (empty when the schema is current). */
export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  return (await orm.getMigrator().getPendingMigrations()).map((m) => m.name);
}
