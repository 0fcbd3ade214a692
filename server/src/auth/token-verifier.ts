import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import type { Config } from '../config';
import { UnauthenticatedError } from '../graphql/errors';
import { DEV_AUDIENCE, DEV_ISSUER, type DevKeys } from './dev-keys';
import { sharedWhileUnderWay } from '../shared/shared-while-under-way';

/** Turns a bearer token into the username it vouches for, or throws UnauthenticatedError. */
export type TokenVerifier = (token: string) => Promise<string>;

/**
 * Accepts tokens from the configured OIDC issuer (checked against its JWKS) and, when allowed,
 * development tokens signed by the local key. The issuer claim picks which check applies; an
 * unknown issuer is refused before any signature work.
 */
export function createTokenVerifier(config: Config, devKeys: DevKeys | undefined): TokenVerifier {
  return rememberingVerified(signatureVerifier(config, devKeys));
}

/** How many verified tokens are remembered, and for how long at most (a revoked signing key stops working within it). */
const REMEMBERED_TOKENS = 10_000;
const REMEMBER_FOR_MS = 60_000;

/**
 * Remembers tokens already verified, until they expire (or for a minute at most): a client sends
 * the same token with every request, and checking its signature again each time was a few per
 * cent of the server's CPU under load. Only successes are remembered; a remembered token past its
 * `exp` is checked afresh (and refused as expired).
 */
function rememberingVerified(verify: (token: string) => Promise<{ username: string; expiresAtMs: number }>): TokenVerifier {
  const remembered = new Map<string, { username: string; validUntilMs: number }>();
  // A burst of connections sending one token (a client reconnecting its sockets) checks it once.
  const check = sharedWhileUnderWay(async (token: string) => {
    const { username, expiresAtMs } = await verify(token);
    if (remembered.size >= REMEMBERED_TOKENS) remembered.delete(remembered.keys().next().value!);
    remembered.set(token, { username, validUntilMs: Math.min(expiresAtMs, Date.now() + REMEMBER_FOR_MS) });
    return username;
  });
  return async (token) => {
    const known = remembered.get(token);
    if (known && Date.now() < known.validUntilMs) return known.username;
    remembered.delete(token);
    return check(token);
  };
}

/** jose's refusal of a token without `exp`: a token that never expires is never accepted. */
function missingExpiry(err: unknown): boolean {
  const e = err as { code?: string; claim?: string };
  return e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && e.claim === 'exp';
}

function signatureVerifier(config: Config, devKeys: DevKeys | undefined) {
  const jwks = config.oidcJwksUrl ? createRemoteJWKSet(new URL(config.oidcJwksUrl)) : undefined;

  return async (token: string): Promise<{ username: string; expiresAtMs: number }> => {
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new UnauthenticatedError('The token is not a valid JWT.');
    }
    let payload: JWTPayload;
    try {
      if (issuer === DEV_ISSUER && config.allowDevTokens && devKeys) {
        ({ payload } = await jwtVerify(token, devKeys.publicKey, { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, requiredClaims: ['exp'] }));
      } else if (issuer && issuer === config.oidcIssuer && jwks) {
        ({ payload } = await jwtVerify(token, jwks, { issuer: config.oidcIssuer, audience: config.oidcAudience, requiredClaims: ['exp'] }));
      } else {
        throw new UnauthenticatedError('The token was not issued by an identity provider this server trusts.');
      }
    } catch (err) {
      if (err instanceof UnauthenticatedError) throw err;
      const code = (err as { code?: string }).code;
      throw new UnauthenticatedError(
        code === 'ERR_JWT_EXPIRED' ? 'The token has expired: sign in again.' : missingExpiry(err) ? 'The token has no expiry time: sign in again.' : 'The token could not be verified.',
      );
    }
    const username = payload[issuer === DEV_ISSUER ? 'preferred_username' : config.oidcUsernameClaim];
    if (typeof username !== 'string' || !username) throw new UnauthenticatedError('The token names no user.');
    return { username, expiresAtMs: payload.exp! * 1000 };
  };
}
