import type { Knex } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../graphql/context';
import { ForbiddenError } from '../../graphql/errors';
import { OrganisationType, Role } from '../identity/identity.enums';

/**
 * Which organisations an administrator administers (users and API keys): their own, or, for an
 * administrator of the regional unit, every organisation of its region (the reach a regional
 * auditor has over the audit trail). Row-level security states the same rule
 * (soc_caller_administers, Migration20261205002100_user_administration.ts).
 */
export function administeredOrganisations(ctx: RequestContext): Knex.QueryBuilder {
  const own = ctx.viewer.organisation;
  const q = ctx.db.knex('organisation').select('id');
  return own.type === OrganisationType.ROCU ? q.where({ region: own.region }) : q.where({ id: own.id });
}

/** Reading users and keys is for administrators only (mutations are role-checked at the root: access/mutation-roles.ts). */
export function requireAdministrator(ctx: RequestContext, what: string): void {
  if (!ctx.viewer.roles.includes(Role.ADMIN)) throw new ForbiddenError(`Only an administrator can see ${what}.`);
}
