import type pg from 'pg';
import { allowedPurposes } from '../../server/src/access/purpose-roles';
import { demoUsers } from '../../server/src/db/seed/demo-identity';
import type { Role } from '../../server/src/modules/identity/identity.enums';

/**
 * The purpose a test states for a user unless it says otherwise: INVESTIGATION where the user's
 * roles allow it (what most tests read for), else the first purpose they allow, else none (a user
 * whose roles allow no purpose may state none: server/src/access/purpose-roles.ts).
 */
export function defaultPurposeForRoles(roles: readonly Role[]): string | null {
  const allowed = allowedPurposes(roles);
  return allowed.includes('INVESTIGATION' as never) ? 'INVESTIGATION' : (allowed[0] ?? null);
}

/** The default purpose of a demo user (server/src/db/seed/demo-identity.ts), for tests that send requests by hand. */
export function purposeFor(username: string): string {
  const user = demoUsers.find((u) => u.username === username);
  if (!user) throw new Error(`${username} is not a demo user: look their roles up (defaultPurposeOf)`);
  const purpose = defaultPurposeForRoles(user.roles);
  if (!purpose) throw new Error(`${username}'s roles allow no purpose`);
  return purpose;
}

/**
 * The default purpose of any user, by their roles as the database holds them now (null: none
 * allowed, or no such user). Looked up on a connection of the test's own, so that tests counting
 * the server's statements are not disturbed.
 */
export async function defaultPurposeOf(pool: pg.Pool, username: string): Promise<string | null> {
  const { rows } = await pool.query('select roles::text[] as roles from app_user where username = $1', [username]);
  return rows[0] ? defaultPurposeForRoles(rows[0].roles) : null;
}
