import type { RequestHandler } from 'express';
import { ipKeyGenerator, MemoryStore, rateLimit } from 'express-rate-limit';
import { GraphQLError } from 'graphql';
import { createHash } from 'node:crypto';
import type { TokenVerifier } from '../auth/token-verifier';

/** `extensions.code` of the HTTP 429 answer. */
export const RATE_LIMITED = 'RATE_LIMITED';

const WINDOW_MS = 60_000;

/**
 * One allowance per caller, spent by HTTP requests and by WebSocket operations alike (a socket
 * must not be a way round the limit). Counts are in memory, so each replica counts on its own:
 * behind N replicas a caller gets up to N times the limit.
 */
export interface CallerAllowance {
  readonly perMinute: number;
  readonly store: MemoryStore;
}

export function callerAllowance(perMinute: number): CallerAllowance {
  return { perMinute, store: new MemoryStore() };
}

function tooMany(perMinute: number, retryAfterSeconds: number | string): string {
  return `Too many requests: at most ${perMinute} a minute for one caller. Try again in ${retryAfterSeconds} seconds.`;
}

/**
 * At most `perMinute` requests a minute from one caller, then HTTP 429 with a GraphQL-shaped
 * error and `Retry-After` (0: no limit).
 */
export function perCallerRateLimit(allowance: CallerAllowance, verifyToken: TokenVerifier): RequestHandler {
  const { perMinute } = allowance;
  if (perMinute === 0) return (_req, _res, next) => next();
  const callerOf = callerKeys(verifyToken);
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: perMinute,
    store: allowance.store,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => callerOf(req.get('authorization'), req.ip),
    // X-Forwarded-For is ignored on purpose unless TRUST_PROXY says which proxy to believe;
    // callerKeys does use ipKeyGenerator, which the library's source check cannot see.
    validate: { xForwardedForHeader: false, keyGeneratorIpFallback: false },
    handler: (_req, res) => {
      res.status(429).json({ errors: [{ message: tooMany(perMinute, String(res.getHeader('retry-after') ?? 60)), extensions: { code: RATE_LIMITED } }] });
    },
  });
}

/** Spends one of the user's allowance on a WebSocket operation: the error to refuse it with when none is left. */
export async function spendOnWebSocket(allowance: CallerAllowance | undefined, username: string): Promise<GraphQLError | undefined> {
  if (!allowance?.perMinute) return undefined;
  const { totalHits, resetTime } = await allowance.store.increment(userKey(username));
  if (totalHits <= allowance.perMinute) return undefined;
  const retryAfterSeconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + WINDOW_MS) - Date.now()) / 1000));
  return new GraphQLError(tooMany(allowance.perMinute, retryAfterSeconds), { extensions: { code: RATE_LIMITED, retryAfterSeconds } });
}

const userKey = (username: string) => `user:${username}`;

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
    const key = userKey(username);
    remembered.set(authorization, { key, until: Date.now() + REMEMBER_MS });
    return key;
  };
}
