import { knex, type Knex, type MikroORM } from '@mikro-orm/postgresql';
import type { RequestTimeouts } from '../db/request-db';

/**
 * Connections `explainAccess` may hold at once, per instance.
 */
export const EXPLANATION_POOL_MAX = 2;

/**
 * The database explanations read from, as the database owner: an overseer asks about a record
 * and a user whoever they are, so the facts the rules weigh (the record, the organisations, the
 * agreements, the referrals...) must be read past row-level security, which the request's own
 * transaction enforces and must keep enforcing for everything else it runs.
 *
 * A pool of its own, small and separate from the request pool: an explanation is asked inside a
 * request, which already holds one of the request pool's connections; had it asked that pool for
 * a second, requests enough to hold every connection would each wait for another forever (the
 * pool deadlocked until its acquire timeout, every request failing). Waiting here is only ever
 * for another explanation's statement, which holds nothing of the request pool's, so it always
 * ends; and explanations, however many, cannot take a connection from a request.
 *
 * How long it waits, and how long its statements may run, are the request's own limits
 * (`timeouts`), not the request pool's acquire timeout: one request may ask a dozen explanations,
 * each several statements, and on a busy machine the last of them waited past the 10 s a request
 * waits for its first connection, and answered SERVICE_UNAVAILABLE although nothing was wrong.
 * A wait here is bounded instead by the statements it waits for: they run outside any request
 * transaction, as the owner, so they carry the request's statement and lock timeouts themselves.
 *
 * The same connection settings as the ORM's otherwise (its type parsers: timestamps read as text,
 * as everywhere else); close it with `destroy()` when the server stops.
 */
export function openExplanationDb(orm: MikroORM, timeouts: RequestTimeouts): Knex {
  const requests = orm.em.getConnection().getKnex().client.config as Knex.Config;
  const waitMs = Math.max(requests.acquireConnectionTimeout ?? 0, timeouts.statementMs);
  return knex({
    ...requests,
    acquireConnectionTimeout: waitMs,
    connection: withStartupOptions(requests.connection as Knex.PgConnectionConfig, sessionLimits(timeouts)),
    // Making a connection is part of the wait: with the request pool's create timeout (its acquire
    // timeout, 300 ms in a test) the first explanations failed while the embedded PostgreSQL was slow to connect.
    pool: { ...requests.pool, min: 0, max: EXPLANATION_POOL_MAX, acquireTimeoutMillis: waitMs, createTimeoutMillis: waitMs },
  });
}

/**
 * A copy of the ORM's connection settings with more start-up options. Copied property by property,
 * not spread: the ORM keeps the password non-enumerable (out of logs), and a spread copy had none,
 * so a server asking for one (the embedded PostgreSQL) refused every explanation.
 */
function withStartupOptions(connection: Knex.PgConnectionConfig, options: string): Knex.PgConnectionConfig {
  const copy: Knex.PgConnectionConfig = Object.create(Object.getPrototypeOf(connection), Object.getOwnPropertyDescriptors(connection));
  copy.options = `${connection.options ?? ''} ${options}`.trim();
  return copy;
}

/** Start-up options giving each of the pool's sessions the request's statement and lock timeouts (0: no limit). */
function sessionLimits({ statementMs, lockMs }: RequestTimeouts): string {
  return `-c statement_timeout=${statementMs} -c lock_timeout=${lockMs}`;
}
