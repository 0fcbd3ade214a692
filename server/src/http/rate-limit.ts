import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { createHash } from 'node:crypto';

/** `extensions.code` of the HTTP 429 answer. */
export const RATE_LIMITED = 'RATE_LIMITED';

const WINDOW_MS = 60_000;

/**
 * At most `perMinute` requests a minute from one caller on this instance, then HTTP 429 with a
 * GraphQL-shaped error and `Retry-After` (0: no limit). Counts are in memory, so each replica
 * counts on its own: behind N replicas a caller gets up to N times the limit.
 */
export function perCallerRateLimit(perMinute: number): RequestHandler {
  if (perMinute === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => callerKey(req.get('authorization'), req.ip),
    // X-Forwarded-For is ignored on purpose unless TRUST_PROXY says which proxy to believe;
    // callerKey does use ipKeyGenerator, which the library's source check cannot see.
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

/**
 * Who is counted: the credential itself (a token or an API key, both sent as `Authorization`),
 * hashed so no secret sits in memory as a key; without one, the client's address (its /56 for
 * IPv6). Not the token's subject: an unverified subject could be forged to spend someone
 * else's allowance.
 */
export function callerKey(authorization: string | undefined, address: string | undefined): string {
  if (authorization) return `credential:${createHash('sha256').update(authorization).digest('base64url')}`;
  return `address:${ipKeyGenerator(address ?? '0.0.0.0', 56)}`;
}
