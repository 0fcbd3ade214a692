import { knex, type Knex, type MikroORM } from '@mikro-orm/postgresql';

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
 * The same connection settings as the ORM's (its type parsers: timestamps read as text, as
 * everywhere else), the same acquire timeout; close it with `destroy()` when the server stops.
 */
export function openExplanationDb(orm: MikroORM): Knex {
  const requests = orm.em.getConnection().getKnex().client.config as Knex.Config;
  return knex({ ...requests, pool: { ...requests.pool, min: 0, max: EXPLANATION_POOL_MAX } });
}
