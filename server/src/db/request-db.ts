import type { Knex, MikroORM } from '@mikro-orm/postgresql';
import { BOTH_LAYERS, type AccessLayers } from '../access/layers';
import { bindCaller } from '../access/policy';

/** Who is asking, as the database's row-level security policies need to know. */
export interface Caller {
  userId: string;
  organisationId: string;
  isLawEnforcement: boolean;
  roles: string[];
  clearance: string;
}

/** The role requests run as: no BYPASSRLS, owns no table (created by the access migration). */
export const APPLICATION_ROLE = 'soc_app';

/**
 * A request's door to the database. Everything a request reads or writes runs in one
 * transaction that first records the caller with `set_config(..., true)` and switches to the
 * application role, so PostgreSQL's row-level security applies to every statement, and the
 * settings, being transaction-local, never outlive the request on a pooled connection.
 */
export interface RequestDb {
  /** Query builder bound to the request's transaction. */
  readonly knex: Knex;
  /** Runs `work` as one unit inside the request (a savepoint): it all happens or none of it. */
  transaction<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T>;
  /** Commits (or, if the transaction failed, rolls back) and returns the connection. Idempotent. */
  finish(): Promise<void>;
}

/**
 * Opens the request's transaction. With the database layer off, it skips the switch to the application
 * role (the connecting user, a superuser here, then bypasses the policies): only tests do that,
 * to prove the application's own policy denies without the database's help.
 */
export async function openRequestDb(orm: MikroORM, caller: Caller, layers: AccessLayers = BOTH_LAYERS): Promise<RequestDb> {
  const rowLevelSecurity = layers.database;
  const trx = await orm.em.getConnection().getKnex().transaction();
  try {
    await trx.raw(
      `select set_config('soc.user_id', ?, true), set_config('soc.organisation_id', ?, true),
              set_config('soc.is_law_enforcement', ?, true), set_config('soc.roles', ?, true),
              set_config('soc.clearance', ?, true), set_config('role', ?, true)`,
      [
        caller.userId,
        caller.organisationId,
        String(caller.isLawEnforcement),
        `{${caller.roles.join(',')}}`,
        caller.clearance,
        rowLevelSecurity ? APPLICATION_ROLE : 'none',
      ],
    );
  } catch (err) {
    await trx.rollback().catch(() => undefined);
    throw err;
  }
  // The application's policy finds the caller from the query builder it is handed.
  bindCaller(trx, { caller, layers });
  let finishing: Promise<void> | undefined;
  return {
    knex: trx,
    transaction: (work) =>
      trx.transaction((savepoint) => {
        bindCaller(savepoint, { caller, layers });
        return work(savepoint);
      }),
    finish() {
      finishing ??= (async () => {
        try {
          await trx.commit();
        } catch {
          await trx.rollback().catch(() => undefined);
        }
      })();
      return finishing;
    },
  };
}
