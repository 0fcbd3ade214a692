import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import type { Config } from '../config';
import { UnauthenticatedError } from '../graphql/errors';
import { DEV_AUDIENCE, DEV_ISSUER, type DevKeys } from './dev-keys';

/** Turns a bearer token into the username it vouches for, or throws UnauthenticatedError. */
export type TokenVerifier = (token: string) => Promise<string>;

/**
 * Accepts tokens from the configured OIDC issuer (checked against its JWKS) and, when allowed,
 * development tokens signed by the local key. The issuer claim picks which check applies; an
 * unknown issuer is refused before any signature work.
 */
export function createTokenVerifier(config: Config, devKeys: DevKeys | undefined): TokenVerifier {
  const jwks = config.oidcJwksUrl ? createRemoteJWKSet(new URL(config.oidcJwksUrl)) : undefined;

  return async (token) => {
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new UnauthenticatedError('The token is not a valid JWT.');
    }
    let payload: JWTPayload;
    try {
      if (issuer === DEV_ISSUER && config.allowDevTokens && devKeys) {
        ({ payload } = await jwtVerify(token, devKeys.publicKey, { issuer: DEV_ISSUER, audience: DEV_AUDIENCE }));
      } else if (issuer && issuer === config.oidcIssuer && jwks) {
        ({ payload } = await jwtVerify(token, jwks, { issuer: config.oidcIssuer, audience: config.oidcAudience }));
      } else {
        throw new UnauthenticatedError('The token was not issued by an identity provider this server trusts.');
      }
    } catch (err) {
      if (err instanceof UnauthenticatedError) throw err;
      const code = (err as { code?: string }).code;
      throw new UnauthenticatedError(
        code === 'ERR_JWT_EXPIRED' ? 'The token has expired: sign in again.' : 'The token could not be verified.',
      );
    }
    const username = payload[issuer === DEV_ISSUER ? 'preferred_username' : config.oidcUsernameClaim];
    if (typeof username !== 'string' || !username) throw new UnauthenticatedError('The token names no user.');
    return username;
  };
}
