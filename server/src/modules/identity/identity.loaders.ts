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

/**
 * Users by database id, each with their organisation read in the same statement (a loader of its
 * own for the organisations cost a round trip after the users'); the organisations also fill the
 * organisation loader.
 */
export async function usersBy(knex: Knex, ids: KeySet): Promise<User[]> {
  const rows = await userRows(knex).whereIn('u.id', keysOf(ids));
  return rows.map(toUser);
}

/** app_user as `u` joined to its organisation, selecting what {@link toUser} maps. */
export function userRows(knex: Knex): Knex.QueryBuilder {
  return knex('app_user as u')
    .join('organisation as o', 'o.id', 'u.organisation_id')
    .select('u.id', 'u.username', 'u.display_name', 'u.roles', 'u.clearance', 'u.active')
    .select('o.id as org_id', 'o.code as org_code', 'o.name as org_name', 'o.type as org_type', 'o.region as org_region', 'o.is_law_enforcement as org_is_law_enforcement');
}

/** A row of app_user joined to its organisation (the columns usersBy selects) as a User. */
export function toUser(r: Record<string, any>): User {
  return Object.assign(new User(), {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    organisation: toOrganisation({ id: r.org_id, code: r.org_code, name: r.org_name, type: r.org_type, region: r.org_region, is_law_enforcement: r.org_is_law_enforcement }),
    roles: r.roles,
    clearance: r.clearance,
    active: r.active,
  });
}

/** Users by database id, batched per request, each with their organisation. */
export function userLoader(ctx: RequestContext) {
  return ctx.loaders.get<string, User | null>('user', async (ids) => {
    const users = await usersBy(ctx.db.knex, ids);
    for (const u of users) organisationLoader(ctx).prime(u.organisation.id, u.organisation);
    return byKey(ids, users, (u) => u.id);
  });
}
