import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { createHash } from 'node:crypto';
import type { TokenVerifier } from '../auth/token-verifier';

/** `extensions.code` of the HTTP 429 answer. */
export const RATE_LIMITED = 'RATE_LIMITED';

const WINDOW_MS = 60_000;

/**
 * At most `perMinute` requests a minute from one caller on this instance, then HTTP 429 with a
 * GraphQL-shaped error and `Retry-After` (0: no limit). Counts are in memory, so each replica
 * counts on its own: behind N replicas a caller gets up to N times the limit.
 */
export function perCallerRateLimit(perMinute: number, verifyToken: TokenVerifier): RequestHandler {
  if (perMinute === 0) return (_req, _res, next) => next();
  const callerOf = callerKeys(verifyToken);
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => callerOf(req.get('authorization'), req.ip),
    // X-Forwarded-For is ignored on purpose unless TRUST_PROXY says which proxy to believe;
    // callerKeys does use ipKeyGenerator, which the library's source check cannot see.
    validate: { xForwardedForHeader: false, keyGeneratorIpFallback: false },
    handler: (_req, res) => {
      const retryAfter = res.getHeader('retry-after');
      res.status(429).json({
        errors: [
          {
            message: `Too many requests: at most ${perMinute} a minute for one caller. Try again in ${retryAfter ?? 60} seconds.`,
            extensions: { code: RATE_LIMITED },
          },
        ],
      });
    },
  });
}

const API_KEY = /^Bearer soc_/;
const REMEMBERED_TOKENS = 10_000;
const REMEMBER_MS = 60_000;

/**
 * Who is counted. A token: its verified user, so a fresh token does not bring a fresh allowance
 * and a forged one cannot spend someone else's (the unverified subject could be forged). An API
 * key: the key (hashed; it is checked later, against the database). Anything else, including a
 * token that does not verify: the client's address (its /56 for IPv6). A verified token is
 * remembered for a minute, so the signature is checked here once per token, not per request.
 */
export function callerKeys(verifyToken: TokenVerifier) {
  const remembered = new Map<string, { key: string; until: number }>();
  return async (authorization: string | undefined, address: string | undefined): Promise<string> => {
    const byAddress = `address:${ipKeyGenerator(address ?? '0.0.0.0', 56)}`;
    if (!authorization) return byAddress;
    if (API_KEY.test(authorization)) return `key:${createHash('sha256').update(authorization).digest('base64url')}`;
    const known = remembered.get(authorization);
    if (known && known.until > Date.now()) return known.key;
    const token = /^Bearer (.+)$/.exec(authorization)?.[1];
    const username = token ? await verifyToken(token).catch(() => undefined) : undefined;
    if (!username) return byAddress;
    if (remembered.size >= REMEMBERED_TOKENS) remembered.clear();
    const key = `user:${username}`;
    remembered.set(authorization, { key, until: Date.now() + REMEMBER_MS });
    return key;
  };
}
