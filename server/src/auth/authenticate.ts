import type { EntityManager } from '@mikro-orm/postgresql';
import { UnauthenticatedError } from '../graphql/errors';
import { User } from '../modules/identity/user.entity';
import type { TokenVerifier } from './token-verifier';

/** `Bearer <token>` → the token, or undefined for a missing or differently-shaped header. */
export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * The signed-in user for an `Authorization` header value, with their organisation loaded.
 * Missing, invalid, expired and forged tokens, unknown users and deactivated users all fail
 * with UNAUTHENTICATED; the message says which, since none of it reveals anyone's data.
 */
export async function authenticate(em: EntityManager, verify: TokenVerifier, authorization: unknown): Promise<User> {
  const token = bearerToken(authorization);
  if (!token) throw new UnauthenticatedError();
  const username = await verify(token);
  const user = await em.findOne(User, { username });
  if (!user) throw new UnauthenticatedError(`The token names "${username}", who is not a user of this platform.`);
  if (!user.active) throw new UnauthenticatedError(`The account "${username}" is deactivated.`);
  return user;
}
