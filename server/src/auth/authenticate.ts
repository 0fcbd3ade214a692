import { UnauthenticatedError } from '../graphql/errors';
import { User } from '../modules/identity/user.entity';
import { Organisation } from '../modules/identity/organisation.entity';
import type { AccountRow } from '../db/request-db';
import type { TokenVerifier } from './token-verifier';

/** `Bearer <token>` → the token, or undefined for a missing or differently-shaped header. */
export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The username a bearer token vouches for, or UNAUTHENTICATED. */
export async function verifiedUsername(verify: TokenVerifier, authorization: unknown): Promise<string> {
  const token = bearerToken(authorization);
  if (!token) throw new UnauthenticatedError();
  return verify(token);
}

/**
 * The account a verified token names, when it exists and is active; UNAUTHENTICATED otherwise,
 * with one message for both: which accounts exist, or were deactivated, is nobody's business
 * outside the platform (the log says which).
 */
export function mayActAs(username: string, user: User | undefined | null): User {
  if (!user?.active) throw new NoAccountError(!!user);
  return user;
}

/** The refusal of an unknown or deactivated account: one message for both; which one, for the server only. */
export class NoAccountError extends UnauthenticatedError {
  constructor(readonly deactivated: boolean) {
    super(NO_ACCOUNT);
  }
}

export const NO_ACCOUNT = 'There is no active SOC Hub account for this sign-in: ask your organisation’s administrator.';

/** Users made from account rows, by row (see userFromAccount). */
const usersByRow = new WeakMap<AccountRow, User>();

/**
 * The User for an account row read at sign-in (db/request-db.ts, openRequestDbAs): plain
 * instances of the entity classes, since the GraphQL types' getters live on their prototypes;
 * no entity manager is involved. Made once per row: every request of a remembered account has
 * the same row (AccountCache), and so the same User, which nothing writes (setting each field
 * through the entity's setters was 2% of a small request's CPU). A changed account is read
 * again, into a new row and a new User.
 */
export function userFromAccount(row: AccountRow): User {
  let user = usersByRow.get(row);
  if (!user) {
    user = newUserFrom(row);
    usersByRow.set(row, user);
  }
  return user;
}

function newUserFrom(row: AccountRow): User {
  const organisation = Object.assign(Object.create(Organisation.prototype) as Organisation, {
    id: row.organisation_id,
    code: row.organisation_code,
    name: row.organisation_name,
    type: row.organisation_type,
    region: row.organisation_region,
    isLawEnforcement: row.organisation_is_law_enforcement,
  });
  return Object.assign(Object.create(User.prototype) as User, {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    organisation,
    roles: row.roles,
    clearance: row.clearance,
    active: row.active,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}
