import type { Knex, MikroORM } from '@mikro-orm/postgresql';

/** Who is acting, written into the transaction so triggers (history) and policies can see it. */
export interface Actor {
  userId: string;
  organisationId: string;
}

/**
 * A request's door to the database. Reads use `knex`; every write goes through `transaction`,
 * which runs the work in one transaction that first records the actor with
 * `set_config(..., true)`: transaction-local, so a pooled connection never carries it over.
 */
export interface RequestDb {
  readonly knex: Knex;
  transaction<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T>;
}

export function requestDb(orm: MikroORM, actor: Actor): RequestDb {
  const knex = orm.em.getConnection().getKnex();
  return {
    knex,
    transaction: (work) =>
      knex.transaction(async (trx) => {
        await trx.raw(`select set_config('soc.user_id', ?, true), set_config('soc.organisation_id', ?, true)`, [
          actor.userId,
          actor.organisationId,
        ]);
        return work(trx);
      }),
  };
}
