import type { RequestContext } from '../../graphql/context';
import type { Knex } from '@mikro-orm/postgresql';
import { byKey, keysOf, type KeySet } from '../../graphql/loaders';
import { toOrganisation } from './identity.resolver';
import { Organisation } from './organisation.entity';
import { User } from './user.entity';

/*
 * These read through the request's own transaction, never through a second pooled connection:
 * a request already holds one connection for its transaction, and asking the pool for another
 * while holding it deadlocks under load once every connection is held by a request doing the same.
 */

/** Organisations by database id. */
export async function organisationsBy(knex: Knex, ids: KeySet): Promise<Organisation[]> {
  const rows = await knex('organisation as o').select('o.id', 'o.code', 'o.name', 'o.type', 'o.region', 'o.is_law_enforcement').whereIn('o.id', keysOf(ids));
  return rows.map(toOrganisation);
}

/** Organisations by database id, batched per request. */
export function organisationLoader(ctx: RequestContext) {
  return ctx.loaders.get<string, Organisation | null>('organisation', async (ids) => byKey(ids, await organisationsBy(ctx.db.knex, ids), (o) => o.id));
}

/** Users by database id, batched per request, each with its organisation. */
export function userLoader(ctx: RequestContext) {
  return ctx.loaders.get<string, User | null>('user', async (ids) => {
    const rows = await ctx.db.knex('app_user').select('id', 'username', 'display_name', 'organisation_id', 'roles', 'clearance', 'active').whereIn('id', ids as string[]);
    const organisations = await organisationLoader(ctx).loadMany(rows.map((r) => r.organisation_id));
    return byKey(
      ids,
      rows.map((r, i) =>
        Object.assign(new User(), {
          id: r.id,
          username: r.username,
          displayName: r.display_name,
          organisation: organisations[i] as Organisation,
          roles: r.roles,
          clearance: r.clearance,
          active: r.active,
        }),
      ),
      (u) => u.id,
    );
  });
}
