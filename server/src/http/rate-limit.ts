import type { RequestHandler, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { GraphQLError } from 'graphql';
import { createHash } from 'node:crypto';
import type { TokenVerifier } from '../auth/token-verifier';
import { LimitsUnavailableError, type Reservation } from '../limits/shared-limits';
import { enterStage } from './in-flight';

/** `extensions.code` of the HTTP 429 answer. */
export const RATE_LIMITED = 'RATE_LIMITED';

/**
 * One allowance per caller, spent by HTTP requests and by WebSocket operations alike (a socket
 * must not be a way round the limit), counted in PostgreSQL for every instance together
 * (limits/shared-limits.ts): behind N replicas a caller still gets the limit, not N times it.
 */
export interface CallerAllowance {
  readonly perMinute: number;
  reserve(caller: string): Promise<Reservation>;
}

function tooMany(perMinute: number, retryAfterSeconds: number | string): string {
  return `Too many requests: at most ${perMinute} a minute for one caller. Try again in ${retryAfterSeconds} seconds.`;
}

/** Seconds an anonymous caller is asked to wait while the counts cannot be read. */
const RETRY_WHILE_UNAVAILABLE_S = 5;

/**
 * When the database cannot count, a signed-in user is let through (their reads may still be
 * served, and the database refuses what it must by itself) and anyone else is refused: an
 * unidentified flood is exactly what the limit is for.
 */
const letThroughUncounted = (caller: string) => caller.startsWith(USER_PREFIX);

function refuse(res: Response, status: number, retryAfterSeconds: number, message: string, extensions: Record<string, unknown>): void {
  res.set('Retry-After', String(retryAfterSeconds));
  res.status(status).json({ errors: [{ message, extensions }] });
}

/**
 * At most `perMinute` requests a minute from one caller, then HTTP 429 with a GraphQL-shaped
 * error and `Retry-After` (0: no limit).
 */
export function perCallerRateLimit(allowance: CallerAllowance, verifyToken: TokenVerifier): RequestHandler {
  const { perMinute } = allowance;
  if (perMinute === 0) return (_req, _res, next) => next();
  const callerOf = callerKeys(verifyToken);
  return (req, res, next) => {
    enterStage(res, "counting the caller's requests");
    void (async () => {
      const caller = await callerOf(req.get('authorization'), req.ip);
      let reservation: Reservation;
      try {
        reservation = await allowance.reserve(caller);
      } catch (err) {
        if (!(err instanceof LimitsUnavailableError)) throw err;
        if (letThroughUncounted(caller)) return next();
        const message = 'The service cannot count requests right now; nothing was run. Try again in a few seconds.';
        return refuse(res, 503, RETRY_WHILE_UNAVAILABLE_S, message, { code: 'SERVICE_UNAVAILABLE', retryable: true });
      }
      if (reservation.allowed) {
        enterStage(res, 'reading the request');
        return next();
      }
      refuse(res, 429, reservation.retryAfterSeconds, tooMany(perMinute, reservation.retryAfterSeconds), { code: RATE_LIMITED });
    })().catch(next);
  };
}

/** Spends one of the user's allowance on a WebSocket operation: the error to refuse it with when none is left. */
export async function spendOnWebSocket(allowance: CallerAllowance | undefined, username: string): Promise<GraphQLError | undefined> {
  if (!allowance?.perMinute) return undefined;
  let reservation: Reservation;
  try {
    reservation = await allowance.reserve(userKey(username));
  } catch (err) {
    if (err instanceof LimitsUnavailableError) return undefined; // a signed-in user: let through (see above)
    throw err;
  }
  if (reservation.allowed) return undefined;
  const { retryAfterSeconds } = reservation;
  return new GraphQLError(tooMany(allowance.perMinute, retryAfterSeconds), { extensions: { code: RATE_LIMITED, retryAfterSeconds } });
}

const USER_PREFIX = 'user:';
const userKey = (username: string) => `${USER_PREFIX}${username}`;

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
