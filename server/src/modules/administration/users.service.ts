import type { Knex } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../graphql/context';
import { SortDirection, paginate } from '../../graphql/connection';
import { NotFoundError } from '../../graphql/errors';
import { fromGlobalId, requireGlobalId } from '../../graphql/global-id';
import { SERVICE_ACCOUNT_PREFIX } from '../../auth/api-keys';
import { containsPattern } from '../../shared/sql';
import { Problems } from '../../shared/validation';
import { markingRank, ProtectiveMarking, Role } from '../identity/identity.enums';
import { toUser, userRows } from '../identity/identity.loaders';
import type { User } from '../identity/user.entity';
import { administeredOrganisations, requireAdministrator } from './administration.scope';
import type { ChangeUserClearanceInput, ChangeUserRolesInput, CreateUserInput, DeactivateUserInput, UsersArgs } from './administration.inputs';

type Ctx = RequestContext;

/** A user as a mutation answers it, named for the audit trail (the record changed is the user). */
export type AuditedUser = User & { __typename: 'User'; dbId: string };
const audited = (user: User): AuditedUser => Object.assign(user, { __typename: 'User' as const, dbId: user.id });

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/** People of the organisations the administrator administers (service accounts are managed as API keys). */
function administeredPeople(ctx: Ctx): Knex.QueryBuilder {
  return userRows(ctx.db.knex).whereIn('u.organisation_id', administeredOrganisations(ctx)).whereNot('u.username', 'like', `${SERVICE_ACCOUNT_PREFIX}%`);
}

/** The user list: people of the organisations the administrator administers, by name. */
export function listUsers(ctx: Ctx, args: UsersArgs) {
  requireAdministrator(ctx, 'user accounts');
  const f = args.filter ?? {};
  const q = administeredPeople(ctx);
  const text = f.text?.trim();
  if (text) q.where((w) => w.whereILike('u.username', containsPattern(text)).orWhereILike('u.display_name', containsPattern(text)));
  if (f.organisationIds?.length) q.whereIn('u.organisation_id', f.organisationIds.map((g, i) => requireGlobalId(g, 'Organisation', `filter.organisationIds[${i}]`)));
  if (f.active != null) q.where('u.active', f.active);
  if (f.role) q.whereRaw('? = any (u.roles)', [f.role]);
  return paginate(q, args, [
    { column: 'lower(u.display_name)', direction: SortDirection.ASC },
    { column: 'u.id', direction: SortDirection.ASC },
  ], toUser);
}

/** Roles: at least one, each once. */
function checkRoles(p: Problems, roles: Role[]): Role[] {
  p.when(roles.length === 0, 'roles', 'give at least one role');
  return [...new Set(roles)];
}

/** An administrator cannot give anyone a clearance above their own. */
function checkClearance(ctx: Ctx, p: Problems, clearance: ProtectiveMarking): void {
  p.when(
    markingRank(clearance) > markingRank(ctx.viewer.clearance),
    'clearance',
    `cannot be above your own clearance (${ctx.viewer.clearance.replace(/_/g, ' ').toLowerCase()})`,
  );
}

/**
 * The user behind `globalId`, locked, if the administrator administers them; NOT_FOUND otherwise
 * (someone else's user is indistinguishable from no user).
 */
async function lockUser(ctx: Ctx, trx: Knex, globalId: string): Promise<User> {
  const parsed = fromGlobalId(globalId);
  if (!parsed || parsed.type !== 'User') throw new NotFoundError('User');
  const row = await userRows(trx)
    .where('u.id', parsed.id)
    .whereIn('u.organisation_id', administeredOrganisations(ctx))
    .whereNot('u.username', 'like', `${SERVICE_ACCOUNT_PREFIX}%`)
    .forUpdate('u')
    .first();
  if (!row) throw new NotFoundError('User');
  return toUser(row);
}

async function reload(trx: Knex, id: string): Promise<AuditedUser> {
  return audited(toUser(await userRows(trx).where('u.id', id).first()));
}

async function save(trx: Knex, id: string, changes: Record<string, unknown>): Promise<AuditedUser> {
  await trx('app_user').update({ ...changes, updated_at: trx.fn.now() }).where({ id });
  return reload(trx, id);
}

/** Creates a person's account in an organisation the administrator administers. */
export async function createUser(ctx: Ctx, input: CreateUserInput): Promise<AuditedUser> {
  return ctx.db.transaction(async (trx) => {
    const p = new Problems();
    const username = input.username.trim().toLowerCase();
    if (!p.when(!USERNAME.test(username), 'username', 'use 2 to 64 lower case letters, digits, dots, hyphens or underscores, starting with a letter or digit')) {
      p.when(username.startsWith(SERVICE_ACCOUNT_PREFIX), 'username', `names beginning "${SERVICE_ACCOUNT_PREFIX}" are kept for API keys' service accounts`);
      p.when(!!(await trx('app_user').where({ username }).first('id')), 'username', `"${username}" is already taken`);
    }
    p.text(input.displayName, 'displayName', { max: 200 });
    const roles = checkRoles(p, input.roles);
    checkClearance(ctx, p, input.clearance);
    const parsed = fromGlobalId(input.organisationId);
    const organisation = parsed?.type === 'Organisation' ? await administeredOrganisations(ctx).where({ id: parsed.id }).first() : undefined;
    p.when(!organisation, 'organisationId', 'is not an organisation whose users you administer');
    p.throwIfAny();
    const [{ id }] = await trx('app_user')
      .insert({ username, display_name: input.displayName.trim(), organisation_id: organisation.id, roles, clearance: input.clearance })
      .returning('id');
    return reload(trx, id);
  });
}

/** Sets a user's roles; an administrator cannot take away their own administrator role. */
export async function changeUserRoles(ctx: Ctx, input: ChangeUserRolesInput): Promise<AuditedUser> {
  return ctx.db.transaction(async (trx) => {
    const user = await lockUser(ctx, trx, input.id);
    const p = new Problems();
    const roles = checkRoles(p, input.roles);
    p.when(user.id === ctx.viewer.id && !roles.includes(Role.ADMIN), 'roles', 'you cannot remove your own administrator role (another administrator can)');
    p.throwIfAny();
    return save(trx, user.id, { roles });
  });
}

/** Sets a user's clearance, at most the administrator's own. */
export async function changeUserClearance(ctx: Ctx, input: ChangeUserClearanceInput): Promise<AuditedUser> {
  return ctx.db.transaction(async (trx) => {
    const user = await lockUser(ctx, trx, input.id);
    const p = new Problems();
    checkClearance(ctx, p, input.clearance);
    p.throwIfAny();
    return save(trx, user.id, { clearance: input.clearance });
  });
}

/**
 * Deactivates an account: refused from its next HTTP request, and its open WebSocket sessions
 * are closed with 4403 (the app_user trigger rings the live hub; live/websocket.ts re-checks).
 */
export async function deactivateUser(ctx: Ctx, input: DeactivateUserInput): Promise<AuditedUser> {
  return ctx.db.transaction(async (trx) => {
    const user = await lockUser(ctx, trx, input.id);
    const p = new Problems();
    p.when(user.id === ctx.viewer.id, 'id', 'you cannot deactivate your own account (another administrator can)');
    p.throwIfAny();
    return user.active ? save(trx, user.id, { active: false }) : reload(trx, user.id);
  });
}
