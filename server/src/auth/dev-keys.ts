import fs from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type KeyLike } from 'jose';

/** Issuer and audience of development tokens; production tokens come from the OIDC issuer. */
export const DEV_ISSUER = 'urn:soc-hub:development';
export const DEV_AUDIENCE = 'soc-hub';
const ALG = 'ES256';

export interface DevKeys {
  privateKey: KeyLike;
  publicKey: KeyLike;
}

/**
 * The local signing key for development tokens, created on first use under the data folder
 * (readable by its owner only) so that tokens survive restarts and `npm run token` agrees with
 * the running server.
 */
export async function loadOrCreateDevKeys(dataDir: string): Promise<DevKeys> {
  const file = path.join(dataDir, 'dev-signing-key.json');
  if (!fs.existsSync(file)) {
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    fs.mkdirSync(dataDir, { recursive: true });
    // 'wx' fails if another process created it meanwhile; then we simply read theirs.
    try {
      fs.writeFileSync(file, JSON.stringify(await exportJWK(privateKey)), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const jwk = JSON.parse(fs.readFileSync(file, 'utf8')) as JWK;
  const { d: _private, ...publicJwk } = jwk;
  return {
    privateKey: (await importJWK(jwk, ALG)) as KeyLike,
    publicKey: (await importJWK(publicJwk, ALG)) as KeyLike,
  };
}

/** A development token for `username`, valid for `ttlSeconds` (default 12 hours). */
export async function signDevToken(keys: DevKeys, username: string, ttlSeconds = 12 * 3600): Promise<string> {
  return new SignJWT({ preferred_username: username })
    .setProtectedHeader({ alg: ALG })
    .setSubject(username)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(keys.privateKey);
}
